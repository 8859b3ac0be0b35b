"""The app's background jobs: loading (and re-indexing) the corpus, exporting, checking.

Each runs in a thread worker of the app's, so the keyboard never waits for the disk, and
a failure is told by the app's one handler (``Shell.worker_failed``). What they find is
told in notifications and, for the corpus, to the library (``CorpusLoaded``, ``Indexed``).
"""

from __future__ import annotations

import gc
import threading
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.notifications import SeverityLevel

from tui.messages import Changed, CorpusLoaded, Indexed

if TYPE_CHECKING:
    from collections.abc import Callable

    from tui.app import GlossApp
    from tui.core.export import Format

PAINT_WAIT = 1.0
"""Seconds the load waits for the library to draw its rows before importing the store."""


def settle_heap() -> None:
    """Move what is alive now (the corpus, Whoosh's readers, the widgets) out of the
    garbage collector's sight: every full collection otherwise walks all of it, ~50 ms at
    10k articles, and lands in the middle of a search the user is waiting for.

    Run on the event loop (finalisers stay on its thread) after a load or a re-index, not
    after the watcher's updates (they may come while the user types); what was frozen
    before is unfrozen and collected first, so a closed screen from then is not kept
    forever. GlossApp unfreezes everything when it closes.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Jobs:
    """Started by GlossApp's actions (and the library's first mount); one worker group each."""

    def __init__(self, app: GlossApp) -> None:
        self._app = app
        self.corpus_read = threading.Event()
        """Set once the corpus is first read: the library's first frame waits a little for it."""

    def _run(self, job: Callable[[], None], group: str) -> None:
        self._app.run_worker(job, thread=True, group=group, exclusive=True, exit_on_error=False)

    def load(self, reread: bool = False) -> None:
        """Read the corpus (``reread``: its folder again), then bring the index up to date."""
        self._run(partial(self._load, reread), "load")

    def _load(self, reread: bool) -> None:
        """Each step is shown as soon as it is done, so the table appears before the store
        and Whoosh are even imported: on a start with a catalogue, its rows first, then
        the folder is looked at (a stat per file) and any change shown."""
        app, watcher = self._app, self._app.watcher
        with watcher.lock:  # the watcher's corpus look waits, and skips its turn
            started = time.perf_counter()
            workspace = app.workspace
            seen = None if reread else workspace.corpus_as_last_seen()
            corpus = seen or (workspace.reload_corpus() if reread else workspace.corpus)
            version = corpus.version
            painted = threading.Event()
            app.library.post_message(CorpusLoaded(corpus, time.perf_counter() - started, painted))
            self.corpus_read.set()
            # On two cores the imports would otherwise hold the GIL while the first frame
            # is being drawn.
            painted.wait(timeout=PAINT_WAIT)
            if seen is not None:  # the rows came from the catalogue: now look at the folder
                corpus = workspace.corpus
                if corpus.version != version:
                    app.post_message(Changed(corpus=corpus))
            app.call_later(watcher.start)  # (posted: safe from a thread, and as the app quits)
            watcher.index(corpus)
            app.call_later(settle_heap)
        app.library.post_message(Indexed(corpus))

    def export(self, fmt: Format, path: Path, again: Callable[[str], None]) -> None:
        """Write every annotation (re-anchored on the current corpus) to ``path``.

        A file that cannot be written is asked ``again`` with the reason (the dialog
        keeps the name typed), instead of a toast and a closed dialog.
        """
        self._run(partial(self._export, fmt, path, again), "export")

    def _export(self, fmt: Format, path: Path, again: Callable[[str], None]) -> None:
        from tui.core.annotations.selection import select
        from tui.core.errors import GlossError
        from tui.core.export import export
        from tui.core.fileio import write_atomic

        workspace = self._app.workspace
        chosen = select(workspace.store, workspace.corpus)
        try:
            write_atomic(path, export(chosen, fmt))
        except GlossError as exc:
            self._app.call_from_thread(again, f"Not written: {exc}")
            return
        self._tell(f"{len(chosen.items)} annotations written to {path}", title="Exported")
        for problem in chosen.problems.values():
            self._app.call_from_thread(self._app.tell_unreadable, problem.path.name, str(problem))

    def check(self) -> None:
        """Re-anchor every annotation, read the codebook and the op log, say how many
        annotations are where and what cannot be read (nothing is written)."""
        self._run(self._check, "check")

    def _check(self) -> None:
        from tui.core.annotations.check import check_store
        from tui.core.annotations.model import NEEDS_REVIEW

        workspace = self._app.workspace
        report = check_store(workspace.store, workspace.corpus)
        states = report.states
        summary = ", ".join(f"{count} {state}" for state, count in states.items() if count)
        review = sum(states[state] for state in NEEDS_REVIEW)
        broken = len(report.problems)
        message = summary or "no annotations"
        if review:
            message += f"; {review} need review (fuzzy or orphaned)"
        if broken:
            message += f"; {broken} store file(s) cannot be read"
        severity: SeverityLevel = "error" if broken else "warning" if review else "information"
        self._tell(message, title="Annotations checked", severity=severity)
        for problem in report.problems:
            name = Path(getattr(problem, "path", workspace.store.root)).name
            self._app.call_from_thread(self._app.tell_unreadable, name, str(problem))

    def _tell(self, message: str, **options: Any) -> None:
        self._app.call_from_thread(self._app.notify, message, markup=False, **options)


__all__ = ["Jobs", "settle_heap"]
