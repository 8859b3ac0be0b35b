"""Messages that cross screens: what the app's jobs and its watcher tell the screens.

Messages that stay inside one screen are nested in it (``LibraryScreen.Searched``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui.core.corpus.load import Corpus  # the corpus modules load after the first paint


@dataclass
class Changed(Message, bubble=False):
    """Files changed on disk, this app or another process wrote them (a script, a second
    window, ``git pull``). The watcher (tui/watcher.py) tells every open screen; each
    re-reads what it shows."""

    annotations: frozenset[str] = field(default_factory=frozenset)
    """Articles whose annotation file was added, changed or removed."""
    codebook: bool = False
    """The codebook (``tags.toml``) was added, changed or removed."""
    articles: frozenset[str] = field(default_factory=frozenset)
    """Articles added, changed or removed in the corpus folder (or become unreadable)."""
    corpus: Corpus | None = None
    """The corpus as it is now, when ``articles`` changed; the index has caught up."""


@dataclass
class CorpusLoaded(Message):
    """The load job has read the corpus; the index may still be catching up.

    The job waits for ``painted`` before importing the store and Whoosh, so their imports
    do not hold the GIL while the rows are drawn.
    """

    corpus: Corpus
    seconds: float
    painted: threading.Event


@dataclass
class Indexed(Message):
    """The search index is up to date with ``corpus`` (after a load or a re-index)."""

    corpus: Corpus


__all__ = ["Changed", "CorpusLoaded", "Indexed"]
