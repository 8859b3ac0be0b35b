"""The TOML store: writes, reads, undo across instances, broken files left alone."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.core.annotations.model import AnnotationError
from tui.core.annotations.store import AnnotationStore, NothingToUndo, StoreConflict
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.errors import StoreFileError
from tui.core.models import Article
from tui.core.text import body_sha256

ARTICLE = "000_1b8bce5c4f6c6391"


def span(article: Article, quote: str) -> tuple[int, int]:
    at = article.body.index(quote)
    return at, at + len(quote)


def test_add_writes_a_readable_file_sorted_by_start(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    late = store.add(article, *span(article, "348 Chinese counterparts"), tags=["actor/china"])
    early = store.add(article, *span(article, "ExpoElectronica"), note="first\nsecond")
    path = store.path_for(ARTICLE)
    assert path == store.root / f"{ARTICLE}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert [a["id"] for a in data["annotation"]] == [early.id, late.id]
    assert list(data["annotation"][0]) == [
        "id",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "body_sha256",
        "tags",
        "note",
        "author",
        "created",
        "modified",
    ]
    assert 'note = """' in path.read_text(encoding="utf-8")
    assert store.load(ARTICLE) == (early, late)
    assert early.author == "ana" and early.body_sha256 == article.sha256
    assert article.body[early.start : early.end] == early.exact


def test_new_tags_enter_the_codebook_with_a_colour(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    store.add(article, 0, 5, tags=["actor/china", "place"])
    book = store.codebook()
    assert book.names() == ["actor/china", "place"]
    assert all(book.tags[n].colour.startswith("#") for n in book.names())
    assert store.codebook_path.is_file()


def test_anchored_reports_state_and_sorts_orphans_last(
    store: AnnotationStore, corpus: Corpus
) -> None:
    article = corpus.get(ARTICLE)
    kept = store.add(article, *span(article, "348 Chinese counterparts"))
    lost = store.add(article, *span(article, "ExpoElectronica"))
    edited_body = article.body.replace("ExpoElectronica", "Expo").replace(
        "348 Chinese", "Extra words. 348 Chinese"
    )
    edited = dataclasses.replace(article, body=edited_body, sha256=body_sha256(edited_body))
    placed = store.anchored(edited)
    assert [(p.id, p.state) for p in placed] == [(kept.id, "moved"), (lost.id, "orphaned")]
    assert edited_body[placed[0].start : placed[0].end] == kept.exact


def test_reading_never_writes(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    store.add(article, 10, 30)
    path = store.path_for(ARTICLE)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    moved_body = "New first line.\n" + article.body
    moved = dataclasses.replace(article, body=moved_body, sha256=body_sha256(moved_body))
    assert store.anchored(moved)[0].state == "moved"
    store.scan()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_edit_tags_and_note_then_undo_redo_across_instances(
    store: AnnotationStore, corpus: Corpus, tmp_path: Path
) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 10, 30, tags=["actor/china", "actor/russia", "x"])
    edited = store.edit(made.id[:6], add_tags=["y"], remove_tags=["actor"], note="why it matters")
    assert edited.tags == ("x", "y") and edited.note == "why it matters"
    other = AnnotationStore(store.root, articles=corpus.articles.get, author="bo")
    assert other.undo().summary.startswith("edit")
    assert store.find(made.id).tags == ("actor/china", "actor/russia", "x")
    assert store.redo_summary() is not None
    store.redo()
    assert store.find(made.id).note == "why it matters"
    store.undo()
    store.undo()  # the add
    assert store.load(ARTICLE) == ()
    assert not store.path_for(ARTICLE).exists()
    with pytest.raises(NothingToUndo):
        store.undo()
    store.redo()
    assert store.find(made.id).tags == made.tags


def test_delete_and_undo_brings_it_back(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 10, 30, note="keep me")
    store.delete(made.id)
    with pytest.raises(AnnotationError, match="no annotation"):
        store.find(made.id)
    store.undo()
    assert store.find(made.id) == made


def test_new_change_clears_redo(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 10, 30)
    store.edit(made.id, note="one")
    store.undo()
    store.edit(made.id, note="two")
    with pytest.raises(NothingToUndo):
        store.redo()


def test_undo_refuses_to_overwrite_a_later_change(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 10, 30)
    store.edit(made.id, note="mine")
    # Someone edits the file by hand (or an older Gloss) without going through the log.
    path = store.path_for(ARTICLE)
    path.write_text(
        path.read_text(encoding="utf-8").replace('note = "mine"', 'note = "theirs"'),
        encoding="utf-8",
    )
    with pytest.raises(StoreConflict, match=made.id):
        store.undo()
    assert store.find(made.id).note == "theirs"


def test_reattach_an_orphan(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, *span(article, "ExpoElectronica"))
    body = article.body.replace("ExpoElectronica", "Expo Electronica", 1)
    edited = dataclasses.replace(article, body=body, sha256=body_sha256(body))
    start, end = span(edited, "Expo Electronica")
    moved = store.reattach(made.id, edited, start, end)
    assert (moved.start, moved.end, moved.exact) == (start, end, "Expo Electronica")
    assert store.anchored(edited)[0].state == "exact"
    store.undo()
    assert store.find(made.id).exact == "ExpoElectronica"


def test_bad_selection_and_tags_are_one_line_errors(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    with pytest.raises(AnnotationError, match="not inside the body"):
        store.add(article, 5, 5)
    with pytest.raises(AnnotationError, match="not inside the body"):
        store.add(article, 0, len(article.body) + 1)
    for bad in ("", "a b", "a//b", "/a", "a,b"):
        with pytest.raises(AnnotationError, match="invalid tag"):
            store.add(article, 0, 4, tags=[bad])
    assert not store.root.exists() or store.load(ARTICLE) == ()


def test_find_by_unique_prefix(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 0, 4)
    assert store.find(made.id[:4]) == made
    assert store.find(made.id.upper()) == made
    with pytest.raises(AnnotationError, match="no annotation with id 'abc'"):
        store.find("abc")


def test_writing_a_file_saves_re_anchored_offsets(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    source = seeds_dir / f"{ARTICLE}.txt"
    (root / source.name).write_bytes(source.read_bytes())
    corpus = load_corpus(root)
    store = AnnotationStore(
        tmp_path / "store", articles=lambda i: corpus.articles.get(i), author="a"
    )
    article = corpus.get(ARTICLE)
    first = store.add(article, *span(article, "ExpoElectronica"))
    second = store.add(article, *span(article, "348 Chinese counterparts"))
    (root / source.name).write_text(
        "Correction appended on top.\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    corpus = load_corpus(root)
    assert store.load(ARTICLE)[0].start == first.start  # reading did not save anything
    store.edit(second.id, note="touch the file")
    saved = {a.id: a for a in store.load(ARTICLE)}
    shift = len("Correction appended on top.\n\n")
    assert saved[first.id].start == first.start + shift
    assert saved[first.id].body_sha256 == corpus.get(ARTICLE).sha256
    assert saved[first.id].modified == first.modified  # re-anchoring is not an edit


BROKEN = 'schema = 1\n\n[[annotation]]\nid = "x1"\nstart = "ten"\nend = 3\nexact = "abc"\n'


def test_broken_file_is_reported_and_never_rewritten(
    store: AnnotationStore, corpus: Corpus
) -> None:
    article = corpus.get(ARTICLE)
    other = corpus.get("001_6f77d67fd69055e2")
    store.add(article, 0, 4)
    path = store.path_for(ARTICLE)
    path.write_text(BROKEN, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreFileError, match=rf"{path.name}:3: annotation 'x1': 'start'"):
        store.load(ARTICLE)
    with pytest.raises(StoreFileError):
        store.add(article, 0, 4)
    made = store.add(other, 0, 4, tags=["t"])  # other articles keep working
    assert str(path) in str(store.scan().problems[ARTICLE])
    with pytest.raises(StoreConflict, match="broken"):
        store.rename_tag("t", "u")
    store.delete(made.id)
    store.undo()
    assert path.read_bytes() == before


def test_invalid_toml_names_the_line(store: AnnotationStore) -> None:
    store.root.mkdir(parents=True)
    path = store.path_for("a")
    path.write_text('schema = 1\n\n[[annotation]]\nid = "x\n', encoding="utf-8")
    with pytest.raises(StoreFileError, match=r"a\.toml:4: not valid TOML"):
        store.load("a")


def test_load_is_cached_until_the_file_changes(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    store.add(article, 0, 4)
    first = store.load(ARTICLE)
    assert store.load(ARTICLE) is first
    other = AnnotationStore(store.root, articles=corpus.articles.get, author="b")
    other.add(article, 5, 9)
    assert len(store.load(ARTICLE)) == 2


def test_rename_tag_moves_the_subtree_and_merges(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    a = store.add(article, 0, 4, tags=["actor/china", "actors"])
    b = store.add(article, 5, 9, tags=["actor", "state/china"])
    store.describe_tag("state/china", "kept description")
    store.describe_tag("actor/china", "old description")
    assert store.rename_tag("actor", "state") == 2
    assert store.find(a.id).tags == ("state/china", "actors")
    assert store.find(b.id).tags == ("state", "state/china")
    book = store.codebook()
    assert "actor" not in book and "actor/china" not in book
    assert book.tags["state/china"].description == "kept description"
    store.undo()
    assert store.find(a.id).tags == ("actor/china", "actors")
    assert store.codebook().tags["actor/china"].description == "old description"
    with pytest.raises(AnnotationError, match="unknown tag"):
        store.rename_tag("nope", "x")


def test_set_tag_validates_colour_and_key(store: AnnotationStore) -> None:
    info = store.set_tag(
        "actor/china", description="Chinese state actors", colour="#aa0000", key="c"
    )
    assert (info.description, info.colour, info.key) == ("Chinese state actors", "#aa0000", "c")
    with pytest.raises(AnnotationError, match="colour"):
        store.set_tag("x", colour="red")
    with pytest.raises(AnnotationError, match="already used"):
        store.set_tag("y", key="c")
    store.undo()
    assert store.codebook().names() == []


def test_article_in_a_subfolder_mirrors_the_folder(store: AnnotationStore, corpus: Corpus) -> None:
    article = dataclasses.replace(corpus.get(ARTICLE), id="region/asia/piece")
    store.add(article, 0, 4)
    assert (store.root / "region" / "asia" / "piece.toml").is_file()
    assert store.article_ids() == ["region/asia/piece"]


def test_files_keep_shareable_permissions(store: AnnotationStore, corpus: Corpus) -> None:
    article = corpus.get(ARTICLE)
    store.add(article, 0, 4)
    path = store.path_for(ARTICLE)
    assert path.stat().st_mode & 0o044 == 0o044  # group and others can read, as with open()
    path.chmod(0o640)
    store.add(article, 5, 9)
    assert path.stat().st_mode & 0o777 == 0o640


def test_broken_log_or_codebook_blocks_writes_before_any_change(
    store: AnnotationStore, corpus: Corpus
) -> None:
    article = corpus.get(ARTICLE)
    made = store.add(article, 0, 4, tags=["t"])
    store.oplog_path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreFileError, match=r"\.gloss-oplog\.json:1: broken operation log"):
        store.add(article, 5, 9)
    assert store.load(ARTICLE) == (made,)
    store.oplog_path.unlink()
    store.codebook_path.write_text("schema = 1\n[tags.t]\ncolour = 5\n", encoding="utf-8")
    broken = store.codebook_path.read_bytes()
    with pytest.raises(StoreFileError, match=r"cannot save: .*tags\.toml \(line 2\): tag 't'"):
        store.add(article, 5, 9, tags=["new"])
    assert store.load(ARTICLE) == (made,)
    assert store.codebook_path.read_bytes() == broken
    assert len(store.anchored(article)) == 1  # reading annotations does not need the codebook


def test_stamp_changes_with_every_store_file(store: AnnotationStore, corpus: Corpus) -> None:
    """stat only, so the app can poll it; keys name the files that changed."""
    assert store.stamp() == {}  # no store folder yet
    article = corpus.get(ARTICLE)
    made = store.add(article, *span(article, "ExpoElectronica"), tags=["tech"])
    first = store.stamp()
    assert set(first) == {f"{ARTICLE}.toml", "tags.toml"}
    assert store.stamp() == first  # nothing changed: same value

    store.edit(made.id, note="same size?")
    second = store.stamp()
    assert second != first and second[f"{ARTICLE}.toml"] != first[f"{ARTICLE}.toml"]
    assert second["tags.toml"] == first["tags.toml"]

    store.set_tag("tech", description="Technology")
    third = store.stamp()
    assert third["tags.toml"] != second["tags.toml"]

    other = store.root / "sub" / "by-hand.toml"  # a file added by hand in a sub-folder
    other.parent.mkdir()
    other.write_text("schema = 1\n")
    assert set(store.stamp()) == {f"{ARTICLE}.toml", "tags.toml", "sub/by-hand.toml"}
    other.unlink()
    store.delete(made.id)
    assert set(store.stamp()) == {"tags.toml"}
    (store.root / ".gloss-oplog.json").write_text("{}")  # not a store file the UI shows
    (store.root / ".hidden.toml").write_text("")
    assert set(store.stamp()) == {"tags.toml"}


def test_stamp_never_raises(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert AnnotationStore(afile).stamp() == {}
    assert AnnotationStore(afile / "sub").stamp() == {}


def test_saving_into_a_broken_file_names_the_real_problem(
    store: AnnotationStore, corpus: Corpus
) -> None:
    """Issue 17 #12: it said "no annotation with id ..." although the annotation exists."""
    from tui.core.annotations.store import CannotSave

    article = corpus.get(ARTICLE)
    made = store.add(article, *span(article, "ExpoElectronica"), tags=["tech"])
    path = store.path_for(ARTICLE)
    with path.open("a", encoding="utf-8") as handle:
        handle.write('[[annotation]\nid = "broken')
    broken = path.read_bytes()
    line = broken.decode().count("\n")  # the line of the appended '[[annotation]'
    expected = f"cannot save: {path} is not valid TOML (line {line}): fix it and retry"
    attempts: list[Callable[[], object]] = [
        lambda: store.edit(made.id, note="typed for five minutes"),
        lambda: store.edit(made.id[:6], add_tags=["x"]),
        lambda: store.delete(made.id),
        lambda: store.add(article, 0, 4),
        lambda: store.reattach(made.id, article, 0, 4),
    ]
    for attempt in attempts:
        with pytest.raises(CannotSave) as caught:
            attempt()
        assert str(caught.value) == expected
        assert (caught.value.path, caught.value.line) == (path, line)
        assert path.read_bytes() == broken
    # A file that is TOML but fails validation says why, with its line.
    fixed = path.read_text().replace('[[annotation]\nid = "broken', "")
    path.write_text(fixed.replace("end = ", "end = 1", 1))
    with pytest.raises(CannotSave) as caught:
        store.edit(made.id, note="x")
    assert str(caught.value).startswith(f"cannot save: {path} (line 5): annotation '{made.id}'")
    assert str(caught.value).endswith("; fix it and retry")
