"""`import_qdpx`: a REFI-QDA project from another tool, or from Gloss, as a new project."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.core.refi.refi_project import UNICODE, add_memos, annotate, make_corpus
from tests.core.refi.refi_schemas import zip_fixture
from tui.core.annotations.selection import select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import load_corpus
from tui.core.errors import PathError
from tui.core.export import export
from tui.core.export.qdpx import ProjectExport
from tui.core.project import read_project_file
from tui.core.refi.importer import Imported, article_id, import_qdpx
from tui.core.refi.package import QdpxError


def open_project(root: Path) -> tuple[dict[str, list[tuple[object, ...]]], AnnotationStore]:
    corpus_dir, store_dir = read_project_file(root / "gloss.toml")
    assert corpus_dir is not None and store_dir is not None
    corpus = load_corpus(corpus_dir)
    assert not corpus.problems
    store = AnnotationStore(store_dir, articles=corpus.articles.get)
    found: dict[str, list[tuple[object, ...]]] = {}
    for item in select(store, corpus).items:
        a = item.annotation
        assert item.state == "exact"
        assert corpus.get(a.article).body[a.start : a.end] == a.exact
        found.setdefault(a.article, []).append((a.start, a.end, a.exact, a.tags, a.note, a.author))
    return found, store


@pytest.fixture
def fixture_project(tmp_path: Path) -> Imported:
    package = zip_fixture(tmp_path / "fixture.qdpx")
    return import_qdpx(package, tmp_path / "imported")


def test_hand_written_fixture_imports_sources_codes_users_and_notes(
    fixture_project: Imported, tmp_path: Path
) -> None:
    done = fixture_project
    found, store = open_project(tmp_path / "imported")
    assert sorted(found) == ["Field notes", "Interview 1", "Report"]
    interview = sorted(found["Interview 1"])
    assert [row[2:] for row in interview] == [
        # CRLF counted once, "e" + combining acute written as one "é": the quotes are the
        # ones the other tool showed, at Gloss offsets.
        (
            "café deal",
            ("economic_ties",),
            "Where the story starts\n\nCheck the date of the deal.",
            "Ana Analyst",
        ),
        ("economic ties between China", ("Actors/China",), "", "Ben Coder"),
        ("economic ties between China", ("economic_ties", "Actors/China"), "", "Ana Analyst"),
        ("Russia agreed", ("Actors/Russia",), "", "Ben Coder"),
        (
            "北京 called it a “new era” 😀",
            ("Tone/optimism",),
            "Quoted from state media.",
            "Ben Coder",
        ),
        ("Naïve hopes", ("Tone/optimism",), "", "Ana Analyst"),
    ]
    assert interview[0][:2] == (24, 33)  # 26-36 in the file: two "\r" and one accent less
    assert found["Field notes"] == [(13, 18, "China", ("Actors/China",), "", "Ben Coder")]
    assert found["Report"] == [
        (15, 36, "Trade grew by a third", ("economic_ties",), "", "Ana Analyst")
    ]
    first = store.load("Interview 1")[0]
    assert (first.created, first.modified) == ("2024-05-02T08:00:00Z", "2024-05-02T09:30:00Z")
    book = store.codebook()
    assert book.tags["Actors/China"].colour == "#FF0000"  # "#F00" in the file
    assert book.tags["Actors/China"].description == "The Chinese state"
    assert book.tags["Actors"].description == "Who acts"
    assert book.tags["economic_ties"].description == "Trade, investment, energy."
    assert all(info.colour for info in book.tags.values())
    assert done.authors == ["Ana Analyst", "Ben Coder"]
    assert done.renamed == [("economic ties", "economic_ties"), ("Tone::optimism", "Tone/optimism")]


def test_fixture_variables_and_source_codings_become_front_matter(
    fixture_project: Imported, tmp_path: Path
) -> None:
    corpus = load_corpus(tmp_path / "imported" / "corpus")
    article = corpus.get("Interview 1")
    assert article.title == "Interview with Ana"
    assert article.date is not None and article.date.isoformat() == "2024-04-30"
    assert article.tags == ("Actors/Russia",)
    assert article.body.startswith("Interview with Ana\n\nThe café deal")
    assert "\r" not in article.body


def test_fixture_lists_everything_it_could_not_carry(fixture_project: Imported) -> None:
    lost = "\n".join(fixture_project.not_carried)
    for expected in (
        "PDF source 'Report.pdf': 1 page region selection",
        "picture source 'breakfast.jpg' with 1 selection",
        "audio source 'talk.m4a'",
        "1 set of codes or sources",
        "1 source's formatting (rich text",
        "variable 'Age' = '34'",
        "positions 160-400 are not inside its text (0-165)",
        "1 note attached to no text selection ('Research plan')",
    ):
        assert expected in lost
    assert len(fixture_project.not_carried) == 8
    assert "first interview" not in lost and "on the whole source" not in lost  # memos now


def test_a_source_comment_and_its_notes_become_the_article_memo(
    fixture_project: Imported, tmp_path: Path
) -> None:
    _, store = open_project(tmp_path / "imported")
    # The source's Description (where QualCoder keeps a source memo), then the Note the
    # TextSource points to (its text a file in the zip); a PDF's own Description too.
    assert store.memos() == {
        "Interview 1": "Ana's first interview\n\nMemo: the interview was short.",
        "Report": "The annual report, as QualCoder keeps a source memo.",
    }
    assert fixture_project.memos == 2


def test_gloss_round_trip_keeps_every_annotation(seeds_dir: Path, tmp_path: Path) -> None:
    corpus = make_corpus(seeds_dir, tmp_path / "corpus")
    store = annotate(corpus, tmp_path / "store")
    memos = add_memos(store)
    project = ProjectExport("round", list(corpus.articles.values()), store.codebook(), memos)
    data = export(select(store, corpus), "qdpx", project)
    assert isinstance(data, bytes)
    (tmp_path / "round.qdpx").write_bytes(data)
    import_qdpx(tmp_path / "round.qdpx", tmp_path / "back")
    found, back = open_project(tmp_path / "back")
    original: dict[str, list[tuple[int, int, str, tuple[str, ...], str, str]]] = {}
    for a in store.scan():
        original.setdefault(a.article, []).append(
            (a.start, a.end, a.exact, a.tags, a.note, a.author)
        )
    # The one note with a control character comes back with its visible picture.
    assert {k: sorted(v) for k, v in found.items()} == {
        k: sorted((*row[:4], row[4].replace("\x1b", "␛"), row[5]) for row in v)
        for k, v in original.items()
    }
    assert back.memos() == memos == store.memos()  # one on an article with no annotation
    times = sorted((a.created, a.modified) for a in back.scan())
    assert times == sorted((a.created, a.modified) for a in store.scan())
    book, again = store.codebook(), back.codebook()
    for name, info in book.tags.items():
        assert (again.tags[name].description, again.tags[name].colour) == (
            info.description,
            info.colour,
        )
    new_corpus = load_corpus(tmp_path / "back" / "corpus")
    for article in corpus.articles.values():
        copy = new_corpus.get(article.id)
        assert copy.body == article.body
        assert (copy.title, copy.date, copy.source, copy.tags) == (
            article.title,
            article.date,
            article.source,
            article.tags,
        )
    assert new_corpus.get(UNICODE).tags == ("sample",)


def test_importing_twice_gives_the_same_files(tmp_path: Path) -> None:
    package = zip_fixture(tmp_path / "f.qdpx")
    import_qdpx(package, tmp_path / "one")
    import_qdpx(package, tmp_path / "two")
    files = sorted(
        p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file()
    )
    assert files and files == sorted(
        p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file()
    )
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_folder_that_is_not_empty_is_refused_untouched(tmp_path: Path) -> None:
    package = zip_fixture(tmp_path / "f.qdpx")
    target = tmp_path / "busy"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(PathError, match="busy: folder is not empty"):
        import_qdpx(package, target)
    assert [p.name for p in target.iterdir()] == ["keep.txt"]


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    import_qdpx(zip_fixture(tmp_path / "f.qdpx"), tmp_path / "empty")
    assert (tmp_path / "empty" / "gloss.toml").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a QDPX file (a QDPX is a zip archive)"),
        (None, "no project.qde inside"),
        (b"<Project", "project.qde:1: not well-formed XML"),
        (b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>', "root element is <CodeBook>"),
    ],
)
def test_a_broken_package_is_one_error_naming_it_and_writes_nothing(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    package = tmp_path / "bad.qdpx"
    if content == b"not a zip":
        package.write_bytes(content)
    else:
        with zipfile.ZipFile(package, "w") as archive:
            archive.writestr("project.qde" if content else "readme.txt", content or b"hi")
    with pytest.raises(QdpxError) as caught:
        import_qdpx(package, tmp_path / "out")
    assert str(caught.value).startswith(f"{package}: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_a_missing_package_is_a_path_error(tmp_path: Path) -> None:
    with pytest.raises(PathError, match="file not found"):
        import_qdpx(tmp_path / "nope.qdpx", tmp_path / "out")


def test_missing_internal_source_is_reported(tmp_path: Path) -> None:
    package = tmp_path / "p.qdpx"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(
            "project.qde",
            '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>'
            '<TextSource guid="5c000000-0000-4000-8000-000000000001" name="a.txt" '
            'plainTextPath="internal://5c000000-0000-4000-8000-000000000001.txt"/>'
            "</Sources></Project>",
        )
    done = import_qdpx(package, tmp_path / "out")
    assert done.articles == 0
    assert done.not_carried == [
        "text source 'a.txt': internal://5c000000-0000-4000-8000-000000000001.txt is "
        "missing from the package"
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Interview 1.docx", "Interview 1"),
        ("Mabêl 2ième.txt", "Mabêl 2ième"),
        ("../../etc/passwd", "etc/passwd"),
        (".hidden", "hidden"),
        ('a:b*c?"d"<e>|f', "a_b_c_d_e_f"),
        ("tags", "tags-2"),
        ("", "source"),
    ],
)
def test_article_ids_are_safe_file_names(name: str, expected: str) -> None:
    assert article_id(name, set()) == expected


def test_article_ids_never_clash_ignoring_case() -> None:
    taken: set[str] = set()
    ids = []
    for name in ("Notes.txt", "notes.docx", "NOTES"):
        ids.append(article_id(name, taken))
        taken.add(ids[-1].lower())
    assert ids == ["Notes", "notes-2", "NOTES-3"]


def test_an_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    """A "billion laughs" project.qde is stopped by the XML parser, not expanded."""
    entities = '<!ENTITY a0 "lol">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE Project [{entities}]><Project name="&a9;"/>'
    package = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("project.qde", bomb)
    with pytest.raises(QdpxError, match="not well-formed XML"):
        import_qdpx(package, tmp_path / "out")
