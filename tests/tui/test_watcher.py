"""The one watcher: stamps compared look to look, one Changed for every open screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

import tui.watcher as watcher_module
from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.reader import ReaderScreen
from tui.watcher import changed
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_table import ArticleTable

ARTICLE = "000_1b8bce5c4f6c6391"


def test_changed_names_what_was_added_removed_or_rewritten() -> None:
    before = {"a.toml": (1, 10, 7), "b.toml": (1, 10, 8), "tags.toml": (2, 5, 9)}
    after = {"a.toml": (1, 10, 7), "b.toml": (1, 10, 11), "c.toml": (3, 1, 12)}
    assert changed(before, after) == {"b.toml", "c.toml", "tags.toml"}
    assert changed(after, after) == frozenset()
    assert changed({}, after) == set(after)  # a first look finds every file new


def test_a_corpus_refresh_names_each_file_that_changed(project_dir: Path) -> None:
    workspace = Workspace(resolve_project(cwd=project_dir))
    version = workspace.corpus.version
    path = workspace.corpus.info(ARTICLE).path
    touched = path.stat()
    os.utime(path, ns=(touched.st_atime_ns, touched.st_mtime_ns + 1_000_000_000))
    assert workspace.corpus.refresh().changed == []  # a new time, the same text: no change
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    (project_dir / "seeds" / "new.txt").write_text("New\n\nText.\n", encoding="utf-8")
    report = workspace.corpus.refresh()
    assert set(report.changed) == {ARTICLE, "new"}
    assert workspace.corpus.version > version
    assert workspace.corpus.refresh().changed == []  # nothing since


def test_another_process_reaches_the_reader_and_the_library_under_it(
    annotated: Path, drive: Callable[..., None]
) -> None:
    """By the timer alone: the annotation shows in the open reader and is counted in the
    library within the two seconds the README promises."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader("004_bb928d6639fb2ab5")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        panel = reader.query_one(AnnotationPanel)
        assert panel.option_count == 0
        other = Workspace(resolve_project(cwd=annotated))
        other.store.add(other.corpus.get("004_bb928d6639fb2ab5"), 0, 9, ["event"])
        for _ in range(25):
            await pilot.pause(0.1)
            if panel.option_count and app.library.notes.get("004_bb928d6639fb2ab5"):
                break
        assert panel.option_count == 1
        assert app.library.notes["004_bb928d6639fb2ab5"] == 1

    drive(scenario)


def test_the_corpus_waits_while_a_query_is_typed(
    project_dir: Path, drive: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watcher_module, "CORPUS_SECONDS", 0.5)

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        table = app.library.query_one(ArticleTable)
        (project_dir / "seeds" / "new.txt").write_text("New\n\nText.\n", encoding="utf-8")
        app.watcher.typed()
        app.watcher.look_now()
        await settle(pilot)
        assert table.row_count == 5  # not while typing
        await pilot.pause(0.6)  # typing paused
        app.watcher.look_now()
        await settle(pilot)
        assert table.row_count == 6

    drive(scenario)
