"""One project's open state (corpus, and later annotation store and search index).

The CLI and the app both go through a Workspace so each is loaded once and in one way.
Feature modules add their own cached property here (``store``, ``index``).
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import TYPE_CHECKING

from tui.core.corpus.cache import load_cached, save_cached
from tui.core.corpus.folder import source_file
from tui.core.corpus.load import Corpus, load_corpus
from tui.core.corpus.parse import read_article
from tui.core.errors import GlossError
from tui.core.models import Article
from tui.core.project import Project

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.search.index import SearchIndex


class Workspace:
    def __init__(self, project: Project) -> None:
        self.project = project
        self._cached: dict[str, Article] = {}
        """The articles last written to (or read from) the article cache."""

    @cached_property
    def corpus(self) -> Corpus:
        """The corpus, parsed files reused from the on-disk cache where unchanged."""
        cached = load_cached(self.project.corpus, self.project.read_options)
        self._cached = cached
        return self._load(Corpus(self.project.corpus, cached) if cached else None)

    def _load(self, previous: Corpus | None) -> Corpus:
        # The store may sit inside the corpus folder; its files are not articles.
        corpus = load_corpus(
            self.project.corpus,
            exclude=[self.project.annotations],
            previous=previous,
            options=self.project.read_options,
        )
        saved = self._cached
        if corpus.articles.keys() != saved.keys() or any(
            article is not saved[key] for key, article in corpus.articles.items()
        ):
            save_cached(self.project.corpus, corpus.articles, self.project.read_options)
            self._cached = dict(corpus.articles)
        return corpus

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
    def index(self) -> SearchIndex:
        """The corpus's search index (in the user cache); ``refresh`` it, then ``search``."""
        from tui.core.search.index import SearchIndex  # Whoosh only when searching

        return SearchIndex.for_project(self.project, store=lambda: self.store)

    def _article(self, article_id: str) -> Article | None:
        try:
            return self.article(article_id)
        except GlossError:
            return None

    def article(self, article_id: str) -> Article:
        """The article as it is on disk now: one ``stat``, and a re-read if it changed.

        The app stays open while articles are corrected or re-fetched; what it shows
        and anchors against must be the current text, not the text read at start-up.
        """
        corpus = self.corpus
        known = corpus.articles.get(article_id)
        if known is None:
            return corpus.get(article_id)  # raises the file's problem, or unknown id
        try:
            src = source_file(known.id, known.path)  # the file and its sidecar
        except FileNotFoundError:
            return self.reload_corpus().get(article_id)
        if (src.size, src.mtime_ns) == (known.size, known.mtime_ns):
            return known
        fresh = read_article(src, self.project.read_options)
        corpus.articles[article_id] = fresh
        return fresh

    def reload_corpus(self) -> Corpus:
        """Bring the corpus up to date with its folder.

        Only files added, or changed in size or time since they were read, are read
        again; deleted ones are dropped. Returns a new Corpus, so a reader holding the
        old one never sees it change under it.
        """
        if "corpus" not in self.__dict__:
            return self.corpus
        fresh = self._load(previous=self.corpus)
        self.__dict__["corpus"] = fresh
        return fresh
