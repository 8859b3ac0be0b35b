"""The review screen (KWIC): every match of the query, marked and tagged in one operation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SnapCompare, loaded, settle, until
from tui.app import GlossApp
from tui.screens.review import ReviewScreen, key_of


async def reviewing(app: GlossApp, pilot: Pilot[None], query: str = "china") -> ReviewScreen:
    app.library.focus_search(query)
    await settle(pilot)
    await pilot.press("escape")  # from the search box to the table
    await pilot.press("r")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    await until(pilot, lambda: screen.page is not None)
    return screen


def test_mark_tag_and_undo_as_one_step(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        screen = await reviewing(app, pilot)
        lines = list(screen.lines)
        assert len(lines) > 3
        assert all(line.keyword.casefold().startswith("chin") for line in lines)
        await pilot.press("space", "space")
        assert len(screen.marked) == 2
        await pilot.press("A")  # unmark all: some were marked
        assert not screen.marked
        await pilot.press("A")
        await settle(pilot)
        assert set(screen.marked) == {key_of(line) for line in lines}
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"actor/china", "enter")
        await settle(pilot)
        store = app.workspace.store
        made = [a for a in store.scan() if "actor/china" in a.tags]
        assert len(made) == len(lines)
        assert not screen.marked
        assert all("actor/china" in screen.covered[key_of(line)] for line in lines)
        await pilot.press("u")
        await settle(pilot)
        assert not [a for a in store.scan() if "actor/china" in a.tags]
        assert not any(screen.covered[key_of(line)] for line in lines)

    drive(scenario)


def test_enter_opens_the_match_in_the_reader(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        screen = await reviewing(app, pilot)
        await pilot.press("down", "down")
        line = screen.lines[2]
        await pilot.press("enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.article_id == line.article
        assert reader.matches == ((line.start, line.end),)
        await pilot.press("escape")
        assert app.screen is screen

    drive(scenario)


def test_sort_by_left_word(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.core.analysis.kwic import left_words

        screen = await reviewing(app, pilot)
        await pilot.press("o", "o")  # article -> date -> left
        await until(pilot, lambda: screen.page is not None)
        await settle(pilot)
        assert screen.sort == "left"
        keys = [left_words(line.left, len(line.left)) for line in screen.lines]
        assert keys == sorted(keys)

    drive(scenario)


async def review_shown(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    app = pilot.app
    assert isinstance(app, GlossApp)
    await reviewing(app, pilot, "russia")
    await pilot.press("space")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_review_screen(
    size: tuple[int, int],
    annotated: Path,
    make_app: Callable[[], GlossApp],
    snap_compare: SnapCompare,
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=review_shown)
