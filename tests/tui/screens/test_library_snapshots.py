"""How the library looks at 80x24 and 120x40, listing and searching, dark and light."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SnapCompare, loaded, settle
from tui.app import GlossApp
from tui.widgets.search_box import SearchBox

SIZES = [(80, 24), (120, 40)]


async def steady(pilot: Pilot[None]) -> None:
    """Loaded, with nothing that changes between runs (timings, a blinking cursor)."""
    await loaded(pilot)
    app = pilot.app
    assert isinstance(app, GlossApp)
    app.library.query_one(SearchBox).cursor_blink = False
    await settle(pilot)


async def searched(pilot: Pilot[None]) -> None:
    await steady(pilot)
    await pilot.press("slash", *"china")
    await settle(pilot)
    app = pilot.app
    assert isinstance(app, GlossApp) and app.library.hits is not None
    app.library.hits.seconds = 0.012  # the measured time varies from run to run
    app.library.show_rows()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_library_lists_the_corpus(
    size: tuple[int, int],
    annotated: Path,
    make_app: Callable[[], GlossApp],
    snap_compare: SnapCompare,
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=steady)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_library_shows_hits_with_snippets(
    size: tuple[int, int], make_app: Callable[[], GlossApp], snap_compare: SnapCompare
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=searched)


def test_library_in_a_light_theme(
    make_app: Callable[[], GlossApp], snap_compare: SnapCompare
) -> None:
    app = make_app()
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(120, 40), run_before=searched)
