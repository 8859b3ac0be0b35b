"""The search index of one corpus: always fresh, rebuilt when damaged, never in the corpus.

Public API (the CLI and the app use only this)::

    index = SearchIndex.for_project(project, store=lambda: workspace.store)  # or Workspace.index
    index.refresh(corpus=None, rebuild=False, progress=None) -> RefreshReport
    index.search(query, limit=50, sort="score", cancelled=None, offset=0) -> SearchResult
    index.similar(article_id, limit=10) -> SearchResult
    index.matching(query, among=article_ids) -> set[str]   # which of them match (no spans)

``refresh`` stats the corpus (or takes an already loaded :class:`Corpus`), reads only
files whose size or mtime changed, and applies adds, edits and deletions (of articles,
and of their annotation files for the ``note:``, ``memo:`` and ``annotated:`` fields).
``search`` uses one searcher of the latest commit per call (idle ones are kept for the next call)
and builds spans and snippets for the top ``limit`` hits only, so the app can run it on
every keystroke from thread workers; ``cancelled`` is polled while matching and between
hits (pass the worker's ``is_cancelled``; it raises :class:`SearchCancelled`). A query
that cannot be understood raises :class:`~tui.core.search.query.QueryError` and an unwritable
cache :class:`SearchIndexError` (both ``GlossError``, one line each).

The index lives in ``cache_dir()/index/<corpus name>-<hash of its path>``. Writers take
a file lock there, then re-check what is stale, so two processes never build at once
and the second finds the work done.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from weakref import WeakKeyDictionary

from tui.core.corpus.folder import scan_folder
from tui.core.corpus.load import Corpus
from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.corpus.parse import read_article
from tui.core.errors import CorpusError, GlossError, UnknownArticleError
from tui.core.models import Article, SourceFile
from tui.core.paths import cache_dir, folder_key
from tui.core.search.hits import RefreshReport, SearchCancelled, SearchResult
from tui.core.search.manifest import (
    MANIFEST_FILE,
    Entry,
    Manifest,
    Stat,
    forget_manifest,
    load_manifest,
    save_manifest,
)
from tui.core.search.schema import SCHEMA_VERSION, build_schema, document, fingerprint

if TYPE_CHECKING:
    from whoosh.index import FileIndex
    from whoosh.searching import Searcher

    from tui.core.annotations.store import AnnotationStore
    from tui.core.project import Project
    from tui.core.search.ranking import RankingMemo

SORTS = ("score", "date", "title")
PARALLEL_MIN = 500
"""Articles to write before a build is spread over every core (below, forking costs more)."""
LOCK_FILE = "gloss-build.lock"
LOCK_WAIT = 600.0
IDLE_SEARCHERS = 4
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
StoreFactory = Callable[[], "AnnotationStore"]
_T = TypeVar("_T")


class SearchIndexError(GlossError):
    """The index cannot be written or read (e.g. the cache folder is not writable)."""


@dataclass
class _Plan:
    """What a refresh has to do, worked out before taking the build lock and again after."""

    write: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    touch: list[str] = field(default_factory=list)
    unchanged: int = 0
    broken: dict[str, str] = field(default_factory=dict)
    """Files that still cannot be read, and why: not in the index, not ``unchanged``."""

    @property
    def empty(self) -> bool:
        return not (self.write or self.delete or self.touch)


class SearchIndex:
    """A Whoosh index over one corpus folder, plus the manifest that keeps it fresh."""

    def __init__(
        self,
        corpus_root: Path,
        exclude: Sequence[Path] = (),
        annotations: Path | None = None,
        store: StoreFactory | None = None,
        folder: Path | None = None,
        options: ReadOptions = DEFAULT_OPTIONS,
    ) -> None:
        """``annotations``/``store``: the annotation store folder and how to open it (lazily,
        only when it holds files), for the ``note:``, ``memo:`` and ``annotated:`` fields.
        ``options``: how the corpus is read (gloss.toml); other options index into another
        folder, since the manifest's stats cannot tell that the same file now reads
        differently."""
        self.root = corpus_root.resolve()
        self.exclude = tuple(exclude)
        self.annotations = annotations
        self.options = options
        key = folder_key(self.root) + ("" if options.is_default else f"-{options.digest()}")
        self.folder = folder or cache_dir() / "index" / key
        self.schema = build_schema()
        self._store_factory = store
        self._store: AnnotationStore | None = None
        self._lock = threading.RLock()
        self._ix: FileIndex | None = None
        self._manifest: Manifest | None = None
        self._manifest_stamp: Stat | None = None
        self._corpus: Corpus | None = None
        self._fresh = False
        self._idle: list[Searcher] = []
        self._idle_stamp: Stat | None = None
        self._idle_lock = threading.Lock()
        self._rankings: WeakKeyDictionary[Searcher, RankingMemo] = WeakKeyDictionary()

    @classmethod
    def for_project(cls, project: Project, store: StoreFactory | None = None) -> SearchIndex:
        return cls(
            project.corpus,
            exclude=[project.annotations],
            annotations=project.annotations,
            store=store,
            options=project.read_options,
        )

    # -- freshness -------------------------------------------------------------------

    def refresh(
        self, corpus: Corpus | None = None, rebuild: bool = False, progress: Progress | None = None
    ) -> RefreshReport:
        """Bring the index up to date with the corpus and the annotation store.

        With ``corpus`` (already loaded by the app) nothing is read from disk but the
        annotation files' stat; without it the folder is scanned and only changed
        files are read. ``progress(done, total)`` is called while articles are written.
        """
        started = time.perf_counter()
        with self._lock:
            if corpus is not None:
                self._corpus = corpus
            sources, problems = self._sources(corpus)
            notes = self._note_stats(sources)
            # Why each unreadable article failed: scan problems (ids two files claim) first.
            cache: dict[str, Article | str] = dict(problems)
            manifest, _ = self._usable()
            if not rebuild and manifest is not None:
                plan = self._plan(manifest, sources, notes, problems, cache)
                if plan.empty:
                    self._fresh = True
                    return RefreshReport(
                        unchanged=plan.unchanged,
                        seconds=time.perf_counter() - started,
                        problems=plan.broken,
                    )
            report = self._write(sources, notes, problems, cache, rebuild, progress)
            self._fresh = True
        return RefreshReport(
            added=report.added,
            updated=report.updated,
            deleted=report.deleted,
            unchanged=report.unchanged,
            seconds=time.perf_counter() - started,
            rebuilt=report.rebuilt,
            notices=report.notices,
            problems=report.problems,
        )

    def _sources(
        self, corpus: Corpus | None
    ) -> tuple[dict[str, SourceFile | Article], dict[str, str]]:
        """Every article's stat, from the loaded corpus or a scan of the folder."""
        found: dict[str, SourceFile | Article]
        problems: Mapping[str, GlossError]
        if corpus is not None:
            found, problems = dict(corpus.articles), corpus.problems
        else:
            scanned = scan_folder(self.root, self.exclude)
            found, problems = {src.id: src for src in scanned.sources}, scanned.problems
        return found, {key: str(problem) for key, problem in problems.items()}

    def _write(
        self,
        sources: dict[str, SourceFile | Article],
        notes: dict[str, Stat],
        problems: dict[str, str],
        cache: dict[str, Article | str],
        rebuild: bool,
        progress: Progress | None,
    ) -> RefreshReport:
        """Under the build lock: re-check (another process may have done it), then apply."""
        from filelock import FileLock, Timeout

        self._make_folder()
        try:
            with FileLock(str(self.folder / LOCK_FILE), timeout=LOCK_WAIT):
                manifest, reason = self._usable()
                rebuilt = rebuild or manifest is None
                if rebuilt:
                    manifest = self._create()
                assert manifest is not None
                plan = self._plan(manifest, sources, notes, problems, cache)
                counts = self._apply(manifest, plan, sources, notes, cache, progress)
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
        added, updated, failed = counts
        notices = (
            ()
            if reason in (None, "missing") or not rebuilt
            else (f"search index {reason}; rebuilt it",)
        )
        return RefreshReport(
            added=added,
            updated=updated,
            deleted=len(plan.delete),
            unchanged=plan.unchanged,
            rebuilt=rebuilt,
            notices=notices,
            problems={**plan.broken, **failed},
        )

    def _plan(
        self,
        manifest: Manifest,
        sources: dict[str, SourceFile | Article],
        notes: dict[str, Stat],
        problems: dict[str, str],
        cache: dict[str, Article | str],
    ) -> _Plan:
        """Compare stats; read and fingerprint only the files whose stat changed."""
        plan = _Plan()
        for key, source in sources.items():
            entry = manifest.entries.get(key)
            stat = (source.size, source.mtime_ns)
            note = notes.get(key)
            if entry is not None and entry.stat == stat and entry.notes == note:
                if entry.problem is not None:
                    plan.broken[key] = entry.problem
                else:
                    plan.unchanged += 1
                continue
            article = self._article(source, cache)
            if (
                entry is not None
                and article is not None
                and entry.fingerprint == fingerprint(article)
                and entry.notes == note
            ):
                plan.touch.append(key)
                plan.unchanged += 1
                continue
            plan.write.append(key)
        for key in problems:
            entry = manifest.entries.get(key)
            if entry is None or entry.problem != problems[key]:
                plan.write.append(key)
            else:
                plan.broken[key] = problems[key]
        plan.delete = [
            key for key in manifest.entries if key not in sources and key not in problems
        ]
        return plan

    def _article(
        self, source: SourceFile | Article, cache: dict[str, Article | str]
    ) -> Article | None:
        """The article (read once per refresh), or None if it cannot be read (why: in cache)."""
        if isinstance(source, Article):
            return source
        if source.id not in cache:
            try:
                cache[source.id] = read_article(source, self.options)
            except CorpusError as exc:
                cache[source.id] = str(exc)
        found = cache[source.id]
        return found if isinstance(found, Article) else None

    def _apply(
        self,
        manifest: Manifest,
        plan: _Plan,
        sources: dict[str, SourceFile | Article],
        notes: dict[str, Stat],
        cache: dict[str, Article | str],
        progress: Progress | None,
    ) -> tuple[int, int, dict[str, str]]:
        """One Whoosh writer: delete what went or changed, add what is new or changed.

        Returns the articles added, updated, and the files that could not be read.
        """
        if plan.empty:
            return 0, 0, {}
        ix = self._open()
        procs = min(os.cpu_count() or 1, 4)
        if len(plan.write) >= PARALLEL_MIN and procs > 1:
            writer = ix.writer(procs=procs, multisegment=True, limitmb=256, batchsize=100)
        else:
            writer = ix.writer(limitmb=128)
        added, updated, failed = 0, 0, {}
        try:
            for key in plan.delete:
                writer.delete_by_term("id", key)
                del manifest.entries[key]
            for done, key in enumerate(plan.write, 1):
                entry = manifest.entries.get(key)
                if entry is not None and entry.fingerprint is not None:
                    writer.delete_by_term("id", key)
                source = sources.get(key)
                article = self._article(source, cache) if source is not None else None
                stat = (source.size, source.mtime_ns) if source is not None else (0, 0)
                if article is None:
                    failed[key] = self._problem(key, cache)
                    manifest.entries[key] = Entry(stat=stat, problem=failed[key])
                else:
                    if entry is not None and entry.fingerprint is not None:
                        updated += 1
                    else:
                        added += 1
                    note_texts, tags, annotated, memo = self._annotations(key)
                    writer.add_document(**document(article, note_texts, tags, annotated, memo))
                    manifest.entries[key] = Entry(
                        stat=stat, fingerprint=fingerprint(article), notes=notes.get(key)
                    )
                if progress is not None and (done % 50 == 0 or done == len(plan.write)):
                    progress(done, len(plan.write))
            for key in plan.touch:
                source = sources[key]
                manifest.entries[key].stat = (source.size, source.mtime_ns)
            writer.commit()
        except BaseException:
            writer.cancel()
            self._manifest = self._manifest_stamp = None  # the edits above were not saved
            raise
        save_manifest(self.folder, manifest)
        self._remember(manifest)
        return added, updated, failed

    def _problem(self, key: str, cache: dict[str, Article | str]) -> str:
        if self._corpus is not None and key in self._corpus.problems:
            return str(self._corpus.problems[key])
        found = cache.get(key)
        return found if isinstance(found, str) else f"{key}: cannot read"

    # -- the index folder --------------------------------------------------------------

    def _make_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SearchIndexError(
                f"{self.folder}: cannot create the search index folder: {exc.strerror or exc} "
                "(set GLOSS_CACHE to a writable folder)"
            ) from None

    def _usable(self) -> tuple[Manifest | None, str | None]:
        """The manifest if the index matches it and opens; else why not."""
        manifest = self._load_manifest()
        if manifest is None:
            return None, (
                "was incomplete (an interrupted build?)" if self._has_files() else "missing"
            )
        if manifest.schema != SCHEMA_VERSION:
            return None, "was made by another version of Gloss"
        if manifest.corpus != str(self.root):
            return None, "belonged to another folder"
        try:
            # Opening a searcher reads every segment: the check that finds a damaged index.
            with self._searcher() as searcher:
                count = searcher.doc_count()
        except Exception as exc:  # Whoosh reports damage with many exception types
            self._ix = None
            self._drop_searchers()
            return None, f"was damaged ({type(exc).__name__})"
        if count != manifest.indexed:
            self._ix = None
            return None, f"was damaged ({count} articles where {manifest.indexed} were written)"
        return manifest, None

    def _has_files(self) -> bool:
        try:
            return any(not name.startswith(LOCK_FILE) for name in os.listdir(self.folder))
        except OSError:
            return False

    def _load_manifest(self) -> Manifest | None:
        """The manifest, re-read only when its file changed (another process wrote it)."""
        try:
            info = os.stat(self.folder / MANIFEST_FILE)
        except OSError:
            self._manifest = self._manifest_stamp = None
            return None
        stamp = (info.st_size, info.st_mtime_ns)
        if self._manifest is None or stamp != self._manifest_stamp:
            self._manifest = load_manifest(self.folder)
            self._manifest_stamp = stamp
        return self._manifest

    def _remember(self, manifest: Manifest) -> None:
        info = os.stat(self.folder / MANIFEST_FILE)
        self._manifest = manifest
        self._manifest_stamp = (info.st_size, info.st_mtime_ns)

    def _open(self) -> FileIndex:
        if self._ix is None:
            from whoosh import index

            self._ix = index.open_dir(str(self.folder))
        return self._ix

    def _create(self) -> Manifest:
        """Empty the folder (keeping the lock) and start a new index and manifest."""
        from whoosh import index

        forget_manifest(self.folder)
        self._manifest = self._manifest_stamp = None
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
        return Manifest(schema=SCHEMA_VERSION, corpus=str(self.root))

    # -- annotations -----------------------------------------------------------------

    def _store_or_none(self) -> AnnotationStore | None:
        """The store, opened only when its folder holds something (saves its imports)."""
        if self._store is not None:
            return self._store
        if self._store_factory is None or self.annotations is None:
            return None
        try:
            entries = list(os.scandir(self.annotations))
        except OSError:
            return None
        # Annotation files are <id>.toml, in sub-folders for ids with a '/'; a README is not.
        if not any(
            not entry.name.startswith(".") and (entry.name.endswith(".toml") or entry.is_dir())
            for entry in entries
        ):
            return None
        self._store = self._store_factory()
        return self._store

    def _note_stats(self, sources: Iterable[str]) -> dict[str, Stat]:
        """The stat of each article's annotation file, so edits there re-index it."""
        store = self._store_or_none()
        if store is None:
            return {}
        wanted = set(sources)
        stats: dict[str, Stat] = {}
        for key in store.article_ids():
            if key not in wanted:
                continue
            try:
                info = os.stat(store.path_for(key))
            except (OSError, GlossError):
                continue
            stats[key] = (info.st_size, info.st_mtime_ns)
        return stats

    def _annotations(self, key: str) -> tuple[list[str], list[str], bool, str]:
        """Notes, tags, whether the article has any annotation, and its memo (a broken
        file: none)."""
        store = self._store_or_none()
        if store is None:
            return [], [], False, ""
        try:
            items = store.load(key)
            memo = store.memo(key)
        except GlossError:
            return [], [], False, ""
        notes = [item.note for item in items if item.note]
        tags = [tag for item in items for tag in item.tags]
        return notes, tags, bool(items), memo

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

        result = self._with_recovery(
            lambda searcher: run_search(
                searcher, query, parsed, limit, sort, cancelled, offset, self._memo(searcher)
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
        result = self._with_recovery(lambda searcher: run_similar(searcher, article_id, limit))
        if result is None:
            raise UnknownArticleError(f"unknown article id '{article_id}' in {self.root}")
        return result

    @contextmanager
    def _searcher(self) -> Iterator[Searcher]:
        """A searcher of the latest commit, for one thread at a time.

        Opening one costs ~15 ms at 10k articles, so idle ones are kept for the next
        call as long as no commit happened since. A rebuild by another process restarts
        Whoosh's generation count, so a changed manifest file also retires them.
        """
        stamp = _stamp(self.folder / MANIFEST_FILE)
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
