"""One write to the annotation store: files re-read under the lock, changed, then committed.

A :class:`Transaction` is made by ``AnnotationStore`` while it holds the store lock. It
reads each file it touches afresh (another process may have written it), records every
change as a :class:`~tui.core.annotations.oplog.Change` for undo, and on ``commit``
writes the changed files and the codebook atomically before appending to the op log.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tui.core.annotations.articlefile import dumps_annotations
from tui.core.annotations.codebook import Codebook, tag_info
from tui.core.annotations.model import Annotation, from_record
from tui.core.annotations.oplog import Change, Operation, read_oplog, write_oplog
from tui.core.errors import GlossError
from tui.core.fileio import remove, write_atomic

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

    def annotations(self, article_id: str, rewrite: bool = False) -> dict[str, Annotation]:
        """The article's annotations as on disk now (a broken file raises, untouched)."""
        if article_id not in self.files:
            path = self.store.path_for(article_id)
            found = self.store.read_article_file(article_id, path)
            stored = found.annotations
            self.memos[article_id] = found.memo
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
            self.book = self.book_before = self.store.read_codebook()
        return self.book

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

    def commit(self, summary: str, log: bool = True) -> Operation | None:
        """Write changed files (and the codebook with any new tag), then log the operation."""
        store = self.store
        logging = log and bool(self.changes)
        # Everything that may be broken is read before anything is written: a broken
        # log or codebook must not leave a change made but reported as failed.
        oplog = read_oplog(store.oplog_path) if logging else None
        used = [t for article in self.dirty for a in self.files[article].values() for t in a.tags]
        if used:
            book = self.codebook()
            with_used = book.with_tags(used)  # unknown tags get an entry, not an undo step
            self.book = with_used
        for article_id in sorted(self.dirty):
            path = store.path_for(article_id)
            items = list(self.files[article_id].values())
            memo = self.memos.get(article_id, "")
            if items or memo:
                text = dumps_annotations(article_id, items, memo)
                write_atomic(path, text, make_parents=True)
            else:
                remove(path)
            store.forget(article_id, path)
        if self.book is not None and self.book != self.book_before:
            write_atomic(store.codebook_path, self.book.dumps())
        if oplog is None:
            return None
        op = Operation(summary, tuple(self.changes))
        oplog.record(op)
        write_oplog(store.oplog_path, oplog)
        return op


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
