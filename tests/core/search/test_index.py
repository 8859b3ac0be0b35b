"""The search index: every query form on the seeds, freshness, damage, locking, annotations."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.recording import record_reads
from tui.core.corpus import parse as parse_module
from tui.core.corpus.load import load_corpus
from tui.core.search import build as build_module
from tui.core.search.analysis import stem, word_spans
from tui.core.search.backend import SearchBackend
from tui.core.search.index import SearchCancelled, SearchIndex
from tui.core.search.manifest import MANIFEST_FILE
from tui.core.search.query import QueryError

REPO = Path(__file__).resolve().parents[3]
ICARO = "000_1b8bce5c4f6c6391"  # 2024-04-26, ExpoElectronica, "Economic Ties"
BIN = "001_6f77d67fd69055e2"  # 2023-10-16, Putin in the title
BLOG = "002_02e842533f2f6168"  # 2021-12-17
SALES = "003_5a4e13669b936add"  # undated, "semiconductor"
HARBIN = "004_bb928d6639fb2ab5"  # undated, "semiconductors", Putin in the title


def article(title: str, body: str, **meta: object) -> str:
    """An article file with TOML front matter."""
    lines = ["+++", f'title = "{title}"']
    for key, value in meta.items():
        lines.append(f"{key} = {json.dumps(value) if key != 'date' else value}")
    return "\n".join([*lines, "+++", body, ""])


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """One index of the bundled seeds for the read-only tests of this module."""
    index = SearchIndex(REPO / "seeds", folder=tmp_path_factory.mktemp("index"))
    index.refresh()
    return index


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def ids(index: SearchBackend, query: str, **options: object) -> list[str]:
    return [hit.id for hit in index.search(query, **options).hits]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("semiconductors", {SALES, HARBIN}),
        ("SEMICONDUCTOR", {SALES, HARBIN}),
        ('"economic ties"', {ICARO, BIN}),
        ('"ties economic"', set()),
        ('"expoelectronica chinese"~3', {ICARO}),
        ("semi*", {SALES, HARBIN}),
        ("semiconducto?", {SALES}),  # one letter: "semiconductor", not "semiconductors"
        ("semiconducto??", {HARBIN}),
        ("Expoelectronika~", {ICARO}),
        ("Expoelectroniqa~2", {ICARO}),
        ("title:putin", {BIN, HARBIN}),
        ("source:icaro", {ICARO}),
        ("date:2023", {BIN}),
        ("date:2024-04", {ICARO}),
        ("date:2024-04-26", {ICARO}),
        ("date:[2021-01-01 TO 2023-12-31]", {BIN, BLOG}),
        ("date:>2023-10-16", {ICARO}),
        ("date:>=2023-10-16", {ICARO, BIN}),
        ("date:<2022", {BLOG}),
        ("NOT semiconductors", {ICARO, BIN, BLOG}),
        ("semiconductors OR expoelectronica", {ICARO, SALES, HARBIN}),
        ("putin AND (semiconductors OR expoelectronica)", {ICARO, SALES, HARBIN} & {ICARO, HARBIN}),
        ("semiconductors NOT harbin", {SALES}),
        ("semiconductors AND date:2024", set()),
    ],
)
def test_query_forms_find_the_expected_articles(
    seeds_index: SearchIndex, query: str, expected: set[str]
) -> None:
    assert set(ids(seeds_index, query)) == expected


def test_a_search_result_has_hits_total_and_exact_spans(seeds_index: SearchIndex) -> None:
    corpus = load_corpus(REPO / "seeds")
    result = seeds_index.search("semiconductors", limit=1)
    assert result.total == 2 and len(result.hits) == 1
    hit = result.hits[0]
    body = corpus.get(hit.id).body
    assert hit.spans and all(body[s:e].lower().startswith("semiconductor") for s, e in hit.spans)
    assert hit.title == corpus.get(hit.id).title
    assert hit.snippet_spans
    assert {hit.snippet[a:b] for a, b in hit.snippet_spans} <= {body[s:e] for s, e in hit.spans}


def test_a_phrase_span_covers_the_phrase_as_written(seeds_index: SearchIndex) -> None:
    corpus = load_corpus(REPO / "seeds")
    for hit in seeds_index.search('"economic ties"').hits:
        body = corpus.get(hit.id).body
        assert [body[s:e].lower() for s, e in hit.spans] == ["economic ties"] * len(hit.spans)
    first = seeds_index.search('"economic ties"').hits[0]
    assert "Economic Ties" in [corpus.get(first.id).body[s:e] for s, e in first.spans]


def test_spans_skip_terms_under_not(seeds_index: SearchIndex) -> None:
    corpus = load_corpus(REPO / "seeds")
    for hit in seeds_index.search("semiconductors OR NOT russia").hits:
        body = corpus.get(hit.id).body
        assert all(stem(body[s:e]) == "semiconductor" for s, e in hit.spans)


def test_sort_by_date_is_newest_first_with_undated_last(seeds_index: SearchIndex) -> None:
    hits = seeds_index.search("china", sort="date").hits
    assert [hit.id for hit in hits] == [ICARO, BIN, BLOG, SALES, HARBIN]  # undated: by title
    assert all(hit.score > 0 for hit in hits)
    titles = [hit.title.casefold() for hit in seeds_index.search("china", sort="title").hits]
    assert titles == sorted(titles)


def test_no_hits_offers_a_close_word(seeds_index: SearchIndex) -> None:
    result = seeds_index.search("semicondutors")
    assert result.hits == () and result.total == 0
    assert result.suggestion == "semiconductors"  # one letter off, as written
    assert seeds_index.search("xylophone").suggestion is None
    assert seeds_index.search("putin AND expoelectronika").suggestion == "putin AND expoelectronica"


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ('"economic ties', "unbalanced quote"),
        ("china AND (russia OR taiwan", "unbalanced '('"),
        ("china)", "unbalanced ')'"),
        ("date:[2024-01-01 TO 2024-12-31", "unbalanced '['"),
        ("date:2024-13-01", "invalid date '2024-13-01'"),
        ("date:2023-02-30", "invalid date '2023-02-30'"),
        ("date:yesterday", "invalid date 'yesterday'"),
        ("date:[2024 TO soon]", "invalid date 'soon'"),
        ("colour:red", "unknown field 'colour:'"),
        ("", "empty query"),
        ("   ", "empty query"),
        ("!!!", "nothing to search for"),
    ],
)
def test_bad_queries_name_the_problem(seeds_index: SearchIndex, query: str, problem: str) -> None:
    with pytest.raises(QueryError, match=re.escape(problem)) as caught:
        seeds_index.search(query)
    assert "\n" not in str(caught.value)


def test_bad_sort_and_limit_are_query_errors(seeds_index: SearchIndex) -> None:
    with pytest.raises(QueryError, match="unknown sort"):
        seeds_index.search("china", sort="words")
    with pytest.raises(QueryError, match="limit"):
        seeds_index.search("china", limit=0)


def test_a_cancelled_search_stops(seeds_index: SearchIndex) -> None:
    with pytest.raises(SearchCancelled):
        seeds_index.search("china", cancelled=lambda: True)


def test_similar_never_returns_the_article_itself(seeds_index: SearchIndex) -> None:
    result = seeds_index.similar(HARBIN, limit=10)
    found = [hit.id for hit in result.hits]
    assert HARBIN not in found and len(found) == 4
    with pytest.raises(Exception, match="unknown article id 'nope'"):
        seeds_index.similar("nope")


def test_fields_tags_authors_and_boilerplate(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    filler = "The committee met again on Tuesday to discuss the budget. " * 8
    (folder / "a.txt").write_text(
        article(
            "Grain exports",
            filler + "\n\nPhoto credit: Zanzibar Agency\n",
            author="Li Wei",
            tags=["actor/china", "topic/trade"],
            date="2024-02-01",
        )
    )
    (folder / "b.txt").write_text(
        article(
            "Port news",
            filler + " Zanzibar ports reopened.\n",
            author="Anna Kowalski",
            tags=["actor/russia"],
        )
    )
    index = SearchIndex(folder, folder=tmp_path / "index")
    index.refresh()
    assert set(ids(index, "tag:actor")) == {"a", "b"}
    assert ids(index, "tag:actor/china") == ["a"]
    assert ids(index, "tag:topic") == ["a"]
    assert ids(index, "author:kowalski") == ["b"]
    assert ids(index, "author:wei date:2024") == ["a"]
    # Boilerplate still matches, but counts less than the article text.
    assert ids(index, "zanzibar") == ["b", "a"]
    hit = index.search("zanzibar").hits[1]
    body = load_corpus(folder).get("a").body
    assert [body[s:e] for s, e in hit.spans] == ["Zanzibar"]


def test_refresh_applies_adds_edits_and_deletions(corpus: Path, tmp_path: Path) -> None:
    index = SearchIndex(corpus, folder=tmp_path / "index")
    first = index.refresh()
    assert (first.added, first.rebuilt) == (5, True)
    again = index.refresh()
    assert (again.unchanged, again.changed) == (5, False)

    (corpus / "new.txt").write_text("Aardvarks of Tashkent\n\nAardvarks were seen in Tashkent.\n")
    edited = corpus / f"{SALES}.txt"
    edited.write_text(edited.read_text().replace("semiconductor", "microchip"))
    (corpus / f"{HARBIN}.txt").unlink()
    report = index.refresh()
    assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 3)
    assert ids(index, "aardvarks") == ["new"]
    assert ids(index, "microchip") == [SALES]
    assert ids(index, "semiconductors") == []
    assert HARBIN not in ids(index, "putin")


def test_a_fresh_check_reads_only_changed_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SearchIndex(corpus, folder=tmp_path / "index").refresh()
    read = record_reads(monkeypatch, "tui.core.corpus.parse")
    index = SearchIndex(corpus, folder=tmp_path / "index")
    assert index.refresh().unchanged == 5 and read == []
    touched = corpus / f"{BLOG}.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    report = index.refresh()
    assert read == [BLOG] and not report.changed
    assert index.refresh().unchanged == 5 and read == [BLOG]


def test_a_check_with_nothing_changed_skips_the_join_and_any_change_ends_that(
    project_dir: Path,
) -> None:
    """The catalogue's change token lets a no-change refresh skip comparing every row;
    every kind of change (a file, an annotation, the catalogue written directly) must
    still be seen."""
    from tui.core.project import resolve_project
    from tui.core.workspace import Workspace

    workspace = Workspace(resolve_project(cwd=project_dir))
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    assert index.refresh(corpus).unchanged == 5  # this empty plan is recorded as synced
    statements: list[str] = []
    index._manifest._connect().set_trace_callback(statements.append)
    assert index.refresh(corpus).unchanged == 5
    assert statements and not [sql for sql in statements if "JOIN" in sql]

    (corpus.root / f"{BLOG}.txt").write_text("Walruses of Tallinn\n\nWalruses were seen.\n")
    corpus.refresh()
    assert index.refresh(corpus).updated == 1
    assert ids(index, "walruses") == [BLOG]
    assert [sql for sql in statements if "JOIN" in sql]
    workspace.store.add(corpus.get(BLOG), 0, 8, tags=["zoo"], note="Tusks")
    assert ids(index, "note:tusks") == [BLOG]
    corpus.catalogue.forget(BLOG)
    index.refresh(corpus)
    assert ids(index, "walruses") == []


def test_a_loaded_corpus_is_used_without_reading_files(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_corpus(corpus)
    monkeypatch.setattr(parse_module, "read_article", lambda src, *rest: pytest.fail("read a file"))
    index = SearchIndex(corpus, folder=tmp_path / "index")
    assert index.refresh(loaded).added == 5
    assert set(ids(index, "semiconductors")) == {SALES, HARBIN}


def test_an_id_two_files_claim_is_a_named_problem_and_the_rest_is_indexed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "dup.txt").write_text("walrus one")
    (folder / "dup.md").write_text("walrus two")
    (folder / "fine.txt").write_text("A walrus article.")
    report = SearchIndex(folder, folder=tmp_path / "index").refresh()
    assert report.added == 1
    assert "two files map to article id 'dup': dup.md and dup.txt" in report.problems["dup"]
    assert ids(SearchIndex(folder, folder=tmp_path / "index"), "walrus") == ["fine"]


def test_a_read_only_corpus_is_indexed_without_writing_to_it(corpus: Path, tmp_path: Path) -> None:
    before = sorted((p.relative_to(corpus), p.stat().st_mtime_ns) for p in corpus.rglob("*"))
    for path in [*corpus.iterdir(), corpus]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        index = SearchIndex(corpus, folder=tmp_path / "cache" / "index")
        assert index.refresh().added == 5
        assert set(ids(index, "semiconductors")) == {SALES, HARBIN}
    finally:
        corpus.chmod(0o755)
    after = sorted((p.relative_to(corpus), p.stat().st_mtime_ns) for p in corpus.rglob("*"))
    assert after == before


def test_the_index_lives_in_the_cache_dir_keyed_by_corpus(
    corpus: Path, isolated_dirs: Path
) -> None:
    index = SearchIndex(corpus)
    index.refresh()
    assert index.folder.parent == isolated_dirs / "cache" / "index"
    assert index.folder.name.startswith("corpus-")
    assert SearchIndex(corpus.parent / "corpus").folder == index.folder


def test_a_truncated_index_is_rebuilt_with_a_notice(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    SearchIndex(corpus, folder=folder).refresh()
    biggest = max(
        (p for p in folder.iterdir() if p.suffix in (".seg", ".trm")),
        key=lambda p: p.stat().st_size,
    )
    biggest.write_bytes(biggest.read_bytes()[: biggest.stat().st_size // 2])
    index = SearchIndex(corpus, folder=folder)
    report = index.refresh()
    assert report.rebuilt and report.added == 5
    assert len(report.notices) == 1 and "damaged" in report.notices[0]
    assert set(ids(index, "semiconductors")) == {SALES, HARBIN}


def test_an_interrupted_build_or_old_schema_is_rebuilt(corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    SearchIndex(corpus, folder=folder).refresh()
    for leftover in folder.glob(f"{MANIFEST_FILE}*"):
        leftover.unlink()  # what a build killed before it wrote its manifest leaves
    report = SearchIndex(corpus, folder=folder).refresh()
    assert report.rebuilt and "incomplete" in report.notices[0]

    with sqlite3.connect(folder / MANIFEST_FILE) as db:
        db.execute("UPDATE meta SET value = '-1' WHERE key = 'schema'")
    db.close()
    report = SearchIndex(corpus, folder=folder).refresh()
    assert report.rebuilt and "another version" in report.notices[0]
    assert SearchIndex(corpus, folder=folder).refresh().changed is False


def test_explicit_rebuild_starts_over(corpus: Path, tmp_path: Path) -> None:
    index = SearchIndex(corpus, folder=tmp_path / "index")
    index.refresh()
    report = index.refresh(rebuild=True)
    assert report.rebuilt and report.added == 5 and report.notices == ()


def test_unreadable_files_are_reported_and_retried_only_when_changed(
    corpus: Path, tmp_path: Path
) -> None:
    broken = corpus / "broken.txt"
    broken.write_bytes(b"+++\ntitle = \n+++\nbody\n")
    index = SearchIndex(corpus, folder=tmp_path / "index")
    report = index.refresh()
    assert list(report.problems) == ["broken"] and "broken.txt" in report.problems["broken"]
    again = index.refresh()
    assert again.changed is False
    # Issue 17 #28: still unreadable, so still reported, and never counted as indexed.
    assert list(again.problems) == ["broken"] and again.total == 5 == report.total
    assert list(SearchIndex(corpus, folder=tmp_path / "index").refresh().problems) == ["broken"]
    broken.write_text("Fixed now\n\nA quokka appears.\n")
    assert index.refresh().added == 1
    assert ids(index, "quokka") == ["broken"]


def test_large_updates_use_several_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "SMALL", 10)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in range(30):
        (folder / f"n{number:02d}.txt").write_text(f"Note {number}\n\nWord{number} and common.\n")
    index = SearchIndex(folder, folder=tmp_path / "index")
    assert index.refresh().added == 30
    assert index.search("common").total == 30
    assert ids(index, "word17") == ["n17"]


def test_small_updates_merge_tiny_segments_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's own policy would fold the large segments of a first build into a one-file
    update (at 100k articles: the whole index rewritten); only tiny ones may merge."""
    from whoosh import index as whoosh_index

    monkeypatch.setattr(build_module, "SMALL", 10)
    monkeypatch.setattr(build_module, "SEGMENT_DOCS", 8)
    monkeypatch.setattr(build_module, "TINY_SEGMENT", 5)
    monkeypatch.setattr(build_module, "TINY_MERGE_AT", 3)
    folder = tmp_path / "corpus"
    folder.mkdir()
    for number in range(32):
        (folder / f"n{number:02d}.txt").write_text(f"Note {number}\n\nWord{number} and common.\n")
    index = SearchIndex(folder, folder=tmp_path / "index")
    assert index.refresh().added == 32

    def segments() -> dict[str, int]:
        ix = whoosh_index.open_dir(str(tmp_path / "index"))
        return {segment.segment_id(): segment.doc_count_all() for segment in ix._segments()}

    large = segments()
    assert len(large) >= 4 and all(count >= 5 for count in large.values())
    counts = []
    for edit in range(7):
        (folder / f"n{edit:02d}.txt").write_text(f"Note {edit}\n\nZebra{edit} and common.\n")
        assert index.refresh().updated == 1
        now = segments()
        assert large.keys() <= now.keys()  # never rewritten
        counts.append(len(now) - len(large))
    assert max(counts) <= 3 and counts[-1] < 3  # tiny ones merged once three were there
    assert index.search("common").total == 32
    assert [ids(index, f"zebra{edit}") for edit in range(7)] == [[f"n{e:02d}"] for e in range(7)]


def test_two_processes_indexing_at_once_do_not_corrupt_it(corpus: Path, tmp_path: Path) -> None:
    for number in range(60):
        (corpus / f"extra{number:02d}.txt").write_text(
            f"Extra {number}\n\nA walrus, number {number}.\n"
        )
    folder = tmp_path / "index"
    script = (
        "import sys; from pathlib import Path; from tui.core.search.index import SearchIndex;"
        "r = SearchIndex(Path(sys.argv[1]), folder=Path(sys.argv[2])).refresh();"
        "print(r.added, r.unchanged)"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(corpus), str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    counts = sorted(out.split() for out, _ in outputs)
    assert counts == [["0", "65"], ["65", "0"]]
    index = SearchIndex(corpus, folder=folder)
    assert index.refresh().changed is False
    assert index.search("walrus").total == 60


def test_annotation_notes_and_tags_are_searchable_and_kept_fresh(project_dir: Path) -> None:
    from tui.core.project import resolve_project
    from tui.core.workspace import Workspace

    workspace = Workspace(resolve_project(cwd=project_dir))
    index = workspace.index
    index.refresh(workspace.corpus)
    assert ids(index, "annotated:yes") == []
    assert len(ids(index, "annotated:no")) == 5
    body = workspace.corpus.get(ICARO).body
    start = body.index("sanctions")
    note = workspace.store.add(
        workspace.corpus.get(ICARO),
        start,
        start + 9,
        tags=["actor/china"],
        note="Firms under sanctions exhibited",
    )
    assert ids(index, "note:firms") == [ICARO]
    assert ids(index, "annotated:actor") == [ICARO]
    assert ids(index, "annotated:actor/china") == [ICARO]
    assert ids(index, "annotated:yes") == [ICARO]
    assert ICARO not in ids(index, "annotated:no")
    workspace.store.edit(note.id, tags=["topic/trade"], note="Trade fair")
    assert ids(index, "annotated:actor") == []
    assert ids(index, "annotated:topic") == [ICARO]
    assert ids(index, "note:fair") == [ICARO]
    workspace.store.delete(note.id)
    assert ids(index, "annotated:yes") == []


def test_broken_annotation_file_is_named_when_a_search_needs_annotations(
    project_dir: Path,
) -> None:
    from tui.core.project import resolve_project
    from tui.core.workspace import Workspace

    workspace = Workspace(resolve_project(cwd=project_dir))
    article = workspace.corpus.get(ICARO)
    start = article.body.index("sanctions")
    workspace.store.add(article, start, start + 9, tags=["actor"], note="edited")
    broken = workspace.store.path_for(ICARO)
    broken.write_text(broken.read_text() + "\n[[annotation\n")
    before = broken.read_bytes()
    result = workspace.index.search("annotated:yes")
    assert ICARO not in [hit.id for hit in result.hits]
    assert len(result.notices) == 1
    assert str(broken) in result.notices[0] and "left out of note:/annotated:" in result.notices[0]
    assert workspace.index.search("sanctions").notices == ()  # plain searches are not nagged
    assert broken.read_bytes() == before


def test_word_spans_match_what_the_index_analyzer_sees() -> None:
    from tui.core.search.analysis import WordAnalyzer

    text = "Müller's U.S. sanctions—MARKETS, markets; naïve 42 x"
    analysed = [(t.text, t.startchar, t.endchar) for t in WordAnalyzer()(text, chars=True)]
    assert analysed == list(word_spans(text))
    assert [text[s:e] for _, s, e in word_spans(text)][:3] == ["Müller", "s", "U.S"]
    assert stem("Müller") == stem("muller") and stem("MARKETS") == stem("market")


def test_sloppy_phrases_match_and_span_like_whoosh(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Notes\n\nThe red big red fox ran; a red cat.\n")
    index = SearchIndex(folder, folder=tmp_path / "index")
    index.refresh()
    body = load_corpus(folder).get("a").body
    hit = index.search('"red fox"~2').hits[0]
    assert [body[s:e] for s, e in hit.spans] == ["red fox"]
    assert ids(index, '"big fox"~2') == ["a"] and ids(index, '"fox big"~2') == []


def test_the_fast_posting_format_writes_what_the_analyzer_would() -> None:
    from whoosh.formats import Positions

    from tui.core.search.analysis import WordAnalyzer, WordPositions

    text = "Markets fell; MARKETS rose. U.S. naïve " + "x" * 41 + " markets\n\nEnd of U.S markets"
    fast = sorted(WordPositions().word_values(text, None))
    slow = sorted(Positions().word_values(text, WordAnalyzer()))
    assert fast == slow and fast[[w for w, *_ in fast].index("market")][:3] == ("market", 4, 4.0)


def test_a_long_lived_index_sees_another_process_rebuild(corpus: Path, tmp_path: Path) -> None:
    app = SearchIndex(corpus, folder=tmp_path / "index")
    app.refresh()
    assert ids(app, "okapi") == []
    (corpus / f"{BLOG}.txt").write_text("Zoo\n\nAn okapi was born.\n")
    SearchIndex(corpus, folder=tmp_path / "index").refresh(rebuild=True)
    assert ids(app, "okapi") == [BLOG]
