"""`?`: the keys of the screen the user was on, with what each does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label

from tui.keymap import HELP_COMMANDS, QUIT, bindings

MAX_WIDTH = 100
KEY_WIDTH = 11
NAME_WIDTH = 16
"""Longer keys end with an ellipsis; longer command names wrap onto more lines."""
KeyRow = tuple[str, str, str, bool]
"""(key as displayed, what it is called, what it does, whether it applies right now)."""


def whole_words(text: str, width: int) -> str:
    """``text`` with any word wider than ``width`` shortened to end with ``…``.

    The table wraps cells at spaces; without this a long word (``[reader.next_match]``
    in a narrow terminal) would be cut in two with nothing to show it.
    """
    words = text.split(" ")
    for i, word in enumerate(words):
        if cell_len(word) > width:
            shown = Text(word)
            shown.truncate(width, overflow="ellipsis")
            words[i] = shown.plain
    return " ".join(words)


def screen_keys(screen: Screen[object]) -> list[KeyRow]:
    """The bindings active on ``screen`` (its focused widget, itself and the app), once each."""
    rows: dict[str, tuple[int, KeyRow]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        # The screen's own commands first, then the app's, then the focused widget's.
        rank = 0 if active.node is screen else 1 if active.node is screen.app else 2
        key = screen.app.get_key_display(binding)
        tip = binding.tooltip or active.tooltip
        if binding.id:
            tip = f"{tip}  [{binding.id}]"  # the id remaps the key in config.toml [keys]
        row = (key, binding.description, tip, active.enabled)
        rows.setdefault(f"{key}\0{binding.description}", (rank, row))
    ordered = sorted(rows.values(), key=lambda item: (item[0], item[1][0].casefold()))
    return [row for _, row in ordered]


class HelpScreen(ModalScreen[None]):
    """A table of keys over the screen it describes; any of esc, ? or q closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 90%; max-width: 100; height: auto; max-height: 90%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & Label { width: 1fr; text-style: bold; color: $text-primary; }
        & DataTable { height: auto; max-height: 30; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings((*HELP_COMMANDS, *QUIT))

    def __init__(self, title: str, keys: Sequence[KeyRow]) -> None:
        super().__init__(id="help")
        self._title = title
        self._keys = keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Keys: {self._title}   (esc closes)", markup=False)
            yield DataTable(cursor_type="row", zebra_stripes=True, id="help-keys")

    def on_mount(self) -> None:
        # query, not query_one: a help opened as the app quits has no children to fill.
        for table in self.query(DataTable):
            self._fill(table)

    def _fill(self, table: DataTable[Text]) -> None:
        """Fixed columns that fit the box; long explanations wrap onto more lines."""
        box = min(MAX_WIDTH, self.app.size.width * 9 // 10) - 4  # border and padding
        key_width = min(KEY_WIDTH, max([3, *(cell_len(key) for key, *_ in self._keys)]))
        name_width = min(NAME_WIDTH, max([7, *(cell_len(name) for _, name, *_ in self._keys)]))
        tip_width = max(10, box - key_width - name_width - 6 - 1)  # cell padding, scrollbar
        table.add_column("Key", width=key_width)
        table.add_column("Command", width=name_width)
        table.add_column("What it does", width=tip_width)
        for key, name, tip, enabled in self._keys:
            style = "" if enabled else "dim"
            if not enabled:
                tip = f"{tip} (not available here right now)"
            cells = (
                Text(key, style=f"bold {style}", no_wrap=True, overflow="ellipsis"),
                Text(whole_words(name, name_width), style),
                Text(whole_words(tip, tip_width), style),
            )
            table.add_row(*cells, height=None)
        table.focus()


__all__ = ["HelpScreen", "KeyRow", "screen_keys", "whole_words"]
