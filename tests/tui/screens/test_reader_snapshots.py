"""How the reader and the annotate dialog look: highlights, dimming, panel, at two sizes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SnapCompare, finished
from tests.tui.reader_host import ARTICLE, ReaderApp, spans_of
from tui.core.project import resolve_project
from tui.core.workspace import Workspace

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def highlighted(project_dir: Path) -> dict[str, Any]:
    """Three annotations in the first paragraph (two overlapping) and matches for 'Russia'."""
    workspace = Workspace(resolve_project(cwd=project_dir))
    article = workspace.corpus.get(ARTICLE)
    body, store = article.body, workspace.store

    def add(quote: str, tags: list[str], note: str = "", extra: int = 0) -> None:
        start = body.index(quote)
        store.add(article, start, start + len(quote) + extra, tags, note)

    add("ExpoElectronica", ["event"], "Annual Russian tech fair")
    add("348 Chinese counterparts", ["actor/china"], "Numbers matter")
    add("Chinese counterparts attending the event", ["trade"], "Overlaps the one before")
    store.set_tag("trade", colour="#d08770")
    return {"query": "Russia", "spans": spans_of(body, "Russia")}


async def settled(pilot: Pilot[None]) -> None:
    await finished(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reader_with_highlights(
    snap_compare: SnapCompare, project_dir: Path, highlighted: dict[str, Any], size: tuple[int, int]
) -> None:
    app = ReaderApp(project_dir, **highlighted)
    assert snap_compare(app, terminal_size=size, run_before=settled, press=["s", "s", "n"])


def test_reader_light_theme(
    snap_compare: SnapCompare, project_dir: Path, highlighted: dict[str, Any]
) -> None:
    app = ReaderApp(project_dir, theme="textual-light", **highlighted)
    assert snap_compare(app, terminal_size=(120, 40), run_before=settled)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_annotate_dialog(
    snap_compare: SnapCompare, project_dir: Path, highlighted: dict[str, Any], size: tuple[int, int]
) -> None:
    app = ReaderApp(project_dir, **highlighted)
    assert snap_compare(
        app, terminal_size=size, run_before=settled, press=["n", "a", "a", "c", "_"]
    )
