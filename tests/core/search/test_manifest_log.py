"""The index's plan compares only what the catalogue's change log names since the last one.

At 100,000 articles joining every row is most of a one-file update; the log makes it
O(changed). What must hold: every change is still seen (files, annotations, an
interrupted write), and the plan falls back to comparing every article whenever the log
cannot say (trimmed, another catalogue).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tui.core.corpus import catalogue as catalogue_module
from tui.core.search import build as build_module
from tui.core.search.hits import SearchCancelled
from tui.core.search.index import SearchIndex
from tui.core.workspace import Workspace

BLOG = "002_02e842533f2f6168"
SALES = "003_5a4e13669b936add"


def _workspace(project_dir: Path) -> Workspace:
    from tui.core.project import resolve_project

    return Workspace(resolve_project(cwd=project_dir))


def _ids(index: SearchIndex, query: str) -> list[str]:
    return sorted(hit.id for hit in index.search(query).hits)


def _compared(index: SearchIndex) -> list[str] | None:
    """The articles the last plan compared (None: all of them, no change log used)."""
    db = index._manifest._connect()
    try:
        return sorted(row[0] for row in db.execute("SELECT id FROM temp.candidates"))
    except sqlite3.OperationalError:
        return None


def _write(path: Path, word: str) -> None:
    """Written a minute ago, so not re-read as written too soon after its stat."""
    path.write_text(f"A note on {word}\n\nThe {word} were seen again.\n", encoding="utf-8")
    past = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(past, past))


def test_a_plan_compares_only_the_changed_articles(project_dir: Path) -> None:
    workspace = _workspace(project_dir)
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    assert _compared(index) is None  # the first build compares everything
    assert index.refresh(corpus).unchanged == 5

    _write(corpus.root / f"{BLOG}.txt", "walruses")
    _write(corpus.root / "new.txt", "narwhals")
    corpus.refresh()
    report = index.refresh(corpus)
    assert (report.added, report.updated, report.unchanged) == (1, 1, 4)
    assert _compared(index) == sorted([BLOG, "new"])
    assert _ids(index, "walruses") == [BLOG] and _ids(index, "narwhals") == ["new"]

    (corpus.root / "new.txt").unlink()
    corpus.refresh()
    assert index.refresh(corpus).deleted == 1
    assert _compared(index) == ["new"]
    assert _ids(index, "narwhals") == []


def test_annotated_articles_are_always_compared(project_dir: Path) -> None:
    """An annotation changes no article file, so it is not in the catalogue's log."""
    workspace = _workspace(project_dir)
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    workspace.store.add(corpus.get(SALES), 0, 10, tags=["actor/walrus"], note="a quokka note")
    index.refresh(corpus)
    assert _ids(index, "note:quokka") == [SALES]
    assert SALES in (_compared(index) or [])
    annotation = workspace.store.load(SALES)[0]
    workspace.store.delete(annotation.id)
    index.refresh(corpus)
    assert _ids(index, "note:quokka") == []


def test_an_interrupted_write_is_finished_by_the_next_plan(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace = _workspace(project_dir)
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    _write(corpus.root / f"{BLOG}.txt", "walruses")
    corpus.refresh()

    def cancelled(*_: object, **__: object) -> None:
        raise SearchCancelled()

    with monkeypatch.context() as patch:
        patch.setattr(build_module, "write_small", cancelled)
        with pytest.raises(SearchCancelled):
            index.refresh(corpus)
    again = SearchIndex.for_project(workspace.project, corpus=corpus)
    assert again.refresh(corpus).updated == 1
    assert _ids(again, "walruses") == [BLOG]


def test_a_trimmed_log_means_comparing_everything(
    project_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalogue_module, "CHANGES_KEPT", 1)
    workspace = _workspace(project_dir)
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    # Three changes the index does not see one by one: the log keeps only the last.
    for word, name in (("walruses", BLOG), ("narwhals", SALES), ("quokkas", "new")):
        _write(corpus.root / f"{name}.txt", word)
        corpus.refresh()
    report = index.refresh(corpus)
    assert (report.added, report.updated) == (1, 2)
    assert _compared(index) is None
    assert _ids(index, "walruses") == [BLOG] and _ids(index, "narwhals") == [SALES]


def test_another_catalogue_means_comparing_everything(project_dir: Path) -> None:
    workspace = _workspace(project_dir)
    index, corpus = workspace.index, workspace.corpus
    assert isinstance(index, SearchIndex)
    index.refresh(corpus)
    _write(corpus.root / f"{BLOG}.txt", "walruses")
    path = corpus.catalogue.path
    corpus.catalogue.close()
    path.unlink()  # a new catalogue: a new instance, its log starting again at 1
    fresh = _workspace(project_dir)
    report = fresh.index.refresh(fresh.corpus)
    assert report.updated == 1 and report.unchanged == 4
    assert _compared(fresh.index) is None  # type: ignore[arg-type]
    assert _ids(fresh.index, "walruses") == [BLOG]  # type: ignore[arg-type]
