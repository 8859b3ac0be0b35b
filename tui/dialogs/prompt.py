"""A one-line question in a modal: a file name for an export, a new tag name, a colour."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from tui.keymap import PROMPT_COMMANDS, bindings


class PromptScreen(ModalScreen[str | None]):
    """Returns the stripped answer on enter, None on escape; an empty answer is refused."""

    AUTO_FOCUS = "#prompt-input"

    DEFAULT_CSS = """
    PromptScreen {
        align: center middle;
        & > Vertical {
            width: 80%; max-width: 90; height: auto;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & Label { width: 1fr; }
        & #prompt-title { text-style: bold; color: $text-primary; }
        & #prompt-hint { color: $text-muted; }
        & #prompt-error { color: $text-error; text-style: bold; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = bindings(PROMPT_COMMANDS)

    def __init__(self, title: str, value: str = "", hint: str = "", error: str = "") -> None:
        """``error``: why the previous answer (``value``) was refused, shown above the hint."""
        super().__init__()
        self._title, self._value, self._hint, self._error = title, value, hint, error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, id="prompt-title", markup=False)
            yield Input(self._value, id="prompt-input")
            if self._error:
                yield Label(self._error, id="prompt-error", markup=False)
            yield Label(self._hint or "enter: OK   esc: cancel", id="prompt-hint", markup=False)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        answer = event.value.strip()
        if answer:
            self.dismiss(answer)
        else:
            self.app.bell()

    def action_cancel(self) -> None:
        self.dismiss(None)


__all__ = ["PromptScreen"]
