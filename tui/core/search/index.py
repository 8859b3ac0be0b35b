"""The search index of one corpus: always fresh, rebuilt when damaged, never in the corpus.

Public API (the CLI and the app use only this)::

    index = SearchIndex.for_project(project, store=..., corpus=...)  # or Workspace.index
    index.refresh(corpus=None, rebuild=False, progress=None) -> RefreshReport
    index.search(query, limit=50, sort="score", cancelled=None, offset=0) -> SearchResult
    index.similar(article_id, limit=10) -> SearchResult
    index.matching(query, among=article_ids) -> set[str]   # which of them match (no spans)
    index.matching(query, among=article_ids) -> set[str]   # which of them match (no spans)

``refresh`` brings the corpus's catalogue up to date (a ``stat`` per file, reads of
changed files only; or takes a :class:`Corpus` the caller refreshed), compares it with
the manifest in one SQL join, and writes what changed: articles added, edited or removed,
and those whose annotation file changed (for ``note:``, ``memo:``, ``annotated:``). Large
writes use every core (:mod:`tui.core.search.build`). ``search`` uses one searcher of the
latest commit per call (idle ones are kept for the next call), ranks every match in
NumPy (:mod:`tui.core.search.ranking`) and builds spans and snippets for the page asked
for only, reading those bodies on demand; ``cancelled`` is polled (pass the worker's
``is_cancelled``; it raises :class:`SearchCancelled`). A query that cannot be understood
raises :class:`~tui.core.search.query.QueryError` and an unwritable cache
:class:`SearchIndexError` (both ``GlossError``, one line each).

The index lives in ``cache_dir()/index/<corpus name>-<hash of its path>``. Writers take
a file lock there, then re-check what is stale, so two processes never build at once
and the second finds the work done.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from weakref import WeakKeyDictionary

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import GlossError, UnknownArticleError
from tui.core.paths import cache_dir, folder_key
from tui.core.search.backend import LocalCorpus
from tui.core.search.hits import RefreshReport, SearchCancelled, SearchResult
from tui.core.search.manifest import Manifest, Plan, Stat
from tui.core.search.notes import Annotations, annotation_fields, open_store
from tui.core.search.schema import SCHEMA_VERSION, build_schema

if TYPE_CHECKING:
    from whoosh.index import FileIndex
    from whoosh.searching import Searcher

    from tui.core.annotations.store import AnnotationStore
    from tui.core.corpus.load import Corpus
    from tui.core.project import Project
    from tui.core.search.build import Item
    from tui.core.search.ranking import RankingMemo

SORTS = ("score", "date", "title")
LOCK_FILE = "gloss-build.lock"
LOCK_WAIT = 600.0
IDLE_SEARCHERS = 2
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
StoreFactory = Callable[[], "AnnotationStore"]
_T = TypeVar("_T")


class SearchIndexError(GlossError):
    """The index cannot be written or read (e.g. the cache folder is not writable)."""


class SearchIndex(LocalCorpus):
    """A Whoosh index over one corpus folder, plus the manifest that keeps it fresh."""

    def __init__(
        self,
        corpus_root: Path,
        exclude: Sequence[Path] = (),
        annotations: Path | None = None,
        store: StoreFactory | None = None,
        folder: Path | None = None,
        corpus: Corpus | None = None,
        options: ReadOptions = DEFAULT_OPTIONS,
    ) -> None:
        """``annotations``/``store``: the annotation store folder and how to open it (lazily,
        only when it holds files), for the ``note:``, ``memo:`` and ``annotated:`` fields.
        ``corpus``: the project's corpus (else the index opens its own). ``options``: how
        the corpus is read (gloss.toml); other options index into another folder."""
        super().__init__(corpus_root, exclude, corpus, options)
        self.annotations = annotations
        key = folder_key(self.root)
        if not self.options.is_default:
            key += f"-{self.options.digest()}"
        self.folder = folder or cache_dir() / "index" / key
        self.schema = build_schema()
        self._store_factory = store
        self._store: AnnotationStore | None = None
        self._lock = threading.RLock()
        self._ix: FileIndex | None = None
        self._manifest = Manifest(self.folder)
        self._fresh = False
        self._idle: list[Searcher] = []
        self._idle_stamp: Stat | None = None
        self._idle_lock = threading.Lock()
        self._rankings: WeakKeyDictionary[Searcher, RankingMemo] = WeakKeyDictionary()

    @classmethod
    def for_project(
        cls, project: Project, store: StoreFactory | None = None, corpus: Corpus | None = None
    ) -> SearchIndex:
        return cls(
            project.corpus,
            exclude=[project.annotations],
            annotations=project.annotations,
            store=store,
            corpus=corpus,
            options=project.read_options,
        )

    @property
    def location(self) -> str:
        """Where the index is (``gloss index --json``, ``gloss info``)."""
        return str(self.folder)

    # -- freshness -------------------------------------------------------------------

    def refresh(
        self,
        corpus: Corpus | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
        publish: bool = False,
    ) -> RefreshReport:
        """Bring the index up to date with the corpus and the annotation store (always:
        it is this machine's own, so ``publish``, ``gloss index``, changes nothing).

        With ``corpus`` (refreshed by the caller) its catalogue is used as it is;
        without it, the index's own corpus is refreshed first (a stat per file).
        ``progress(done, total)`` is called while articles are written.
        """
        started = time.perf_counter()
        with self._lock:
            corpus = self._refreshed(corpus)
            notes = self._note_stats()
            reason = None if rebuild else self._usable()
            if not rebuild and reason is None:
                plan = self._manifest.plan(corpus.catalogue.path, notes)
                if plan.empty:
                    self._fresh = True
                    return RefreshReport(
                        unchanged=plan.unchanged,
                        seconds=time.perf_counter() - started,
                        problems=self._problems(corpus),
                    )
            report = self._write(corpus, notes, rebuild, progress)
            self._fresh = True
        return replace(report, seconds=time.perf_counter() - started)

    def _write(
        self, corpus: Corpus, notes: dict[str, Stat], rebuild: bool, progress: Progress | None
    ) -> RefreshReport:
        """Under the build lock: re-check (another process may have done it), then apply."""
        from filelock import FileLock, Timeout

        from tui.core.search.build import SMALL, write_large, write_small

        self._make_folder()
        try:
            with FileLock(str(self.folder / LOCK_FILE), timeout=LOCK_WAIT):
                reason = "rebuilt on request" if rebuild else self._usable()
                if reason is not None:
                    self._create()
                plan = self._manifest.plan(corpus.catalogue.path, notes)
                items = self._items(corpus, plan, notes)
                ix = self._open()
                if plan.empty:
                    outcome = None
                elif len(plan.write) <= SMALL:
                    outcome = write_small(ix, plan, items, self._manifest, self.options)
                else:
                    outcome = write_large(
                        self.folder, ix, plan, items, self._manifest, progress, self.options
                    )
                self._manifest.reached(plan.position)
                self._drop_searchers()
        except Timeout:
            raise SearchIndexError(
                f"{self.folder}: another gloss has been updating the search index for "
                f"{LOCK_WAIT:.0f} s; try again later"
            ) from None
        except OSError as exc:
            raise SearchIndexError(
                f"{self.folder}: cannot write the search index: {exc.strerror or exc} "
                "(set GLOSS_CACHE to a writable folder)"
            ) from None
        notices = corpus.catalogue.take_notices()
        if reason not in (None, "missing", "rebuilt on request"):
            notices.append(f"search index {reason}; rebuilt it")
        problems = self._problems(corpus)
        written = outcome.written if outcome is not None else {}
        if outcome is not None:
            problems.update(outcome.failed)
        updated = sum(1 for key in written if key in plan.dirty)
        return RefreshReport(
            added=len(written) - updated,
            updated=updated,
            deleted=len(plan.delete),
            unchanged=plan.unchanged,
            rebuilt=reason is not None,
            notices=tuple(notices),
            problems=problems,
        )

    def _items(self, corpus: Corpus, plan: Plan, notes: dict[str, Stat]) -> dict[str, Item]:
        """What the writers need of each article to write (metadata, digest, annotations)."""
        from tui.core.search.build import item_for

        catalogue = corpus.catalogue
        infos = catalogue.infos(plan.write)
        extras = catalogue.index_fields(plan.write)
        items: dict[str, Item] = {}
        for key in plan.write:
            info = infos.get(key)
            if info is None:
                continue
            boilerplate, digest = extras[key]
            items[key] = item_for(info, boilerplate, digest, notes.get(key), self._annotations(key))
        plan.write = [key for key in plan.write if key in items]
        return items

    def _problems(self, corpus: Corpus) -> dict[str, str]:
        return {key: str(problem) for key, problem in corpus.problems.items()}

    # -- the index folder --------------------------------------------------------------

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchIndexError(
                f"{self.folder}: cannot create the search index folder: {exc.strerror or exc} "
                "(set GLOSS_CACHE to a writable folder)"
            ) from None

    def _usable(self) -> str | None:
        """None if the index matches its manifest and opens; else why not."""
        if not self._manifest.exists():
            return "was incomplete (an interrupted build?)" if self._has_files() else "missing"
        try:
            meta = self._manifest.meta()
            expected = self._manifest.count()
        except Exception as exc:  # a damaged SQLite file raises DatabaseError and kin
            self._manifest.close()
            return f"was damaged ({type(exc).__name__})"
        if not meta:
            return "was incomplete (an interrupted build?)"
        if meta.get("schema") != str(SCHEMA_VERSION):
            return "was made by another version of Gloss"
        if meta.get("corpus") != str(self.root):
            return "belonged to another folder"
        try:
            # Opening a searcher reads every segment: the check that finds a damaged index.
            with self._searcher() as searcher:
                count = searcher.doc_count()
        except Exception as exc:  # Whoosh reports damage with many exception types
            self._ix = None
            self._drop_searchers()
            return f"was damaged ({type(exc).__name__})"
        if expected is not None and count != expected:
            self._ix = None
            return f"was damaged ({count} articles where {expected} were written)"
        return None

    def _has_files(self) -> bool:
        try:
            return any(not name.startswith(LOCK_FILE) for name in os.listdir(self.folder))
        except OSError:
            return False

    def _open(self) -> FileIndex:
        if self._ix is None:
            from whoosh import index

            self._ix = index.open_dir(str(self.folder))
        return self._ix

    def _create(self) -> None:
        """Empty the folder (keeping the lock) and start a new index and manifest."""
        from whoosh import index

        self._manifest.close()
        self._ix = None
        self._drop_searchers()
        for entry in os.scandir(self.folder):
            if entry.name == LOCK_FILE:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        self._ix = index.create_in(str(self.folder), self.schema)
        self._manifest.start(SCHEMA_VERSION, str(self.root))

    # -- annotations -----------------------------------------------------------------

    def _store_or_none(self) -> AnnotationStore | None:
        """The store, opened only when its folder holds something (saves its imports)."""
        if self._store is None:
            self._store = open_store(self.annotations, self._store_factory)
        return self._store

    def _note_stats(self) -> dict[str, Stat]:
        """The stat of each article's annotation file, so edits there re-index it."""
        store = self._store_or_none()
        if store is None:
            return {}
        stats: dict[str, Stat] = {}
        for key in store.article_ids():
            try:
                info = os.stat(store.path_for(key))
            except (OSError, GlossError):
                continue
            stats[key] = (info.st_size, info.st_mtime_ns)
        return stats

    def _annotations(self, key: str) -> Annotations:
        """Notes, tags, whether the article has any annotation, and its memo (a broken
        file: none)."""
        return annotation_fields(self._store_or_none(), key)

    # -- searching -------------------------------------------------------------------

    def search(
        self,
        query: str,
        limit: int = 50,
        sort: str = "score",
        cancelled: Cancelled | None = None,
        offset: int = 0,
    ) -> SearchResult:
        """The top ``limit`` hits for ``query``, ordered by ``sort`` (score, date, title),
        leaving out the first ``offset``: a page of N hits after the first 100 is
        ``limit=100 + N, offset=100``. The query's ranking is kept for the next page.

        Date order is newest first with undated articles last. When nothing matches,
        ``suggestion`` holds a corrected query if the vocabulary has a close word.
        """
        from tui.core.search.query import QueryError, parse_query

        if sort not in SORTS:
            raise QueryError(f"unknown sort '{sort}': use one of {', '.join(SORTS)}")
        if limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        if not 0 <= offset <= limit:
            raise QueryError(f"offset must be between 0 and the limit, not {offset}")
        parsed = parse_query(query)
        uses_annotations = _uses_annotations(parsed)
        if not self._fresh or uses_annotations:
            self.refresh(self._corpus)
        from tui.core.search.run import run_search

        corpus = self.corpus
        result = self._with_recovery(
            lambda searcher: run_search(
                searcher,
                query,
                parsed,
                limit,
                sort,
                cancelled,
                offset,
                self._memo(searcher),
                corpus,
            )
        )
        if uses_annotations and offset == 0:
            # A broken annotation file is indexed as "no annotations": say so (once per
            # query, not per page), or the analyst takes a missing article for one that
            # has none.
            unread = tuple(
                f"{problem} (left out of note:/annotated: results)"
                for problem in self._store_problems()
            )
            result = replace(result, notices=result.notices + unread)
        return result

    def matching(
        self, query: str, among: Iterable[str], cancelled: Cancelled | None = None
    ) -> set[str]:
        """Which of the articles ``among`` match ``query``: no spans, no snippets, so
        asking about a few thousand articles (a stats filter) costs the matching only."""
        from tui.core.search.query import parse_query

        parsed = parse_query(query)
        if not self._fresh or _uses_annotations(parsed):
            self.refresh(self._corpus)
        from tui.core.search.run import run_matching

        wanted = list(among)
        return self._with_recovery(
            lambda searcher: run_matching(
                searcher, parsed, wanted, cancelled, self._memo(searcher), query
            )
        )

    def _store_problems(self) -> list[GlossError]:
        store = self._store_or_none()
        if store is None:
            return []
        return list(store.scan().problems.values())

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        """Articles most like ``article_id`` by its key terms, never the article itself."""
        from tui.core.search.run import run_similar

        if not self._fresh:
            self.refresh(self._corpus)
        corpus = self.corpus
        article = corpus.get(article_id)
        result = self._with_recovery(lambda searcher: run_similar(searcher, article, limit, corpus))
        if result is None:
            raise UnknownArticleError(f"unknown article id '{article_id}' in {self.root}")
        return result

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher of the latest commit, for one thread at a time.

        Opening one costs a few ms, so idle ones are kept for the next call as long as
        no commit happened since. A rebuild by another process restarts Whoosh's
        generation count, so a change in the folder (any commit) also retires them.
        """
        stamp = _stamp(self.folder)
        with self._idle_lock:
            if stamp != self._idle_stamp:
                stale, self._idle, self._idle_stamp = self._idle, [], stamp
            else:
                stale = []
            searcher = self._idle.pop() if self._idle else None
        for old in stale:
            with suppress(Exception):
                old.close()
        if searcher is not None and not searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers and would miss deletions
            # made in those segments since.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._open().searcher()
        failed = False
        try:
            yield searcher
        except BaseException:
            failed = True
            raise
        finally:
            with self._idle_lock:
                keep = not failed and len(self._idle) < IDLE_SEARCHERS
                if keep:
                    self._idle.append(searcher)
            if not keep:
                searcher.close()

    def _memo(self, searcher: Searcher) -> RankingMemo:
        """This searcher's recent rankings (forgotten with the searcher)."""
        from tui.core.search.ranking import RankingMemo

        with self._idle_lock:
            memo = self._rankings.get(searcher)
            if memo is None:
                memo = self._rankings[searcher] = RankingMemo()
            return memo

    def _drop_searchers(self) -> None:
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            with suppress(Exception):  # a damaged index may fail to close; drop it anyway
                searcher.close()

    def _with_recovery(self, run: Callable[[Searcher], _T]) -> _T:
        """Run with a fresh searcher; if the index fails, reopen it, then rebuild it once."""
        notices: tuple[str, ...] = ()
        for attempt in range(3):
            try:
                with self._searcher() as searcher:
                    result = run(searcher)
                if notices and isinstance(result, SearchResult):
                    return cast(_T, replace(result, notices=notices + result.notices))
                return result
            except (GlossError, SearchCancelled):
                raise
            except Exception as exc:  # damage shows up as any of Whoosh's exceptions
                self._ix = None
                self._drop_searchers()
                if attempt == 1:
                    report = self.refresh(self._corpus, rebuild=True)
                    notices = (
                        f"search index was damaged ({type(exc).__name__}); rebuilt it",
                        *report.notices,
                    )
                elif attempt == 2:
                    raise SearchIndexError(
                        f"{self.folder}: the search index cannot be read ({type(exc).__name__}: "
                        f"{exc}); delete this folder and try again"
                    ) from None
        raise AssertionError("unreachable")


def _stamp(path: Path) -> Stat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def _uses_annotations(parsed: Any) -> bool:
    """Whether the query looks at notes or annotation tags (then their files are re-checked)."""
    fields = (
        {leaf.field() for leaf in parsed.leaves()} if not parsed.is_leaf() else {parsed.field()}
    )
    return bool(fields & {"note", "memo", "annotated"})


__all__ = ["SORTS", "SearchCancelled", "SearchIndex", "SearchIndexError"]
