"""One write to the annotation store: files re-read under the lock, changed, then committed.

A :class:`Transaction` is made by ``AnnotationStore`` while it holds the store lock. It
reads each file it touches afresh (another process may have written it), records every
change as a :class:`~tui.core.annotations.oplog.Change` for undo, and on ``commit``
writes them write-ahead: the intent, the op log, then the changed files and the codebook
(each atomically), then removes the intent. A failure half-way puts back what was
replaced; a process killed half-way leaves the intent for the next writer to finish.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.annotations.articlefile import dumps_annotations, parse_article_file
from tui.core.annotations.codebook import Codebook, tag_info
from tui.core.annotations.model import Annotation, from_record
from tui.core.annotations.oplog import (
    Change,
    Operation,
    OpLog,
    Pending,
    parse_oplog,
    write_oplog,
    write_pending,
)
from tui.core.errors import GlossError, PathError, StoreFileError
from tui.core.fileio import AtomicBatch, read_text, remove, remove_stale_temps, write_atomic

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore


class StoreConflict(GlossError):
    """The store changed under an operation (e.g. undo of something edited since)."""


class Transaction:
    """Changes made under the lock, on files re-read inside it; written by ``commit``."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.files: dict[str, dict[str, Annotation]] = {}
        self.memos: dict[str, str] = {}
        self.dirty: set[str] = set()
        self.book: Codebook | None = None
        self.book_before: Codebook | None = None
        self.changes: list[Change] = []
        self.originals: dict[Path, str | None] = {}
        """Each file's text as read here (None: absent), to put back if a write fails."""
        self.started_ns = time.time_ns()
        """Made under the lock: a temp file older than this is a killed writer's."""

    def _read(self, path: Path) -> str | None:
        text = read_text(path)
        self.originals.setdefault(path, text)
        return text

    def annotations(self, article_id: str, rewrite: bool = False) -> dict[str, Annotation]:
        """The article's annotations as on disk now (a broken file raises, untouched)."""
        if article_id not in self.files:
            path = self.store.path_for(article_id)
            text = self._read(path)
            found = None if text is None else parse_article_file(text, path, article_id)
            stored = found.annotations if found is not None else ()
            self.memos[article_id] = found.memo if found is not None else ""
            fresh = self.store.refreshed(article_id, stored)
            self.files[article_id] = {a.id: a for a in fresh}
            if rewrite and list(stored) != fresh:
                self.dirty.add(article_id)
        return self.files[article_id]

    def current(self, target: Annotation) -> Annotation:
        found = self.annotations(target.article).get(target.id)
        if found is None:
            raise StoreConflict(
                f"annotation {target.id} was deleted from {self.store.path_for(target.article)} "
                "by another process"
            )
        return found

    def put(self, article_id: str, before: Annotation | None, after: Annotation | None) -> None:
        items = self.annotations(article_id)
        key = (after or before).id  # type: ignore[union-attr]
        if after is None:
            items.pop(key, None)
        else:
            items[key] = after
        self.dirty.add(article_id)
        self.changes.append(
            Change(
                "annotation",
                key,
                article_id,
                before.to_record() if before else None,
                after.to_record() if after else None,
            )
        )

    def memo(self, article_id: str) -> str:
        """The article's memo as on disk now ('' when none)."""
        self.annotations(article_id)
        return self.memos[article_id]

    def set_memo(self, article_id: str, memo: str) -> None:
        before = self.memo(article_id)
        self.memos[article_id] = memo
        self.dirty.add(article_id)
        self.changes.append(
            Change("memo", article_id, article_id, {"memo": before}, {"memo": memo})
        )

    def codebook(self) -> Codebook:
        if self.book is None:
            text = self._read(self.store.codebook_path)
            self.book = self.book_before = self.store.codebook_from(text)
        return self.book

    def oplog(self) -> OpLog:
        """The op log as on disk now (a broken one raises before anything is written)."""
        path = self.store.oplog_path
        return parse_oplog(self._read(path), path)

    def set_codebook(self, book: Codebook) -> None:
        before = self.codebook()
        for name in sorted(set(before.tags) | set(book.tags)):
            old, new = before.get(name), book.get(name)
            if old != new:
                self.changes.append(
                    Change(
                        "tag",
                        name,
                        None,
                        old.to_record() if old else None,
                        new.to_record() if new else None,
                    )
                )
        self.book = book

    def apply(self, change: Change, why: str) -> None:
        """Write ``change.after`` where the store still holds ``change.before`` (undo/redo)."""
        if change.kind == "tag":
            book = self.codebook()
            current = book.get(change.key)
            if (current.to_record() if current else None) != change.before:
                raise StoreConflict(
                    f"{why}: tag '{change.key}' was changed since in {self.store.codebook_path}"
                )
            after = tag_info(change.key, change.after)
            self.book = book.with_info(after) if after else book.without(change.key)
            return
        if change.kind == "memo":
            article = change.article or change.key
            if {"memo": self.memo(article)} != change.before:
                raise StoreConflict(
                    f"{why}: the memo of '{article}' was changed since "
                    f"(in {self.store.path_for(article)})"
                )
            self.memos[article] = str((change.after or {}).get("memo", ""))
            self.dirty.add(article)
            return
        article = change.article or ""
        items = self.annotations(article)
        present = items.get(change.key)
        if not _same(present, change.before):
            raise StoreConflict(
                f"{why}: annotation {change.key} was changed since "
                f"(in {self.store.path_for(article)})"
            )
        if change.after is None:
            items.pop(change.key, None)
        else:
            restored = from_record(change.after, article)
            moves = change.before is None or _anchor_fields(
                from_record(change.before, article)
            ) != _anchor_fields(restored)
            if present is not None and not moves:
                # Only tags or note change: keep the offsets as re-anchored since.
                restored = replace(restored, **_anchor_fields(present))
            items[change.key] = restored
        self.dirty.add(article)

    def settle(self, change: Change) -> None:
        """Recovery: make ``change`` unless it is made already.

        A record changed since by someone else (or a file broken since) is left as it
        is, as undo leaves it: the interrupted change never overwrites another's.
        """
        try:
            if self._holds(change, change.after) and not self._holds(change, change.before):
                return
            self.apply(change, "cannot finish an interrupted change")
        except (StoreConflict, StoreFileError):
            pass

    def _holds(self, change: Change, record: dict[str, Any] | None) -> bool:
        """Whether the store holds ``record`` (ignoring re-anchoring) for the change's key."""
        if change.kind == "tag":
            current = self.codebook().get(change.key)
            return (current.to_record() if current else None) == record
        if change.kind == "memo":
            return {"memo": self.memo(change.article or change.key)} == (record or {"memo": ""})
        return _same(self.annotations(change.article or "").get(change.key), record)

    def commit(self, summary: str, log: bool = True) -> Operation | None:
        """Write changed files (and the codebook with any new tag) and log the operation."""
        if not (log and self.changes):
            self.write()
            return None
        oplog = self.oplog()
        op = Operation(summary, tuple(self.changes))
        oplog.record(op)
        self.write(oplog, Pending("do", op.id, summary))
        return op

    def write(self, oplog: OpLog | None = None, intent: Pending | None = None) -> None:
        """Write-ahead: ``intent``, then ``oplog``, the files and the codebook; then done.

        Everything that may be broken was read before anything is written: a broken
        log or codebook must not leave a change made but reported as failed.
        """
        store = self.store
        used = [t for article in self.dirty for a in self.files[article].values() for t in a.tags]
        if used:
            self.book = self.codebook().with_tags(used)  # new tags get an entry, not an undo step
        targets = [store.path_for(a) for a in sorted(self.dirty)]
        if intent is not None:
            try:
                write_pending(store.pending_path, intent)
            except PathError as exc:
                # Name what the user asked to change, not Gloss's own bookkeeping file.
                raise PathError(targets[0] if targets else store.root, exc.reason) from None
        written: list[Path] = []
        try:
            if oplog is not None:
                write_oplog(store.oplog_path, oplog)  # durable before any file changes
                written.append(store.oplog_path)
            batch = AtomicBatch()
            for article_id, path in zip(sorted(self.dirty), targets, strict=True):
                items = list(self.files[article_id].values())
                memo = self.memos.get(article_id, "")
                if items or memo:
                    batch.write(path, dumps_annotations(article_id, items, memo), True)
                else:
                    batch.remove(path)
            if self.book is not None and self.book != self.book_before:
                batch.write(store.codebook_path, self.book.dumps())
            # Each replace is atomic (made, or not at all) and listed as it is made. The
            # folders are synced before the intent goes: after a power cut, a rename
            # that did not last is finished from the intent and the op log.
            batch.commit(done=written.append)
        except BaseException:
            self._forget(targets)
            if self._put_back(written) and intent is not None:
                with contextlib.suppress(GlossError):
                    remove(store.pending_path)
            raise
        self._forget(targets)
        if intent is not None:
            # Done. Should the intent stay (it cannot be removed), the next writer finds
            # every change made and has nothing to do.
            with contextlib.suppress(GlossError):
                remove(store.pending_path)
        for folder in dict.fromkeys(p.parent for p in written):
            remove_stale_temps(folder, self.started_ns)

    def _forget(self, targets: list[Path]) -> None:
        """Drop this process's cached reads of the files written (or tried)."""
        for article_id, path in zip(sorted(self.dirty), targets, strict=True):
            self.store.forget(article_id, path)

    def _put_back(self, written: list[Path]) -> bool:
        """Restore the files a failed write replaced; False if that failed too."""
        try:
            for path in reversed(written):
                original = self.originals.get(path)
                if original is None:
                    remove(path)
                else:
                    write_atomic(path, original)
                if path.suffix == ".toml" and path != self.store.codebook_path:
                    self.store.forget(self.store.article_for(path), path)
        except GlossError:
            return False
        return True


def _same(present: Annotation | None, record: dict[str, Any] | None) -> bool:
    """Whether the annotation is still what an operation left (ignoring re-anchoring)."""
    if present is None or record is None:
        return present is None and record is None
    expected = from_record(record, present.article)
    return (present.exact, present.tags, present.note, present.modified) == (
        expected.exact,
        expected.tags,
        expected.note,
        expected.modified,
    )


def _anchor_fields(a: Annotation) -> dict[str, Any]:
    return {
        "start": a.start,
        "end": a.end,
        "exact": a.exact,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "body_sha256": a.body_sha256,
    }
