"""Writing the index: a few changed articles in-process, a large build on every core.

A refresh that writes a handful of articles (an edit, a new annotation) goes through
Whoosh's own writer, which merges the tiny segments such refreshes leave (never the
large ones: Whoosh's own policy would, at 100k articles, rewrite the whole index in
Python on a one-file update, for a quarter of an hour). A large one (a first build,
a new corpus folder) is cut into rounds; in each round every core builds one segment
from its share of the articles (reading each body from its file and checking it
against the catalogue's hash) with :class:`~tui.core.search.segment.BulkSegmentWriter`,
and the parent commits the round's segments at once, then records them in the manifest.
Ctrl-C (or a crash) loses at most the round under way: the next refresh carries on.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.corpus.options import ReadOptions
from tui.core.errors import GlossError
from tui.core.models import INFO_FIELDS, Article, ArticleInfo, SourceFile, Span
from tui.core.search.manifest import Manifest, Plan, Stat
from tui.core.search.notes import Annotations

SMALL = 200
"""Articles a refresh writes through Whoosh's own writer (merging tiny segments)."""
SEGMENT_DOCS = 5_000
"""Articles per segment of a large build: memory per core stays ~100-200 MB."""
COMPOUND = False
"""Segments stay separate files: a searcher opening a compound file copies every part it
reads into memory (Whoosh's BufferFile), 1.6 s and ~130 MB a searcher at 100k articles;
separate files are read through the OS page cache instead."""
TINY_SEGMENT = 1_000
"""Segments with fewer documents than this are the ones refreshes merge."""
TINY_MERGE_AT = 8
"""Tiny segments kept before they are merged into one (search opens one reader each)."""
Progress = Callable[[int, int], None]


class BuildInterrupted(GlossError):
    """Ctrl-C during a build: what was committed before stays (``gloss index`` resumes)."""

    def __init__(self, done: int, total: int) -> None:
        self.done = done
        self.total = total
        super().__init__(
            f"interrupted after indexing {done} of {total} articles; "
            "run `gloss index` again to continue"
        )


@dataclass(frozen=True, slots=True)
class Item:
    """One article to index, as a worker needs it (picklable, no body)."""

    info: tuple[Any, ...]
    boilerplate: tuple[Span, ...]
    digest: str
    notes: Stat | None
    annotations: Annotations

    @property
    def id(self) -> str:
        return str(self.info[0])


@dataclass
class Outcome:
    """What writing some articles did: digests to record, and articles not written."""

    written: dict[str, tuple[str, Stat | None]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def item_for(
    info: ArticleInfo,
    boilerplate: tuple[Span, ...],
    digest: str,
    notes: Stat | None,
    annotations: Annotations,
) -> Item:
    return Item(
        tuple(getattr(info, name) for name in INFO_FIELDS), boilerplate, digest, notes, annotations
    )


def document_of(item: Item, options: ReadOptions) -> dict[str, Any] | str:
    """The Whoosh document of one article, its body read now; or why it cannot be.

    A body whose hash is not the catalogue's changed after the catalogue read it: it
    is left for the next refresh, which reads it again.
    """
    from tui.core.corpus.parse import read_body
    from tui.core.search.schema import document
    from tui.core.text import body_sha256

    values = dict(zip(INFO_FIELDS, item.info, strict=True))
    src = SourceFile(values["id"], values["path"], values["size"], values["mtime_ns"])
    try:
        body, _ = read_body(src, options)
    except GlossError as exc:
        return str(exc)
    if body_sha256(body) != values["sha256"]:
        return f"{values['path']}: changed while it was being indexed"
    article = Article(**values, body=body, boilerplate=item.boilerplate)
    notes, tags, annotated, memo = item.annotations
    return document(article, notes, tags, annotated, memo)


def merge_tiny(writer: Any, segments: list[Any]) -> list[Any]:
    """Whoosh merge policy: once :data:`TINY_MERGE_AT` tiny segments are there, merge them
    into the segment being written; large segments are never rewritten."""
    from whoosh.reading import SegmentReader

    tiny = [segment for segment in segments if segment.doc_count_all() < TINY_SEGMENT]
    if len(tiny) < TINY_MERGE_AT:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment.doc_count_all() >= TINY_SEGMENT]


def write_small(
    ix: Any, plan: Plan, items: Mapping[str, Item], manifest: Manifest, options: ReadOptions
) -> Outcome:
    """Whoosh's writer for a few articles: delete what went or changed, add, commit."""
    outcome = Outcome()
    manifest.mark_dirty([*plan.delete, *(key for key in plan.write if key in plan.dirty)])
    writer = ix.writer(limitmb=128, timeout=60.0, compound=COMPOUND)
    try:
        for key in plan.delete:
            writer.delete_by_term("id", key)
        for key in plan.write:
            item = items[key]
            if key in plan.dirty:
                writer.delete_by_term("id", key)
            doc = document_of(item, options)
            if isinstance(doc, str):
                outcome.failed[key] = doc
                continue
            writer.add_document(**doc)
            outcome.written[key] = (item.digest, item.notes)
        writer.commit(mergetype=merge_tiny)
    except BaseException:
        writer.cancel()
        raise
    manifest.record(outcome.written, plan.delete)
    return outcome


def write_large(
    folder: Path,
    ix: Any,
    plan: Plan,
    items: Mapping[str, Item],
    manifest: Manifest,
    progress: Progress | None,
    options: ReadOptions,
) -> Outcome:
    """Rounds of one segment per core (see the module docstring)."""
    outcome = Outcome()
    workers = max(1, min(os.cpu_count() or 1, 4))
    keys = plan.write
    total = len(keys)
    per_round = SEGMENT_DOCS * workers
    done = 0
    deletes = list(plan.delete)

    def tick(count: int) -> None:  # progress within a round, from the workers
        if progress is not None:
            progress(min(total, done + count), total)

    with _pool(workers) as (pool, ticks):
        for start in range(0, max(total, 1), per_round):
            chunk = keys[start : start + per_round]
            if not chunk and not deletes:
                break
            dirty = [key for key in chunk if key in plan.dirty]
            manifest.mark_dirty([*deletes, *dirty])
            writer = ix.writer(timeout=60.0, compound=COMPOUND)
            try:
                for key in [*deletes, *dirty]:
                    writer.delete_by_term("id", key)
                size = max(1, -(-len(chunk) // workers))
                jobs = [
                    [items[key] for key in chunk[i : i + size]] for i in range(0, len(chunk), size)
                ]
                segments = []
                for segment, written, failed in _run(pool, ticks, str(folder), jobs, tick, options):
                    if segment is not None:
                        segments.append(segment)
                    outcome.written.update(written)
                    outcome.failed.update(failed)
                _commit(writer, segments)
            except KeyboardInterrupt:
                writer.cancel()
                raise BuildInterrupted(done, total) from None
            except BaseException:
                writer.cancel()
                raise
            manifest.record({k: outcome.written[k] for k in chunk if k in outcome.written}, deletes)
            deletes = []
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return outcome


def _commit(writer: Any, segments: list[Any]) -> None:
    """Commit the workers' segments with the writer's deletions, merging nothing."""
    from whoosh.writing import NO_MERGE

    final = writer._merge_segments(NO_MERGE, False, False)
    writer._close_segment()
    writer._commit_toc([*final, *segments])
    writer._finish()


_ticks: Any = None


def _init(ticks: Any) -> None:
    global _ticks
    _ticks = ticks


def build_segment(
    folder: str, items: list[Item], options: ReadOptions
) -> tuple[Any, dict[str, tuple[str, Stat | None]], dict[str, str]]:
    """One segment from ``items`` (in a worker process): the segment, what was written
    (digest, annotation-file stat), and what could not be."""
    from whoosh.filedb.filestore import FileStorage

    from tui.core.search.segment import BulkSegmentWriter

    ix = FileStorage(folder).open_index()
    writer = BulkSegmentWriter(ix, _lk=False, compound=COMPOUND)
    written: dict[str, tuple[str, Stat | None]] = {}
    failed: dict[str, str] = {}
    for count, item in enumerate(items, 1):
        doc = document_of(item, options)
        if isinstance(doc, str):
            failed[item.id] = doc
        else:
            writer.add_document(**doc)
            written[item.id] = (item.digest, item.notes)
        if _ticks is not None and count % 100 == 0:
            _ticks.put(100)
    if _ticks is not None and len(items) % 100:
        _ticks.put(len(items) % 100)
    if not written:
        writer.cancel()
        return None, written, failed
    # (Its temporary folder is shared by every writer: the parent's commit removes it.)
    return writer._finalize_segment(), written, failed


@contextmanager
def _pool(workers: int) -> Iterator[tuple[ProcessPoolExecutor | None, Any]]:
    """Worker processes (spawned: the app has threads), or none on one core."""
    if workers < 2:
        yield None, None
        return
    from multiprocessing import get_context

    context = get_context("spawn")
    ticks = context.Queue()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(ticks,))
    try:
        yield pool, ticks
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)


def _run(
    pool: ProcessPoolExecutor | None,
    ticks: Any,
    folder: str,
    jobs: list[list[Item]],
    tick: Callable[[int], None],
    options: ReadOptions,
) -> Iterator[tuple[Any, dict[str, tuple[str, Stat | None]], dict[str, str]]]:
    """Each job's segment, in the order they finish."""
    if pool is None:
        done = 0
        for job in jobs:
            result = build_segment(folder, job, options)
            done += len(job)
            tick(done)
            yield result
        return
    futures: set[Future[Any]] = {pool.submit(build_segment, folder, job, options) for job in jobs}
    seen = 0
    while futures:
        finished, futures = wait(futures, timeout=0.5, return_when=FIRST_COMPLETED)
        while True:
            try:
                seen += ticks.get_nowait()
            except queue.Empty:
                break
        tick(seen)
        for future in finished:
            yield future.result()
