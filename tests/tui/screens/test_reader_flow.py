"""The analyst's whole flow through the real app: search, open, walk matches, annotate."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.dialogs.annotate import AnnotateDialog
from tui.screens.reader import ReaderScreen
from tui.widgets.reader_view import ReaderView


def test_search_open_walk_annotate_writes_toml(
    drive: Callable[..., None], project_dir: Path
) -> None:
    seen: dict[str, object] = {}

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"sanctions")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(ReaderView)
        spans = screen.matches
        assert len(spans) >= 2 and view.selected_span() == spans[0]
        article = screen.article_id
        body = app.workspace.corpus.get(article).body
        assert view.selected_text.lower().startswith("sanction")
        await pilot.press("n")
        assert view.selected_span() == spans[1]
        await pilot.press("N")
        assert view.selected_span() == spans[0]
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AnnotateDialog)
        await pilot.press(*"policy/sanctions", "enter")
        await settle(pilot)
        assert app.screen is screen
        seen.update(article=article, span=spans[0], quote=body.__getitem__(slice(*spans[0])))

    drive(scenario, size=(80, 24))
    path = project_dir / "annotations" / f"{seen['article']}.toml"
    (record,) = tomllib.loads(path.read_text())["annotation"]
    assert (record["start"], record["end"]) == seen["span"]
    assert record["exact"] == seen["quote"] and record["tags"] == ["policy/sanctions"]
