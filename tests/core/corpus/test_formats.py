"""Real documents in the corpus: PDF, DOCX, EPUB, ODT, HTML and mail, made by the tests.

Each is checked on its body, its metadata and the problems broken files give; the CLI
tests in tests/cli/test_documents_cli.py check spans, pages and exports on them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.documents import (
    LOREM,
    mail_message,
    news_page,
    write_docx,
    write_epub,
    write_odt,
    write_pdf,
)
from tui.core.corpus.formats import read_document
from tui.core.corpus.load import load_corpus
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError

PAGES = [
    ["Report on energy ties", "The negotia-\ntions went on. " + LOREM, "Page one ends here."],
    ["Second page opens with a pipeline. " + LOREM],
    ["Third page: the conclusion of the report, with café and Genève."],
]


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    return write_pdf(
        tmp_path / "docs" / "report.pdf",
        PAGES,
        title="Energy Ties Report",
        author="Jane Analyst",
        created=dt.datetime(2023, 5, 17, 10, 0, tzinfo=dt.UTC),
    )


def problem(folder: Path, article_id: str, **options: object) -> str:
    corpus = load_corpus(folder, options=ReadOptions(**options))  # type: ignore[arg-type]
    assert article_id not in corpus.articles
    message = str(corpus.problems[article_id])
    assert "\n" not in message and "Traceback" not in message
    return message


# -- PDF ------------------------------------------------------------------------------


def test_pdf_body_pages_and_metadata(pdf: Path) -> None:
    article = load_corpus(pdf.parent).get("report")
    assert (article.title, article.author, article.date) == (
        "Energy Ties Report",
        "Jane Analyst",
        dt.date(2023, 5, 17),
    )
    body = article.body
    assert len(article.pages) == 3 and article.pages[0] == 0
    for number, (start, page) in enumerate(zip(article.pages, PAGES, strict=True), start=1):
        assert body[start:].startswith(page[0].split()[0])
        assert article.page_at(start) == number
        assert article.page_at(start + 5) == number
    assert body[article.pages[1] - 2 : article.pages[1]] == "\n\n"  # a page break: a blank line
    assert article.page_at(article.pages[1] - 1) == 1
    assert article.page_at(len(body)) == 3
    assert "negotiations went on" in body and "negotia-" not in body
    assert "café and Genève" in body
    assert article.extractor is not None and article.extractor.startswith("pdfminer.six ")


def test_a_text_article_has_no_pages(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain text.\n")
    article = load_corpus(tmp_path).get("a")
    assert article.pages == () and article.page_at(3) is None and article.extractor is None


def test_encrypted_pdf_is_one_line_and_the_rest_loads(pdf: Path) -> None:
    write_pdf(pdf.parent / "secret.pdf", [["Classified text."]], password="hunter2")
    message = problem(pdf.parent, "secret")
    assert message.startswith(str(pdf.parent / "secret.pdf")) and "needs a password" in message
    assert "report" in load_corpus(pdf.parent).articles


def test_scanned_pdf_says_ocr_it_first(tmp_path: Path) -> None:
    write_pdf(tmp_path / "scan.pdf", [[], []], image_only=True)
    assert "no text layer; OCR it first" in problem(tmp_path, "scan")


def test_pdf_over_the_size_cap_is_reported_with_the_cap_and_why(pdf: Path) -> None:
    message = problem(pdf.parent, "report", max_document_mb=0.001)
    assert "over the 0.001 MB cap" in message and "max_document_mb" in message
    assert "memory" in message


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("fake.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("cut.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "cannot read this PDF"),
    ],
)
def test_broken_pdfs_are_one_line(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    (tmp_path / name).write_bytes(data)
    assert words in problem(tmp_path, name.removesuffix(".pdf"))


def test_an_extractor_that_crashes_is_one_line(pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.core.corpus.formats import pdf as pdf_module

    def crash(layout: object) -> str:
        raise RuntimeError("an internal bug\nwith two lines")

    monkeypatch.setattr(pdf_module, "page_text", crash)
    message = problem(pdf.parent, "report")
    assert message == f"{pdf}: cannot read this PDF: RuntimeError: an internal bug with two lines"


# -- DOCX, ODT, EPUB ------------------------------------------------------------------


def test_docx_paragraphs_headings_lists_table_and_properties(tmp_path: Path) -> None:
    write_docx(tmp_path / "review.docx")
    article = load_corpus(tmp_path).get("review")
    assert (article.title, article.author, article.date) == (
        "Quarterly Review of Sanctions",
        "Ivan Petrov",
        dt.date(2022, 2, 3),
    )
    blocks = article.body.split("\n\n")
    assert blocks[0] == "Quarterly Review of Sanctions"
    assert blocks[1].startswith("The café in Genève closed early.")
    assert blocks[2] == "Findings"
    assert blocks[3] == "- Exports of machine tools rose\n- Payments moved to smaller banks"
    assert blocks[4] == "Year | Exports | Imports\n2022 | 76 | 114\nSource: customs data"
    assert blocks[5] == "After the table comes the conclusion of the review."
    assert article.pages == ()


def test_truncated_docx_is_a_bad_zip(tmp_path: Path) -> None:
    data = write_docx(tmp_path / "whole.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    assert "damaged or truncated (bad zip)" in problem(tmp_path, "cut")
    assert "whole" in load_corpus(tmp_path).articles


def test_odt_body_and_meta(tmp_path: Path) -> None:
    write_odt(tmp_path / "notes.odt")
    article = load_corpus(tmp_path).get("notes")
    assert (article.title, article.author, article.date) == (
        "Notes on the Harbin Fair",
        "Zoé Martin",
        dt.date(2021, 7, 8),
    )
    assert article.body.split("\n\n") == [
        "Notes on the Harbin Fair",
        "Putin attended a trade fair in Harbin. " + LOREM,
        "- first stand\n- second stand",
    ]


def test_epub_chapters_in_spine_order_with_dublin_core(tmp_path: Path) -> None:
    chapters = [
        ("Epilogue", "<p>The end of the <em>story</em>.</p>"),
        ("Chapter One", "<p>It began in Harbin.</p><p>Then Moscow.<br/>And Beijing.</p>"),
        ("Chapter Two", "<ul><li>first</li><li>second</li></ul><p>" + LOREM + "</p>"),
    ]
    write_epub(tmp_path / "book.epub", chapters, spine=[1, 2, 0])
    article = load_corpus(tmp_path).get("book")
    assert (article.title, article.author, article.source, article.date) == (
        "The Eastern Partnership",
        "Anna Petrova, Li Wei",
        "Harbour Press",
        dt.date(2019, 6, 1),
    )
    assert article.body.split("\n\n") == [
        "Chapter One",
        "It began in Harbin.",
        "Then Moscow.\nAnd Beijing.",
        "Chapter Two",
        "first\nsecond",
        LOREM,
        "Epilogue",
        "The end of the story.",
    ]
    assert "Contents" not in article.body  # the nav document is not in the spine


def test_epub_without_container_is_one_line(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "odd.epub", "w") as book:
        book.writestr("mimetype", "application/epub+zip")
    assert "no META-INF/container.xml" in problem(tmp_path, "odd")


# -- HTML -----------------------------------------------------------------------------

ARTICLE = [
    LOREM,
    "The deal, announced after talks in Beijing, covers up to 50 billion cubic metres a "
    "year. Analysts said the price terms would show how much leverage Beijing now holds.",
    "Neither side gave figures. A spokesman for the energy ministry said construction "
    "would begin next year, adding that the route had been agreed in principle.",
]


def test_html_main_text_without_furniture_and_its_metadata(tmp_path: Path) -> None:
    page = news_page("Beijing and Moscow sign a new energy pact", ARTICLE)
    (tmp_path / "pact.html").write_text(page, encoding="utf-8")
    article = load_corpus(tmp_path).get("pact")
    assert article.title == "Beijing and Moscow sign a new energy pact"  # not "Site | ..."
    assert (article.source, article.author, article.date, article.url) == (
        "Eastern Wire",
        "Anna Petrova",
        dt.date(2024, 3, 12),
        "https://easternwire.example/beijing-and-moscow-sign-a-new-energy-pac",
    )
    for paragraph in ARTICLE:
        assert f"\n\n{paragraph}" in article.body or article.body.startswith(paragraph)
    for furniture in (
        "cookie",
        "Home",
        "Subscribe",
        "newsletter",
        "Related stories",
        "Harbin trade fair",
        "Great article",
        "pixel",
        "font-family",
        "All rights reserved",
    ):
        assert furniture not in article.body, furniture


def test_html_title_without_og_loses_the_site_name(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Headline of the day | Eastern Wire</title>"
        '<meta property="og:site_name" content="Eastern Wire"></head><body><article>'
        + "".join(f"<p>{p}</p>" for p in ARTICLE)
        + "</article></body></html>"
    )
    (tmp_path / "a.htm").write_text(page, encoding="utf-8")
    assert load_corpus(tmp_path).get("a").title == "Headline of the day"


def test_html_in_latin1_declared_by_meta_and_xhtml_with_a_declaration(tmp_path: Path) -> None:
    text = "Le café était fermé à Genève, et les négociations ont repris. " * 6
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Un café</title></head>'
        f"<body><p>{text}</p></body></html>"
    )
    (tmp_path / "fr.html").write_bytes(page.encode("latin-1"))
    xhtml = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>Deux</title></head><body><p>{text}</p></body></html>"
    )
    (tmp_path / "x.xhtml").write_text(xhtml, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert "café était fermé à Genève" in corpus.get("fr").body
    assert "négociations" in corpus.get("x").body


def test_html_with_no_extractable_text_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "app.html").write_text(
        "<html><head><script>render()</script></head><body><div id='root'></div>"
        "<nav><a href='/'>Home</a></nav></body></html>"
    )
    assert "no article text found in this web page" in problem(tmp_path, "app")


# -- mail and news --------------------------------------------------------------------


def test_eml_multipart_takes_the_plain_part_and_the_headers(tmp_path: Path) -> None:
    body = "Dear desk,\n\nThe pipeline deal was signed this morning in Beijing.\n"
    data = mail_message("Pipeline deal signed", body, html="<p>HTML version, not this</p>")
    (tmp_path / "tip.eml").write_bytes(data)
    article = load_corpus(tmp_path).get("tip")
    assert (article.title, article.author, article.source, article.date) == (
        "Pipeline deal signed",
        "Anna Petrova",
        "Eastern Wire",
        dt.date(2024, 3, 12),
    )
    assert article.body == body


def test_eml_with_html_only_is_read_as_text(tmp_path: Path) -> None:
    from email.message import EmailMessage

    message = EmailMessage()
    message["Subject"] = "=?utf-8?q?Caf=C3=A9_talks?="
    message["From"] = "news@list.example"
    message["List-Id"] = "Energy Watch <energy.list.example>"
    message.set_content(
        "<html><body>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>", subtype="html"
    )
    (tmp_path / "letter.eml").write_bytes(bytes(message))
    article = load_corpus(tmp_path).get("letter")
    assert (article.title, article.author, article.source) == (
        "Café talks",
        "news@list.example",
        "Energy Watch",
    )
    assert article.body.startswith(LOREM)


USENET = """\
Path: news.example!not-for-mail
From: larry@example.com (Larry Klaes)
Newsgroups: sci.space.news,sci.astro
Subject: Shuttle launch delayed again
Date: 5 Apr 93 12:00:00 GMT
Organization: Digital Equipment Corporation
Lines: 3
Message-ID: <1993Apr5.120000@example.com>

The launch was delayed by a day because of weather at the Cape.

Copyright (c) 1993 by Larry Klaes
"""


def test_usenet_post_in_a_text_file(tmp_path: Path) -> None:
    (tmp_path / "post.txt").write_text(USENET)
    article = load_corpus(tmp_path).get("post")
    assert (article.title, article.author, article.source, article.date) == (
        "Shuttle launch delayed again",
        "Larry Klaes",
        "Digital Equipment Corporation",
        dt.date(1993, 4, 5),
    )
    assert article.body.startswith("The launch was delayed")
    assert "Newsgroups:" not in article.body


def test_news_source_falls_back_to_the_newsgroup(tmp_path: Path) -> None:
    text = USENET.replace("Organization: Digital Equipment Corporation\n", "")
    (tmp_path / "post.txt").write_text(text)
    assert load_corpus(tmp_path).get("post").source == "sci.space.news"


@pytest.mark.parametrize(
    "text",
    [
        "Note: this is prose.\nSubject: not a header block, no blank line after two",
        "Summary: a one-line label\n\nThen the article text.",
        "Subject: lonely\nKeywords: x\n\nNo From, Date or group: not mail.",
    ],
)
def test_prose_is_not_taken_for_mail_headers(tmp_path: Path, text: str) -> None:
    (tmp_path / "a.txt").write_text(text)
    assert load_corpus(tmp_path).get("a").body == text


# -- YAML front matter and sidecars ---------------------------------------------------


def test_yaml_front_matter_is_read_and_taken_out_of_the_body(tmp_path: Path) -> None:
    (tmp_path / "post.md").write_text(
        '---\ntitle: "Sanctions: a primer"\nauthor: [Ann Lee, Bo Chen]\ndate: 2024-03-12\n'
        "tags: [energy, russia]\nsource: Le Monde\nlayout: post\n---\n\nThe body starts here.\n"
    )
    article = load_corpus(tmp_path).get("post")
    assert (article.title, article.author, article.date, article.tags, article.source) == (
        "Sanctions: a primer",
        "Ann Lee, Bo Chen",
        dt.date(2024, 3, 12),
        ("energy", "russia"),
        "Le Monde",
    )
    assert article.body == "The body starts here.\n" and article.front_matter


def test_yaml_datetime_and_string_dates(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndate: 2021-12-17 10:30:00 +01:00\n---\nText.")
    (tmp_path / "b.md").write_text("---\ndate: '2020-01-02T03:04:05Z'\n---\nText.")
    corpus = load_corpus(tmp_path)
    assert corpus.get("a").date == dt.date(2021, 12, 17)
    assert corpus.get("b").date == dt.date(2020, 1, 2)


@pytest.mark.parametrize(
    ("front", "where"),
    [
        ("title: [unclosed\n", ":3:"),
        ("title: ok\n  bad: indent\n", ":3:"),
        ("date: 12\n", "'date'"),
    ],
)
def test_broken_yaml_names_file_and_line(tmp_path: Path, front: str, where: str) -> None:
    (tmp_path / "bad.md").write_text(f"---\n{front}---\nBody.")
    message = problem(tmp_path, "bad")
    assert message.startswith(str(tmp_path / "bad.md")) and where in message


def test_yaml_never_builds_objects(tmp_path: Path) -> None:
    (tmp_path / "evil.md").write_text(
        "---\ntitle: !!python/object/apply:os.system ['true']\n---\nX"
    )
    assert "bad front matter" in problem(tmp_path, "evil")


def test_a_rule_at_the_top_is_not_front_matter(tmp_path: Path) -> None:
    text = "---\nA text that opens with a rule.\n---\nAnd goes on.\n"
    (tmp_path / "a.md").write_text(text)
    assert load_corpus(tmp_path).get("a").body == text


def test_sidecar_wins_over_extracted_metadata(pdf: Path) -> None:
    (pdf.parent / "report.meta.toml").write_text(
        'title = "Better Title"\nsource = "Think Tank"\ntags = ["energy"]\n'
    )
    corpus = load_corpus(pdf.parent)
    article = corpus.get("report")
    assert (article.title, article.source, article.author, article.tags) == (
        "Better Title",
        "Think Tank",
        "Jane Analyst",  # not in the sidecar: the PDF's own
        ("energy",),
    )
    assert list(corpus.articles) == ["report"]  # the sidecar is not an article


def test_editing_a_sidecar_is_a_change_of_its_article(tmp_path: Path) -> None:
    import os

    from tui.core.project import Project
    from tui.core.workspace import Workspace

    (tmp_path / "a.txt").write_text("Some text here.\n")
    sidecar = tmp_path / "a.meta.toml"
    sidecar.write_text('title = "First"\n')
    workspace = Workspace(Project(corpus=tmp_path, annotations=tmp_path / "store"))
    assert workspace.article("a").title == "First"
    sidecar.write_text('title = "Second, longer"\n')
    os.utime(sidecar, ns=(sidecar.stat().st_atime_ns, sidecar.stat().st_mtime_ns + 10**9))
    assert workspace.article("a").title == "Second, longer"
    assert workspace.reload_corpus().get("a").title == "Second, longer"


def test_a_broken_sidecar_is_a_problem_naming_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "b.txt").write_text("Other text.\n")
    (tmp_path / "a.meta.toml").write_text('title = "unclosed\n')
    message = problem(tmp_path, "a")
    assert message.startswith(f"{tmp_path / 'a.meta.toml'}:1: bad metadata")
    assert "b" in load_corpus(tmp_path).articles


# -- the pure entry point -------------------------------------------------------------


def test_read_document_is_pure_and_deterministic(pdf: Path) -> None:
    data = pdf.read_bytes()
    first = read_document(pdf, data)
    assert first == read_document(pdf, data)
    assert first.pages == load_corpus(pdf.parent).get("report").pages


def test_unknown_suffix_is_not_an_article(tmp_path: Path) -> None:
    (tmp_path / "data.csv").write_text("a,b\n")
    assert len(load_corpus(tmp_path)) == 0


def test_forced_encoding_cannot_decode_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes("Ça coûte 5 €".encode("cp1252"))
    with pytest.raises(CorpusError, match=r"cannot decode as ascii: byte 0x"):
        load_corpus(tmp_path, options=ReadOptions(encoding="ascii")).get("a")


def test_a_heading_is_not_also_the_source(tmp_path: Path) -> None:
    write_docx(tmp_path / "review.docx")  # its first line, the title, holds "Review"
    assert load_corpus(tmp_path).get("review").source is None
