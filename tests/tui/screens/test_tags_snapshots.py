"""How the tags screen looks at 80x24 and 120x40, with a tag's annotations listed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import SnapCompare, loaded, settle
from tui.app import GlossApp
from tui.widgets.tag_tree import TagTree


async def tag_listed(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    await pilot.press("t")
    await settle(pilot)
    pilot.app.screen.query_one(TagTree).select_tag("actor")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_tags_screen(
    size: tuple[int, int],
    annotated: Path,
    make_app: Callable[[], GlossApp],
    snap_compare: SnapCompare,
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=tag_listed)
