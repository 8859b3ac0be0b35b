"""ConfirmDialog: a yes/no question before anything is destroyed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.keymap import CONFIRM_COMMANDS, QUIT, bindings


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True only on an explicit yes (`y` or the Yes button)."""

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        background: $background 60%;
        & > #confirm-box {
            width: auto;
            min-width: 30;
            max-width: 70;
            height: auto;
            padding: 1 2;
            border: round $error;
            border-title-color: $error;
            background: $panel;
        }
        & #confirm-message { width: auto; max-width: 66; margin-bottom: 1; }
        & #confirm-buttons { width: auto; height: auto; }
        & Button { margin-right: 2; }
    }
    """

    # Quitting from here changes nothing: it answers no.
    BINDINGS: ClassVar[list[BindingType]] = bindings((*CONFIRM_COMMANDS, *QUIT))

    def __init__(self, message: str, *, title: str = "Confirm", yes: str = "Yes") -> None:
        super().__init__()
        self.message = message
        self.heading = title
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box") as box:
            box.border_title = self.heading
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", variant="error", id="confirm-yes")
                yield Button("No (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
