"""A corpus: the articles of one folder, listed from the catalogue, bodies read on demand.

Nothing here holds every body: :class:`Corpus` answers "which articles, in what order,
with what metadata" from the catalogue (SQLite), and reads one article's file only when
its body is asked for (:meth:`Corpus.get`), checking its ``stat`` first so an edited file
is never served stale. A few recent bodies are kept (:data:`BODY_CACHE_CHARS`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from tui.core.corpus.catalogue import Catalogue, Progress, Refreshed
from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import CorpusError, GlossError, UnknownArticleError
from tui.core.models import Article, ArticleInfo, SourceFile
from tui.core.ordering import SortKey

BODY_CACHE_CHARS = 16_000_000
"""Characters of recently read bodies kept in memory (about 64 MB at most)."""


class Corpus:
    """The articles of one folder (see the module docstring)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.root = catalogue.root
        self.version = 0
        """Goes up each time a refresh changes anything: the UI compares it."""
        self._problems: dict[str, GlossError] | None = None
        self._bodies: OrderedDict[str, tuple[tuple[int, int], Article]] = OrderedDict()
        self._cached_chars = 0
        self._lock = threading.Lock()
        self.articles = _Articles(self)
        """The articles by id, as a mapping; each body is read when its article is looked up."""

    @classmethod
    def of(
        cls,
        root: Path,
        articles: Mapping[str, Article],
        problems: Mapping[str, GlossError] | None = None,
    ) -> Corpus:
        """A corpus of articles given in memory: nothing is read from disk, ever (a test's
        edited article, a project being imported)."""
        return _GivenCorpus(root, articles, problems or {})

    # -- freshness ---------------------------------------------------------------------

    def refresh(
        self, progress: Progress | None = None, every_file: bool | None = None
    ) -> Refreshed:
        """Re-stat the folder; read only what was added or changed (see Catalogue.refresh:
        ``every_file=None`` lets a large corpus be checked by folder)."""
        report = self.catalogue.refresh(progress, every_file)
        if report.anything or report.changed:
            self.version += 1
            with self._lock:
                for key in report.changed:
                    self._drop(key)
        self._problems = None
        return report

    # -- what is in it -----------------------------------------------------------------

    def __len__(self) -> int:
        return self.catalogue.count()

    def __iter__(self) -> Iterator[ArticleInfo]:
        """Every article's catalogue row, by id, streamed."""
        return self.catalogue.iter()

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.catalogue

    @property
    def problems(self) -> dict[str, GlossError]:
        """Files that could not be read, and ids two files claim, by id."""
        if self._problems is None:
            self._problems = {
                key: CorpusError(message) for key, message in self.catalogue.problems().items()
            }
        return self._problems

    def info(self, article_id: str) -> ArticleInfo:
        """An article's metadata without reading its file; its problem or "unknown id"."""
        found = self.catalogue.info(article_id)
        if found is None:
            raise self._missing(article_id)
        return found

    def page(
        self,
        sort: SortKey | None = None,
        reverse: bool = False,
        needle: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ArticleInfo]:
        return self.catalogue.page(sort, reverse, needle, offset, limit)

    def count(self, needle: str = "") -> int:
        return self.catalogue.count(needle)

    # -- bodies ------------------------------------------------------------------------

    def get(self, article_id: str) -> Article:
        """The article as it is on disk now: one ``stat``, and a read when needed.

        The app stays open while articles are corrected or re-fetched; what it shows
        and anchors against must be the current text, not the text read at start-up.
        A file changed since the catalogue saw it is parsed again and recorded.
        """
        from tui.core.corpus.folder import source_file

        info = self.info(article_id)
        try:
            src = source_file(article_id, info.path)  # a sidecar's stat folded in
        except FileNotFoundError:
            self.catalogue.forget(article_id)
            self.version += 1
            raise self._missing(article_id) from None
        except OSError as exc:
            raise CorpusError(f"{info.path}: cannot read: {exc.strerror}") from None
        key = (src.size, src.mtime_ns)
        with self._lock:
            cached = self._bodies.get(article_id)
            if cached is not None and cached[0] == key and cached[1].sha256 == info.sha256:
                self._bodies.move_to_end(article_id)
                return cached[1]
        article = self._with_body(info, src) if key == (info.size, info.mtime_ns) else None
        if article is None:
            article = self._reread(src)
        with self._lock:
            self._keep(article_id, key, article)
        return article

    def _with_body(self, info: ArticleInfo, src: SourceFile) -> Article | None:
        """The article from its row and a fresh read of its body; None if the body's
        hash differs (a change within the same mtime): then it is parsed whole."""
        from tui.core.corpus.parse import read_body
        from tui.core.models import INFO_FIELDS
        from tui.core.text import body_sha256

        body, _ = read_body(src, self.catalogue.options)
        if body_sha256(body) != info.sha256:
            return None
        values = {name: getattr(info, name) for name in INFO_FIELDS}
        return Article(**values, body=body, boilerplate=self.catalogue.boilerplate(info.id))

    def _reread(self, src: SourceFile) -> Article:
        from tui.core.corpus.parse import read_article

        article = read_article(src, self.catalogue.options)
        self.catalogue.put(article)
        self.version += 1
        self._problems = None
        return article

    def _keep(self, article_id: str, key: tuple[int, int], article: Article) -> None:
        self._drop(article_id)
        if len(article.body) > BODY_CACHE_CHARS // 4:
            return  # a huge article is not worth evicting everything else for
        self._bodies[article_id] = (key, article)
        self._cached_chars += len(article.body)
        while self._cached_chars > BODY_CACHE_CHARS:
            _, (_, old) = self._bodies.popitem(last=False)
            self._cached_chars -= len(old.body)

    def _drop(self, article_id: str) -> None:
        old = self._bodies.pop(article_id, None)
        if old is not None:
            self._cached_chars -= len(old[1].body)

    def _missing(self, article_id: str) -> GlossError:
        problem = self.catalogue.problem(article_id)
        if problem is not None:
            return CorpusError(problem)
        return UnknownArticleError(f"unknown article id '{article_id}' in {self.root}")


class _GivenCorpus(Corpus):
    """:meth:`Corpus.of`: the articles as given, their rows in an in-memory catalogue."""

    def __init__(
        self, root: Path, articles: Mapping[str, Article], problems: Mapping[str, GlossError]
    ) -> None:
        super().__init__(Catalogue.in_memory(root))
        self._given = dict(articles)
        for article in self._given.values():
            self.catalogue.put(article)
        self._problems = dict(problems)

    def refresh(
        self, progress: Progress | None = None, every_file: bool | None = None
    ) -> Refreshed:
        return Refreshed(unchanged=len(self._given))

    @property
    def problems(self) -> dict[str, GlossError]:
        assert self._problems is not None
        return self._problems

    def get(self, article_id: str) -> Article:
        try:
            return self._given[article_id]
        except KeyError:
            raise self._missing(article_id) from None

    def _missing(self, article_id: str) -> GlossError:
        assert self._problems is not None
        if article_id in self._problems:
            return self._problems[article_id]
        return super()._missing(article_id)


class _Articles(Mapping[str, Article]):
    """``corpus.articles``: a mapping that reads each body when it is looked up."""

    def __init__(self, corpus: Corpus) -> None:
        self._corpus = corpus

    def __getitem__(self, article_id: str) -> Article:
        try:
            return self._corpus.get(article_id)
        except GlossError:
            raise KeyError(article_id) from None

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._corpus

    def __iter__(self) -> Iterator[str]:
        return iter(self._corpus.catalogue.ids())

    def __len__(self) -> int:
        return len(self._corpus)


def load_corpus(
    root: Path,
    exclude: Iterable[Path] = (),
    progress: Progress | None = None,
    options: ReadOptions = DEFAULT_OPTIONS,
) -> Corpus:
    """The corpus of ``root``, its catalogue brought up to date first.

    A file that cannot be read is kept as a problem of its id, not fatal.
    """
    corpus = Corpus(Catalogue(root, exclude, options=options))
    corpus.refresh(progress)
    return corpus
