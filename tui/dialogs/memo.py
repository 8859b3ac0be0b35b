"""MemoDialog: the memo on a whole article, in a multi-line field (issue 14's `m`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from tui.dialogs.confirm import ConfirmDialog
from tui.keymap import MEMO_COMMANDS, bindings


class MemoDialog(ModalScreen[str | None]):
    """Dismisses with the text on ctrl+s (``""`` clears the memo), None on escape."""

    AUTO_FOCUS = "#memo-text"

    DEFAULT_CSS = """
    MemoDialog {
        align: center middle;
        background: $background 60%;
        & > Vertical {
            width: 80%; max-width: 90; height: auto; max-height: 90%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & #memo-title { text-style: bold; color: $text-primary; width: 1fr; }
        & #memo-text { height: 10; }
        & #memo-hint { color: $text-muted; width: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(MEMO_COMMANDS)

    def __init__(self, title: str, memo: str) -> None:
        super().__init__()
        self._title, self._memo = title, memo

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Memo on {self._title}", id="memo-title", markup=False)
            yield TextArea(self._memo, id="memo-text", soft_wrap=True)
            yield Label(
                "ctrl+s: save (empty clears it)   esc: cancel", id="memo-hint", markup=False
            )

    def action_save(self) -> None:
        self.dismiss(self.query_one("#memo-text", TextArea).text.strip())

    def action_cancel(self) -> None:
        """Close; asks first when the memo was changed, so typing is never lost silently."""
        if self.query_one("#memo-text", TextArea).text.strip() == self._memo.strip():
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard the changes to this memo?", title="Memo", yes="Discard"),
            answer,
        )


__all__ = ["MemoDialog"]
