"""A corpus of real documents through the CLI: spans land on the extracted text, an
annotation on a PDF carries its page through every export, `gloss show` streams."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Gloss
from tests.core.export.w3c_schemas import failures
from tests.documents import LOREM, news_page, write_docx, write_epub, write_odt, write_pdf

PDF_PAGES = [
    ["Energy ties", "The opening page. " + LOREM],
    ["The pipeline carries gas to Harbin from the fields of Siberia every winter."],
    ["The last page names the pipeline again: a pipeline of thirty years."],
]


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    corpus = root / "corpus"
    write_pdf(corpus / "report.pdf", PDF_PAGES, title="Energy Ties", author="J. Analyst")
    write_docx(corpus / "review.docx")
    write_odt(corpus / "notes.odt")
    write_epub(corpus / "book.epub", [("Chapter One", f"<p>{LOREM}</p>")])
    (corpus / "pact.html").write_text(
        news_page("A pipeline pact", [LOREM, "The pipeline opens in 2027."]), encoding="utf-8"
    )
    (corpus / "plain.txt").write_text("A plain article about a pipeline.\n")
    (root / "gloss.toml").write_text('corpus = "corpus"\nannotations = "annotations"\n')
    monkeypatch.chdir(root)
    return root


def test_search_spans_land_on_the_extracted_text(docs: Path, gloss: Gloss) -> None:
    result = gloss("search", "pipeline", "--json")
    assert result.code == 0, result.err
    hits = {hit["id"]: hit for hit in json.loads(result.out)}
    assert {"report", "pact", "book", "plain"} <= set(hits)
    for article_id, hit in hits.items():
        body = json.loads(gloss("show", article_id, "--json").out)["body"]
        assert hit["spans"]
        assert {body[s:e].lower() for s, e in hit["spans"]} == {"pipeline"}


def test_show_json_has_pages_for_a_pdf(docs: Path, gloss: Gloss) -> None:
    data = json.loads(gloss("show", "report", "--json").out)
    body, pages = data["body"], data["pages"]
    assert len(pages) == 3 and body[pages[1] :].startswith("The pipeline carries gas")
    assert json.loads(gloss("show", "plain", "--json").out)["pages"] == []


def test_an_annotation_on_page_two_carries_its_page_through_every_export(
    docs: Path, gloss: Gloss
) -> None:
    quote = "carries gas to Harbin"
    made = gloss("annotate", "report", "--quote", quote, "--tag", "energy", "--note", "Route")
    assert made.code == 0, made.err
    assert gloss("annotate", "plain", "--quote", "plain article").code == 0

    records = json.loads(gloss("export", "--format", "json").out)
    by_article = {r["article"]: r for r in records}
    assert by_article["report"]["page"] == 2 and by_article["plain"]["page"] is None
    body = json.loads(gloss("show", "report", "--json").out)["body"]
    record = by_article["report"]
    assert body[record["start"] : record["end"]] == quote

    rows = list(csv.DictReader(io.StringIO(gloss("export", "--format", "csv").out)))
    assert {r["article"]: r["page"] for r in rows} == {"plain": "", "report": "2"}

    markdown = gloss("export", "--format", "md").out
    assert f"> {quote}\n>\n> — p. 2\n" in markdown
    assert markdown.count("— p.") == 1

    collection = json.loads(gloss("export", "--format", "w3c").out)
    assert failures(collection, "collections/collectionMusts.test") == []
    items = {i["target"]["source"]: i for i in collection["first"]["items"]}
    pdf_item = items["urn:gloss:article:report"]
    assert failures(pdf_item, "annotations/annotationMusts.test") == []
    selectors = {s["type"]: s for s in pdf_item["target"]["selector"]}
    fragment = selectors["FragmentSelector"]
    assert fragment["value"] == "page=2"
    assert fragment["conformsTo"] == "http://tools.ietf.org/rfc/rfc3778"
    assert fragment["refinedBy"]["exact"] == quote
    position = selectors["TextPositionSelector"]
    assert body[position["start"] : position["end"]] == quote
    plain_types = {s["type"] for s in items["urn:gloss:article:plain"]["target"]["selector"]}
    assert "FragmentSelector" not in plain_types


def test_list_reports_broken_documents_one_line_each(docs: Path, gloss: Gloss) -> None:
    corpus = docs / "corpus"
    (corpus / "cut.docx").write_bytes((corpus / "review.docx").read_bytes()[:500])
    write_pdf(corpus / "locked.pdf", [["x"]], password="pw")
    write_pdf(corpus / "scan.pdf", [[]], image_only=True)
    result = gloss("list", "--json")
    assert result.code == 2
    listed = {a["id"] for a in json.loads(result.out)}
    assert {"report", "review", "notes", "book", "pact", "plain"} == listed
    lines = result.err.strip().split("\n")
    assert len(lines) == 3 and all(line.startswith("gloss: error: ") for line in lines)
    assert "Traceback" not in result.err
    assert any("cut.docx" in line and "bad zip" in line for line in lines)
    assert any("locked.pdf" in line and "password" in line for line in lines)
    assert any("scan.pdf" in line and "OCR it first" in line for line in lines)


def test_list_shows_document_metadata(docs: Path, gloss: Gloss) -> None:
    articles = {a["id"]: a for a in json.loads(gloss("list", "--json").out)}
    assert articles["report"]["title"] == "Energy Ties"
    assert articles["review"]["date"] == dt.date(2022, 2, 3).isoformat()
    assert articles["pact"]["source"] == "Eastern Wire"
    assert articles["book"]["author"] == "Anna Petrova, Li Wei"


def test_show_all_jsonl_streams_every_article(docs: Path, gloss: Gloss) -> None:
    result = gloss("show", "--all", "--jsonl")
    assert result.code == 0, result.err
    lines = result.out.strip().split("\n")
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    assert len(records) == 6 and all("body" in r and "pages" in r for r in records)


def test_show_several_ids(docs: Path, gloss: Gloss) -> None:
    result = gloss("show", "plain", "report", "--json")
    data = json.loads(result.out)
    assert [d["id"] for d in data] == ["plain", "report"]
    text = gloss("show", "plain", "pact").out
    assert "A plain article" in text and "A pipeline pact" in text


def test_show_with_an_unknown_id_shows_the_others_and_fails(docs: Path, gloss: Gloss) -> None:
    result = gloss("show", "plain", "nope", "--jsonl")
    assert result.code == 2
    assert [json.loads(line)["id"] for line in result.out.strip().split("\n")] == ["plain"]
    assert "unknown article id 'nope'" in result.err


@pytest.mark.parametrize(
    ("args", "words"),
    [((), "give an article id"), (("plain", "--all"), "not both")],
)
def test_show_needs_ids_or_all(docs: Path, gloss: Gloss, args: tuple[str, ...], words: str) -> None:
    result = gloss("show", *args)
    assert result.code == 2 and words in result.err


def test_all_with_problems_still_streams_the_rest(docs: Path, gloss: Gloss) -> None:
    (docs / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    result = gloss("show", "--all", "--jsonl")
    assert result.code == 2
    assert len(result.out.strip().split("\n")) == 6
    assert "broken.pdf" in result.err
