"""The one host for the reader's tests and snapshots: the shell, with a lone reader on top.

The shell (tui/shell.py) is what GlossApp runs every screen in (workspace, watcher, the
one failure handler); here it opens the reader straight away, without the library under
it, and records the notifications shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.notifications import SeverityLevel

from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.shell import Shell

ARTICLE = "000_1b8bce5c4f6c6391"


class ReaderApp(Shell):
    """The reader on ``article_id``; ``screen`` are its options (query, spans...)."""

    def __init__(
        self,
        project: Path,
        article_id: str = ARTICLE,
        *,
        theme: str = "textual-dark",
        **screen: Any,
    ) -> None:
        resolved = resolve_project(cwd=project)
        super().__init__(resolved, Workspace(resolved))
        self.article_id = article_id
        self.screen_kwargs = screen
        self.theme = theme
        self.messages: list[tuple[str, SeverityLevel]] = []

    def on_mount(self) -> None:
        self.open_reader(self.article_id, **self.screen_kwargs)
        self.watcher.start()

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
