"""The one watcher of files on disk: the annotation store and the corpus folder.

One timer; at each tick the watcher stats what is due (never reading a file it has no
reason to), compares the result with its last look, and posts one :class:`Changed` to
the app, which hands it to every open screen. Every look has one shape, a *stamp*: each
file's name and what identifies its version (time, size, and the inode or the path).

- The store is looked at every :data:`STORE_SECONDS`: a stat of its files, cheap at any
  size, so annotation files written by another process show within two seconds.
- The corpus folder every :data:`CORPUS_SECONDS` (longer for a corpus whose look takes
  long, see :data:`CORPUS_SHARE`) once it has been indexed, and not while
  the user types a query: at 10k articles the look holds the GIL long enough to slow the
  search they are waiting for. It re-reads changed files and brings the index up to date
  before telling, so the screens can search the new text at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING

from tui.messages import Changed

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui.core.corpus.load import Corpus
    from tui.shell import Shell

TICK = 0.5
"""Seconds between two ticks of the timer; each looks at what is due."""
STORE_SECONDS = 1.0
"""How often the store's files are stat-ed."""
CORPUS_SECONDS = 2.5
CORPUS_SHARE = 0.1
"""At most this share of the time goes to looking at the corpus: at 100k articles a look
(a stat per file) takes about half a second, so it comes every 5 s, not every 2.5 s."""
"""How often the corpus folder is stat-ed (about 0.2 s of a worker thread at 10k
articles), and how long after the last keystroke in the query."""

Stamp = Mapping[str, Hashable]
"""One look at a folder: each file's name (a store path, an article id) and its version."""


def changed(before: Stamp, after: Stamp) -> frozenset[str]:
    """The names added, removed, or whose version differs between two looks."""
    return frozenset(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


class Watcher:
    """Started by :meth:`start` once the app wants it (after the library's first frame)."""

    def __init__(self, app: Shell) -> None:
        self._app = app
        self.lock = threading.Lock()
        """Held by whoever re-reads the corpus folder and updates the index: one at a time."""
        self._store: Stamp = {}
        """The last look at the store; the first look finds every file new."""
        self._store_lock = threading.Lock()
        self._indexed: int | None = None
        """The corpus version last indexed; None until the load job has indexed once."""
        self._typed_at = float("-inf")
        self._due = {"store": 0.0, "corpus": 0.0}
        self._corpus_look = 0.0
        """How long the last look at the corpus took (it sets how often to look)."""
        self._timer: Timer | None = None

    def start(self) -> None:
        """Look now, then at every tick (the main thread; a second call does nothing)."""
        if self._timer is None:
            self._timer = self._app.set_interval(TICK, self.poll)
            self.poll()

    def typed(self) -> None:
        """The user changed the query: the corpus waits until they pause."""
        self._typed_at = time.monotonic()

    def look_now(self) -> None:
        """Look at once at everything watched, as if it were all due (the main thread)."""
        self._due = dict.fromkeys(self._due, 0.0)
        self.poll()

    def poll(self) -> None:
        """One tick: start a look at whatever is due, each in a thread worker of the app's."""
        now = time.monotonic()
        if self._is_due("store", now, STORE_SECONDS):
            self._run(self._look_at_store, "watch-store")
        corpus_ready = self._indexed is not None and not self.lock.locked()
        typing = now - self._typed_at < CORPUS_SECONDS
        every = max(CORPUS_SECONDS, self._corpus_look / CORPUS_SHARE)
        if corpus_ready and not typing and self._is_due("corpus", now, every):
            self._run(self._look_at_corpus, "watch-corpus")

    def _is_due(self, what: str, now: float, every: float) -> bool:
        if now < self._due[what]:
            return False
        self._due[what] = now + every
        return True

    def _run(self, look: Callable[[], None], group: str) -> None:
        self._app.run_worker(look, thread=True, group=group, exclusive=True, exit_on_error=False)

    def _look_at_store(self) -> None:
        store = self._app.workspace.store
        with self._store_lock:
            stamp = store.stamp()
            names, self._store = changed(self._store, stamp), stamp
        if not names:
            return
        codebook = store.codebook_path.name
        annotations = frozenset(store.article_for(store.root / n) for n in names if n != codebook)
        self._app.post_message(Changed(annotations=annotations, codebook=codebook in names))

    def _look_at_corpus(self) -> None:
        if not self.lock.acquire(blocking=False):
            return  # a load or re-index is doing it already
        try:
            corpus = self._app.workspace.corpus
            started = time.perf_counter()
            # A stat per file, in the background: what `gloss search` may skip at 100k
            # (a file rewritten in place) the open app sees within its next look.
            report = corpus.refresh(every_file=True)
            self._corpus_look = time.perf_counter() - started
            articles = frozenset(report.changed)
            # (An article read on demand after an edit was recorded already: its version.)
            changed_since = corpus.version != self._indexed
            if articles or changed_since:
                self.index(corpus)
        finally:
            self.lock.release()
        if articles or changed_since:
            self._app.post_message(Changed(articles=articles, corpus=corpus))

    def index(self, corpus: Corpus) -> None:
        """Bring the index up to date with ``corpus``, telling its notices (a worker thread,
        :attr:`lock` held). From the first call on, the corpus folder is watched."""
        report = self._app.workspace.index.refresh(corpus)
        self._indexed = corpus.version
        for notice in report.notices:
            self._app.call_from_thread(self._app.notify, notice, title="Search index", markup=False)


__all__ = ["CORPUS_SECONDS", "STORE_SECONDS", "TICK", "Stamp", "Watcher", "changed"]
