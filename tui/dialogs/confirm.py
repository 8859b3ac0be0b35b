"""ConfirmDialog: a yes/no question before anything is destroyed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tui.keymap import APP_COMMANDS, bindings


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

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", tooltip="Go ahead", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", tooltip="Change nothing", id="confirm.no"),
        # A modal screen hides the app's bindings: quit must still work from here
        # (nothing is changed: quitting answers no), by the same id, so [keys] applies.
        *bindings(tuple(command for command in APP_COMMANDS if command.id == "quit")),
    ]

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
