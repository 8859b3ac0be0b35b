"""One project's open state: its corpus (catalogue), annotation store and search index.

The CLI and the app both go through a Workspace so each is opened once and in one way.
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import TYPE_CHECKING

from tui.core.corpus.catalogue import Catalogue, Progress
from tui.core.corpus.load import Corpus
from tui.core.errors import GlossError
from tui.core.models import Article
from tui.core.project import Project

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.search.backend import SearchBackend


class Workspace:
    def __init__(
        self, project: Project, progress: Progress | None = None, every_file: bool | None = None
    ) -> None:
        self.project = project
        self._progress = progress
        """Told how a first, long catalogue refresh is going (``gloss index`` shows a bar)."""
        self._every_file = every_file
        """Whether the first refresh stats every file (``gloss index``), or may trust the
        folders' times on a large corpus (None: see ``Catalogue.refresh``)."""

    @cached_property
    def corpus(self) -> Corpus:
        """The corpus, its catalogue refreshed: a stat per file, reads of changed ones only."""
        corpus = self._unchecked
        corpus.refresh(self._progress, self._every_file)
        return corpus

    @cached_property
    def _unchecked(self) -> Corpus:
        # The store may sit inside the corpus folder; its files are not articles.
        catalogue = Catalogue(
            self.project.corpus,
            exclude=[self.project.annotations],
            options=self.project.read_options,
        )
        return Corpus(catalogue)

    def corpus_as_last_seen(self) -> Corpus | None:
        """The corpus as its catalogue last saw it, the folder not looked at yet (at 100k
        articles the look takes most of a second): for the app's first rows, shown while
        :attr:`corpus` checks. None when the catalogue holds nothing yet."""
        if "corpus" in self.__dict__:
            return self.corpus
        corpus = self._unchecked
        return corpus if len(corpus) else None

    @cached_property
    def store(self) -> AnnotationStore:
        """The project's annotation store; writes re-anchor against the current corpus.

        A change a killed process left half-written is finished here (one stat when
        there is none), so what is read agrees with the op log. Should that fail (a
        read-only store), the next write finishes it or says why.
        """
        from tui.core.annotations.store import (
            AnnotationStore,  # rapidfuzz and filelock only when used
        )

        store = AnnotationStore(self.project.annotations, articles=self._article)
        with contextlib.suppress(GlossError):
            store.recover()
        return store

    @cached_property
    def index(self) -> SearchBackend:
        """The corpus's search index (Whoosh in the user cache, or the PostgreSQL server
        gloss.toml names); ``refresh`` it, then ``search``."""
        from tui.core.search.backend import open_backend  # the engine only when searching

        return open_backend(self.project, store=lambda: self.store, corpus=self.corpus)

    def _article(self, article_id: str) -> Article | None:
        try:
            return self.article(article_id)
        except GlossError:
            return None

    def article(self, article_id: str) -> Article:
        """The article as it is on disk now (one ``stat``; read again if it changed)."""
        return self.corpus.get(article_id)

    def reload_corpus(self) -> Corpus:
        """Bring the corpus up to date with its folder; only changed files are read.

        The same :class:`Corpus` comes back: its ``version`` goes up when anything changed.
        """
        if "corpus" not in self.__dict__:
            return self.corpus
        self.corpus.refresh()
        return self.corpus
