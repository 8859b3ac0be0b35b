"""Shell: what every Gloss screen relies on from the app it runs in.

The project's workspace (corpus, store, index), the one watcher of files on disk, the
one handler that tells a failed worker, and opening the reader. GlossApp (tui/app.py) is
the shell with the library, the keys and the palette; the tests host a lone reader in it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState

from tui.core.errors import GlossError
from tui.core.models import Span
from tui.core.project import Project
from tui.key_order import OrderedKeysApp
from tui.messages import Changed
from tui.watcher import Watcher

if TYPE_CHECKING:
    from tui.core.workspace import Workspace

FAILURE_SECONDS = 10
"""How long a failure stays on screen: long enough to read a file name and its line."""


def failure_title(worker: Worker[Any]) -> str:
    """``Export failed``: what was being done, from the worker's group (``watch-store``…)."""
    return f"{(worker.group or 'work').replace('-', ' ').capitalize()} failed"


def failure_text(error: BaseException | None) -> str:
    """A GlossError says what and where in one line; anything else is a bug: say its type."""
    if isinstance(error, GlossError):
        return str(error)
    return f"{type(error).__name__}: {error}"


class Shell(OrderedKeysApp[None]):
    """Keys sent at once (a paste, a script) act as if typed one by one (OrderedKeysApp)."""

    def __init__(self, project: Project, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.project = project
        self._workspace = workspace
        self._workspace_lock = threading.Lock()
        self.watcher = Watcher(self)
        self._told: set[tuple[str, str]] = set()

    @property
    def workspace(self) -> Workspace:
        """The project's corpus, store and index; first opened by whichever thread asks."""
        with self._workspace_lock:
            if self._workspace is None:
                from tui.core.workspace import Workspace  # the corpus modules, after first paint

                self._workspace = Workspace(self.project)
            return self._workspace

    @property
    def quitting(self) -> bool:
        """Keys typed after q are still delivered: they must not open screens mid-exit."""
        return self.return_code is not None

    def on_changed(self, message: Changed) -> None:
        """The watcher found changes: every open screen hears of them (a reader under a
        dialog too), each with its own copy of the message."""
        for screen in self.screen_stack:
            screen.post_message(replace(message))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own jobs; the screens hand theirs on (tui/screens/base.py)."""
        if event.state is WorkerState.ERROR:
            self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[Any]) -> None:
        """The one place a failed worker is told: a notification, never a crash."""
        self.notify(
            failure_text(worker.error),
            title=failure_title(worker),
            severity="error",
            timeout=FAILURE_SECONDS,
            markup=False,  # messages quote file names and corpus text
        )

    def tell_unreadable(self, name: str, error: str) -> None:
        """A file that cannot be read, told once per distinct message (the main thread)."""
        if (name, error) not in self._told:
            self._told.add((name, error))
            self.notify(
                error,
                title=f"Cannot read {name}",
                severity="error",
                timeout=FAILURE_SECONDS,
                markup=False,
            )

    def open_reader(
        self,
        article_id: str,
        *,
        query: str | None = None,
        spans: Sequence[Span] = (),
        annotation_id: str | None = None,
    ) -> None:
        """Push the reader on an article (imported here: it is the heaviest screen)."""
        if self.quitting:
            return
        if article_id not in self.workspace.corpus.articles:  # annotations outlive articles
            self.notify(
                f"article {article_id} is no longer in the corpus",
                title="Cannot open",
                severity="warning",
                markup=False,
            )
            return
        from tui.screens.reader import ReaderScreen

        self.push_screen(
            ReaderScreen(article_id, query=query, spans=spans, annotation_id=annotation_id)
        )


__all__ = ["Shell", "failure_text", "failure_title"]
