"""A refresh that trusts folder times (a large corpus between full checks) must find every
file added, removed or renamed, and leave a file rewritten in place to the next full check."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.corpus import catalogue as catalogue_module
from tui.core.corpus.catalogue import Catalogue

OLD_NS = 1_600_000_000 * 1_000_000_000  # 2020: far from "just listed" (not racy)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def age(root: Path) -> None:
    """Every file and folder under ``root`` an old time, as a corpus not touched for a while."""
    for folder, _, files in os.walk(root):
        for name in files:
            os.utime(os.path.join(folder, name), ns=(OLD_NS, OLD_NS))
        os.utime(folder, ns=(OLD_NS, OLD_NS))


def ids(catalogue: Catalogue) -> dict[str, str]:
    return {info.id: info.title or "" for info in catalogue.iter()}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for folder in ("a", "b", "b/deep"):
        for n in range(3):
            write(root / folder / f"art{n}.txt", f"{folder} {n}\n\nBody {n}.\n")
    age(root)
    return root


def test_added_removed_renamed_and_new_folders_are_found_by_folder(corpus: Path) -> None:
    catalogue = Catalogue(corpus)
    assert catalogue.refresh(every_file=True).added == 9
    write(corpus / "a" / "new.txt", "New one\n\nText.\n")
    (corpus / "a" / "art0.txt").unlink()
    (corpus / "b" / "deep" / "art1.txt").rename(corpus / "b" / "deep" / "moved.txt")
    write(corpus / "c" / "d" / "e" / "nested.txt", "Nested\n\nText.\n")  # new folders

    report = catalogue.refresh(every_file=False)

    assert not report.every_file
    assert (report.added, report.deleted) == (3, 2)
    assert set(ids(catalogue)) == {
        "a/art1", "a/art2", "a/new", "b/art0", "b/art1", "b/art2",
        "b/deep/art0", "b/deep/moved", "b/deep/art2", "c/d/e/nested",
    }  # fmt: skip
    shutil.rmtree(corpus / "b")  # a folder and its subfolder go
    write(corpus / "b" / "back.txt", "Back\n\nText.\n")
    catalogue.refresh(every_file=False)
    assert set(ids(catalogue)) == {"a/art1", "a/art2", "a/new", "b/back", "c/d/e/nested"}
    assert set(ids(catalogue)) == set(ids(_fresh(corpus)))


def test_a_file_rewritten_in_place_waits_for_a_full_check(corpus: Path) -> None:
    catalogue = Catalogue(corpus)
    catalogue.refresh(every_file=True)
    target = corpus / "a" / "art1.txt"
    target.write_text("Rewritten title\n\nNew body.\n", encoding="utf-8")
    os.utime(corpus / "a", ns=(OLD_NS, OLD_NS))  # written in place: the folder's time stays

    assert catalogue.refresh(every_file=False).updated == 0
    assert ids(catalogue)["a/art1"] == "a 1"
    report = catalogue.refresh(every_file=True)
    assert report.updated == 1 and report.changed == ["a/art1"]
    assert ids(catalogue)["a/art1"] == "Rewritten title"


def test_a_folder_listed_just_after_it_changed_is_listed_again(corpus: Path) -> None:
    """Its time may not move for a change within the same clock tick: not trusted."""
    catalogue = Catalogue(corpus)
    os.utime(corpus / "a", None)  # changed just now
    catalogue.refresh(every_file=True)
    (corpus / "a" / "art2.txt").write_text("Same tick\n\nBody.\n", encoding="utf-8")
    os.utime(corpus / "a", None)
    stamp = os.stat(corpus / "a").st_mtime_ns
    # The worst case: the folder's time did not move although a file in it changed.
    with sqlite3.connect(catalogue.path) as db:
        db.execute("UPDATE folders SET mtime_ns = ? WHERE dir = 'a'", (stamp,))
    assert catalogue.refresh(every_file=False).updated == 1


def test_a_large_recently_checked_corpus_is_checked_by_folder(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue = Catalogue(corpus)
    assert catalogue.refresh().every_file  # never checked in full: every file
    monkeypatch.setattr(catalogue_module, "TRUST_FOLDERS_FROM", 9)
    assert not catalogue.refresh().every_file
    monkeypatch.setattr(catalogue_module, "TRUST_FOLDERS_FROM", 10)  # small: every file
    assert catalogue.refresh().every_file
    monkeypatch.setattr(catalogue_module, "TRUST_FOLDERS_FROM", 9)
    monkeypatch.setattr(catalogue_module, "FILES_EVERY_S", 0.0)  # the last full check is old
    assert catalogue.refresh().every_file


def test_an_article_read_on_demand_makes_its_folder_looked_at_again(corpus: Path) -> None:
    from tui.core.corpus.load import Corpus

    whole = Corpus(Catalogue(corpus))
    whole.refresh(every_file=True)
    target = corpus / "b" / "art2.txt"
    target.write_text("Seen on reading\n\nBody.\n", encoding="utf-8")
    os.utime(corpus / "b", ns=(OLD_NS, OLD_NS))
    assert whole.get("b/art2").title == "Seen on reading"  # checked against the file
    with sqlite3.connect(whole.catalogue.path) as db:
        assert db.execute("SELECT mtime_ns FROM folders WHERE dir = 'b'").fetchone() == (None,)


def test_a_format_3_catalogue_is_brought_forward_without_reading_again(corpus: Path) -> None:
    catalogue = Catalogue(corpus)
    catalogue.refresh(every_file=True)
    catalogue.close()
    with sqlite3.connect(catalogue.path) as db:  # the folders table as format 3 had it
        db.execute("ALTER TABLE folders DROP COLUMN checked_ns")
        db.execute("ALTER TABLE folders DROP COLUMN mtime_ns")
        for trigger in ("inserted", "updated", "deleted"):
            db.execute(f"DROP TRIGGER articles_{trigger}_log")
        db.execute("DROP TABLE changes")
        db.execute("DELETE FROM meta WHERE key = 'instance'")
        db.execute("UPDATE meta SET value = '3' WHERE key = 'format'")

    again = Catalogue(corpus)
    report = again.refresh()
    assert again.take_notices() == [] and report.notices == []  # not rebuilt
    assert (report.added, report.updated, report.unchanged) == (0, 0, 9)
    with sqlite3.connect(again.path) as db:
        assert db.execute("SELECT count(*) FROM folders WHERE mtime_ns IS NULL").fetchone() == (0,)
        db.execute("UPDATE articles SET title = 'x' WHERE id = 'a/art0'")  # logged now
        assert db.execute("SELECT id FROM changes").fetchall() == [("a/art0",)]


def test_a_catalogue_without_its_change_log_is_rebuilt(corpus: Path) -> None:
    """An index trusts the log to name every change: a catalogue of this format without it
    (made by an unreleased build, or damaged) is not used."""
    catalogue = Catalogue(corpus)
    catalogue.refresh(every_file=True)
    catalogue.close()
    with sqlite3.connect(catalogue.path) as db:
        db.execute("DROP TABLE changes")
    again = Catalogue(corpus)
    report = again.refresh()
    assert report.notices == ["catalogue was damaged (no changes table); rebuilt it"]
    assert report.added == 9
    with sqlite3.connect(again.path) as db:
        assert db.execute("SELECT count(*) FROM changes").fetchone() == (9,)


def _fresh(root: Path) -> Catalogue:
    """A catalogue built from nothing, in its own file: what the folder holds now."""
    catalogue = Catalogue(root, path=root.parent / f"fresh-{time.time_ns()}.sqlite")
    catalogue.refresh(every_file=True)
    return catalogue


FOLDERS = ("", "x", "x/y", "z")
operation = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(FOLDERS), st.integers(0, 4)),
    st.tuples(st.just("remove"), st.sampled_from(FOLDERS), st.integers(0, 4)),
    st.tuples(st.just("rename"), st.sampled_from(FOLDERS), st.integers(0, 4)),
    st.tuples(st.just("drop folder"), st.sampled_from(FOLDERS[1:]), st.just(0)),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(st.lists(operation, max_size=4), min_size=1, max_size=4))
def test_by_folder_finds_what_a_full_check_finds(
    tmp_path: Path, rounds: list[list[tuple[str, str, int]]]
) -> None:
    """Whatever files are added, removed or renamed (moves, downloads, git), a refresh by
    folder leaves the catalogue as a full check would."""
    root = tmp_path / f"c{time.time_ns()}"
    for folder in FOLDERS:
        write(root / folder / "seed.txt", f"Seed {folder}\n\nBody.\n")
    age(root)
    catalogue = Catalogue(root, path=tmp_path / f"{root.name}.sqlite")
    catalogue.refresh(every_file=True)
    for ops in rounds:
        for kind, folder, n in ops:
            where = root / folder
            path = where / f"f{n}.txt"
            if kind == "add":
                write(path, f"File {folder} {n}\n\nBody {n}.\n")
            elif kind == "remove" and path.exists():
                path.unlink()
            elif kind == "rename" and path.exists():
                path.rename(where / f"r{n}.txt")
            elif kind == "drop folder" and where.exists():
                shutil.rmtree(where)
        catalogue.refresh(every_file=False)
        assert ids(catalogue) == ids(_fresh(root))
