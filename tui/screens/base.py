"""GlossScreen: a screen of Gloss, run by a Shell (tui/shell.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from tui.shell import Shell


class GlossScreen(Screen[None]):
    """A worker's state changes are told to the node that ran it, and do not bubble: a
    screen's failed workers are handed to the app's one handler, told the same way as the
    app's own."""

    @property
    def shell(self) -> Shell:
        return cast("Shell", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.shell.worker_failed(event.worker)
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[object]) -> None:
        """After the app has told it: what the screen shows of a failure (nothing here)."""


__all__ = ["GlossScreen"]
