"""The Keys dialog (`?`): it scrolls with the keys, never sideways, and names the mouse."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from tui.app import GlossApp
from tui.screens.help import MOUSE, HelpScreen


def test_down_and_end_scroll_the_keys_at_80x24(drive: Callable[..., None]) -> None:
    """Issue 17 #23: ↓ and End did not scroll the dialog, a horizontal scrollbar showed,
    command names wrapped, and the mouse was not mentioned."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count > table.size.height  # there is something to scroll to
        assert not table.show_horizontal_scrollbar
        widths = [column.width for column in table.columns.values()]
        for row in range(table.row_count):
            name = table.get_row_at(row)[1]
            assert isinstance(name, Text) and name.no_wrap
            assert cell_len(name.plain) <= widths[1]
        assert str(app.screen.query_one("#help-mouse", Label).content) == MOUSE
        for _ in range(table.size.height + 2):
            await pilot.press("down")
        await pilot.pause()
        assert table.scroll_y > 0  # the cursor's row came into view
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == table.row_count - 1
        assert table.scroll_y == table.max_scroll_y > 0
        assert table.scroll_x == 0
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and table.scroll_y == 0

    drive(scenario, size=(80, 24))
