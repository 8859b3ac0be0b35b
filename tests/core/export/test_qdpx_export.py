"""QDPX and QDC exports: valid against the REFI-QDA schemas, offsets that select the text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.core.refi.refi_project import (
    FIRST,
    MEMOS,
    QUOTES,
    UNANNOTATED,
    UNICODE,
    add_memos,
    annotate,
    make_corpus,
)
from tests.core.refi.refi_schemas import validate_codebook, validate_qdpx
from tui.core.annotations.model import AnnotationError
from tui.core.annotations.selection import Selection, select
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus
from tui.core.export import export
from tui.core.export.qdpx import ProjectExport, not_carried, source_guid
from tui.core.refi.codes import code_guid

NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def corpus(seeds_dir: Path, tmp_path: Path) -> Corpus:
    return make_corpus(seeds_dir, tmp_path / "corpus")


@pytest.fixture
def store(corpus: Corpus, tmp_path: Path) -> AnnotationStore:
    return annotate(corpus, tmp_path / "store")


def project(corpus: Corpus, store: AnnotationStore) -> ProjectExport:
    return ProjectExport("Test project", list(corpus.articles.values()), store.codebook())


def qdpx(selection: Selection, corpus: Corpus, store: AnnotationStore) -> bytes:
    data = export(selection, "qdpx", project(corpus, store))
    assert isinstance(data, bytes)
    return data


def test_qdpx_is_valid_and_every_selection_selects_its_quote(
    corpus: Corpus, store: AnnotationStore
) -> None:
    chosen = select(store, corpus)
    archive = validate_qdpx(qdpx(chosen, corpus, store))
    root = ET.fromstring(archive.read("project.qde"))
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == sorted(a.id for a in corpus)
    exact = {(a.article, a.id): a.exact for a in store.scan()}
    checked = 0
    for source in sources:
        ident = source.get("guid")
        assert source.get("plainTextPath") == f"internal://{ident}.txt"
        text = archive.read(f"sources/{ident}.txt").decode("utf-8")
        assert text == corpus.get(source.get("name") or "").body
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = (
                int(selection.get("startPosition", "")),
                int(selection.get("endPosition", "")),
            )
            assert text[start:end] in exact.values()
            checked += 1
    assert checked == len(exact) == 8
    assert all(name.startswith("sources/") or name == "project.qde" for name in archive.namelist())


def test_offsets_count_code_points_of_emoji_cjk_and_combining_accents(
    corpus: Corpus, store: AnnotationStore
) -> None:
    archive = validate_qdpx(qdpx(select(store, corpus), corpus, store))
    root = ET.fromstring(archive.read("project.qde"))
    ident = source_guid(UNICODE)
    text = archive.read(f"sources/{ident}.txt").decode("utf-8")
    source = root.find(f"q:Sources/q:TextSource[@guid='{ident}']", NS)
    assert source is not None
    spans = {
        text[int(s.get("startPosition", "")) : int(s.get("endPosition", ""))]: (
            int(s.get("startPosition", "")),
            int(s.get("endPosition", "")),
        )
        for s in source.findall("q:PlainTextSelection", NS)
    }
    assert sorted(spans) == sorted(QUOTES)
    # Code points, not bytes nor UTF-16 units: the emoji is one, the thumb with its skin
    # tone two, q with its combining dot (no precomposed form in NFC) two.
    start, end = spans["😀 and 👍🏽"]
    assert end - start == len("😀 and 👍") + 1 == 8
    start, end = spans["北京与莫斯科"]
    assert end - start == 6
    # Three astral characters (😀, 👍, 🏽) come before: UTF-16 would count 3 more.
    assert len(text[:start].encode("utf-16-le")) // 2 == start + 3
    start, end = spans["q\u0307 has no precomposed form"]
    assert text[start : start + 2] == "q\u0307"
    start, end = spans["Café"]
    assert end - start == 4  # written decomposed in the file, NFC in the body


def test_codebook_is_a_tree_with_folders_colours_and_descriptions(
    corpus: Corpus, store: AnnotationStore
) -> None:
    archive = validate_qdpx(qdpx(select(store, corpus), corpus, store))
    root = ET.fromstring(archive.read("project.qde"))
    codes = root.find("q:CodeBook/q:Codes", NS)
    assert codes is not None
    top = {c.get("name", ""): c for c in codes.findall("q:Code", NS)}
    assert sorted(top) == ["actor", "economy", "script", "tech"]
    actor = top["actor"]
    assert actor.get("isCodable") == "true"  # described in the codebook
    assert actor.findtext("q:Description", namespaces=NS) == "Who acts"
    china = actor.find("q:Code[@name='china']", NS)
    assert china is not None and china.get("color") == "#FF0000"
    assert china.get("guid") == code_guid("actor/china")
    assert top["script"].get("isCodable") == "false"  # only a parent: a folder
    assert len(top["script"].findall("q:Code", NS)) == len(QUOTES)


def test_users_codings_and_notes(corpus: Corpus, store: AnnotationStore) -> None:
    archive = validate_qdpx(qdpx(select(store, corpus), corpus, store))
    root = ET.fromstring(archive.read("project.qde"))
    users = {u.get("name", ""): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert sorted(users) == ["Ben Coder", "ana"]
    notes = {
        n.get("guid"): n.findtext("q:PlainTextContent", namespaces=NS)
        for n in root.findall("q:Notes/q:Note", NS)
    }
    found = 0
    for selection in root.iter(f"{{{NS['q']}}}PlainTextSelection"):
        codings = selection.findall("q:Coding", NS)
        assert codings and all(
            c.get("creatingUser") == selection.get("creatingUser") for c in codings
        )
        assert selection.get("creatingUser") in users.values()
        for ref in selection.findall("q:NoteRef", NS):
            found += 1
            assert ref.get("targetGUID") in notes
    assert found == len(notes) == 6
    # A control character cannot be in XML 1.0: it is shown as its picture, one for one.
    assert "a ␛[31m control and <xml> & “quotes”" in notes.values()


def test_the_same_project_exports_the_same_bytes(corpus: Corpus, store: AnnotationStore) -> None:
    first = qdpx(select(store, corpus), corpus, store)
    assert qdpx(select(store, corpus), corpus, store) == first


def test_orphans_are_left_out_and_reported(
    corpus: Corpus, store: AnnotationStore, tmp_path: Path
) -> None:
    path = corpus.get(UNICODE).path
    path.write_text('+++\ntitle = "Gone"\n+++\nNothing of the old text is left.\n', "utf-8")
    from tui.core.corpus.load import load_corpus

    changed = load_corpus(corpus.root)
    chosen = select(store, changed)
    orphans = [i for i in chosen.items if i.state == "orphaned"]
    assert len(orphans) == len(QUOTES)
    archive = validate_qdpx(qdpx(chosen, changed, store))
    root = ET.fromstring(archive.read("project.qde"))
    assert len(list(root.iter(f"{{{NS['q']}}}PlainTextSelection"))) == 8 - len(QUOTES)
    lost = not_carried(chosen, project(changed, store))
    assert lost == [
        f"{len(QUOTES)} orphaned annotations (no place in the current text; see gloss check)",
        "control characters in 1 note (XML cannot hold them: written as their visible "
        "pictures, e.g. ␛)",
    ]


def test_shortcut_keys_are_reported_as_not_carried(corpus: Corpus, store: AnnotationStore) -> None:
    store.set_tag("economy", key="e")
    lost = not_carried(select(store, corpus), project(corpus, store))
    assert lost[-1] == "the reader shortcut keys of 1 tags (REFI-QDA has no such field)"


def test_qdc_is_a_valid_codebook_with_the_qdpx_guids(
    corpus: Corpus, store: AnnotationStore
) -> None:
    chosen = select(store, corpus)
    text = export(chosen, "qdc", project(corpus, store))
    assert isinstance(text, str)
    validate_codebook(text)
    root = ET.fromstring(text)
    names = {c.get("name"): c.get("guid") for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")}
    assert names["china"] == code_guid("actor/china") and names["actor"] == code_guid("actor")
    assert root.get("origin", "").startswith("Gloss ")


def test_qdc_of_an_empty_codebook_is_an_error(corpus: Corpus, tmp_path: Path) -> None:
    empty = AnnotationStore(tmp_path / "empty")
    with pytest.raises(AnnotationError, match="no tags to export"):
        export(
            select(empty, corpus),
            "qdc",
            ProjectExport("p", list(corpus.articles.values()), empty.codebook()),
        )


def test_qdpx_of_a_project_without_annotations_is_valid(corpus: Corpus, tmp_path: Path) -> None:
    empty = AnnotationStore(tmp_path / "empty")
    archive = validate_qdpx(qdpx(select(empty, corpus), corpus, empty))
    assert len(archive.namelist()) == 1 + len(corpus)


def test_memos_are_notes_their_sources_refer_to(corpus: Corpus, store: AnnotationStore) -> None:
    kept = add_memos(store)
    data = export(
        select(store, corpus),
        "qdpx",
        ProjectExport("p", list(corpus.articles.values()), store.codebook(), kept),
    )
    assert isinstance(data, bytes)
    root = ET.fromstring(validate_qdpx(data).read("project.qde"))
    notes = {n.get("guid"): n for n in root.findall("q:Notes/q:Note", NS)}
    found = {}
    for source in root.findall("q:Sources/q:TextSource", NS):
        refs = [r.get("targetGUID") for r in source.findall("q:NoteRef", NS)]
        if refs:
            (ref,) = refs  # one memo per article, nothing else refers from a source
            note = notes[ref]
            assert note.get("name") == f"Memo on {source.get('name')}"
            found[source.get("name")] = note.findtext("q:PlainTextContent", namespaces=NS)
    assert found == kept and set(kept) == {FIRST, UNICODE, UNANNOTATED}
    assert kept[FIRST] == MEMOS[FIRST]  # a memo keeps its inner blank lines and indents


def test_a_memo_of_an_article_gone_from_the_corpus_is_reported(
    corpus: Corpus, store: AnnotationStore
) -> None:
    memos = {**add_memos(store), "gone/article": "kept in the store only", UNICODE: "a \x1b bell"}
    exported = ProjectExport("p", list(corpus.articles.values()), store.codebook(), memos)
    lost = not_carried(select(store, corpus), exported)
    assert "the memo of 1 article no longer in the corpus (gone/article)" in lost
    assert "control characters in 1 memo (written as their visible pictures)" in lost
    data = export(select(store, corpus), "qdpx", exported)
    assert isinstance(data, bytes)
    root = ET.fromstring(validate_qdpx(data).read("project.qde"))
    texts = [
        n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iter(f"{{{NS['q']}}}Note")
    ]
    assert "a ␛ bell" in texts and "kept in the store only" not in texts
