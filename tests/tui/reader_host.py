"""A minimal host for ReaderScreen tests: a workspace, the pushed screen, notifications.

Shared by the reader test modules so each does not grow its own copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.notifications import SeverityLevel

from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.reader import ReaderScreen

ARTICLE = "000_1b8bce5c4f6c6391"


class ReaderApp(App[None]):
    """A workspace, the reader on top, and a record of the notifications shown."""

    def __init__(self, project: Path, article_id: str = ARTICLE, **screen: Any) -> None:
        super().__init__()
        self.workspace = Workspace(resolve_project(cwd=project))
        self.article_id = article_id
        self.screen_kwargs = screen
        self.messages: list[tuple[str, SeverityLevel]] = []

    def on_mount(self) -> None:
        self.push_screen(ReaderScreen(self.article_id, **self.screen_kwargs))

    def notify(
        self, message: str, *args: Any, severity: SeverityLevel = "information", **kwargs: Any
    ) -> None:
        self.messages.append((message, severity))
        super().notify(message, *args, severity=severity, **kwargs)


def spans_of(body: str, word: str) -> list[tuple[int, int]]:
    """Every occurrence of ``word`` in ``body`` as a span."""
    spans, at = [], body.find(word)
    while at != -1:
        spans.append((at, at + len(word)))
        at = body.find(word, at + 1)
    return spans
