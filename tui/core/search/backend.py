"""The seam between Gloss and a search engine: what the CLI and the app call.

Two engines answer it: the embedded Whoosh index in the user cache (the default,
:class:`tui.core.search.index.SearchIndex`) and a PostgreSQL server a team shares
(:class:`tui.core.search.pg.backend.PostgresIndex`, when ``gloss.toml`` says
``search = "postgresql://..."`` or ``GLOSS_SEARCH`` is set). Both take the same query
language and return the same :class:`~tui.core.search.hits.SearchResult`; neither module
is imported until a search needs it, and psycopg only with PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore
    from tui.core.corpus.load import Corpus
    from tui.core.corpus.options import ReadOptions
    from tui.core.project import Project
    from tui.core.search.hits import RefreshReport, SearchResult

Progress = Callable[[int, int], None]


class SearchBackend(Protocol):
    """A corpus's search index, wherever it is."""

    @property
    def location(self) -> str:
        """Where it is (a folder, or a database URL without its password)."""
        ...

    def refresh(
        self,
        corpus: Corpus | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
        publish: bool = False,
    ) -> RefreshReport:
        """Bring it up to date with the corpus and the annotations. ``publish``: this is
        ``gloss index``; a shared index is written only then (a private one always)."""
        ...

    def search(
        self,
        query: str,
        limit: int = 50,
        sort: str = "score",
        cancelled: Callable[[], bool] | None = None,
        offset: int = 0,
    ) -> SearchResult: ...

    def matching(
        self, query: str, among: Iterable[str], cancelled: Callable[[], bool] | None = None
    ) -> set[str]: ...

    def similar(self, article_id: str, limit: int = 10) -> SearchResult: ...


class LocalCorpus:
    """This machine's corpus, which either engine builds its hits from: the project's,
    or opened (its catalogue refreshed) on first use."""

    def __init__(
        self,
        corpus_root: Path,
        exclude: Sequence[Path],
        corpus: Corpus | None,
        options: ReadOptions,
    ) -> None:
        self.root = corpus_root.resolve()
        self.exclude = tuple(exclude)
        self.options = corpus.catalogue.options if corpus is not None else options
        self._corpus = corpus

    @property
    def corpus(self) -> Corpus:
        """The corpus searched (opened, and its catalogue refreshed, on first use)."""
        if self._corpus is None:
            from tui.core.corpus.load import load_corpus

            self._corpus = load_corpus(self.root, self.exclude, options=self.options)
        return self._corpus

    def _refreshed(self, corpus: Corpus | None) -> Corpus:
        """The corpus a refresh works on: ``corpus`` (refreshed by the caller) as it is,
        else this one refreshed first (a stat per file)."""
        if corpus is not None:
            self._corpus = corpus
        elif self._corpus is not None:
            self._corpus.refresh()
        return self.corpus


def open_backend(
    project: Project,
    store: Callable[[], AnnotationStore] | None = None,
    corpus: Corpus | None = None,
) -> SearchBackend:
    """The project's search index: PostgreSQL when the project names a server, else Whoosh."""
    if project.search:
        from tui.core.search.pg.backend import PostgresIndex

        return PostgresIndex.for_project(project, store=store, corpus=corpus)
    from tui.core.search.index import SearchIndex

    return SearchIndex.for_project(project, store=store, corpus=corpus)
