"""The operation log (``<store>/.gloss-oplog.json``): what makes every change undoable.

Each operation records, per annotation and per codebook entry it touched, the record
before and after. Undo writes the "before" back, redo the "after", but only when the
current record is still the one the operation left: a change another process made since
is never overwritten. The log survives across runs; a new change clears the redo list.

Writes are write-ahead, so a process killed half-way (``kill -9``, a power cut) never leaves
the log and the files disagreeing: the intent (``<store>/.gloss-pending.json``: which
operation, done, undone or redone) is written first, then the log, then the files, and the
intent is removed last. The next writer (or the next start) finds it and finishes the
files from the logged operation: see ``AnnotationStore.recover``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tui.core.annotations.model import is_valid_id, new_id, utc_now
from tui.core.errors import StoreFileError
from tui.core.fileio import read_text, write_atomic

OPLOG_FILE = ".gloss-oplog.json"
PENDING_FILE = ".gloss-pending.json"
"""The write-ahead intent of the operation being written; absent when none is."""
SCHEMA = 1
MAX_ENTRIES = 500
"""Undo depth kept; older operations are dropped from the log, never from the store."""


@dataclass(frozen=True, slots=True)
class Change:
    """One annotation (``kind="annotation"``, key = annotation id) or tag entry (key = tag)."""

    kind: str
    key: str
    article: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def inverted(self) -> Change:
        return Change(self.kind, self.key, self.article, self.after, self.before)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "article": self.article,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class Operation:
    summary: str
    changes: tuple[Change, ...]
    id: str = field(default_factory=new_id)
    time: str = field(default_factory=utc_now)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time,
            "summary": self.summary,
            "changes": [c.to_json() for c in self.changes],
        }


Direction = Literal["do", "undo", "redo"]


@dataclass(slots=True)
class OpLog:
    done: list[Operation] = field(default_factory=list)
    undone: list[Operation] = field(default_factory=list)

    def last(self, direction: Direction) -> Operation | None:
        """The operation a write in ``direction`` leaves on top of its stack."""
        stack = self.undone if direction == "undo" else self.done
        return stack[-1] if stack else None

    def record(self, op: Operation) -> None:
        self.done.append(op)
        del self.done[:-MAX_ENTRIES]
        self.undone.clear()

    def dumps(self) -> str:
        data = {
            "schema": SCHEMA,
            "done": [o.to_json() for o in self.done],
            "undone": [o.to_json() for o in self.undone],
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def read_oplog(path: Path) -> OpLog:
    return parse_oplog(read_text(path), path)


def parse_oplog(text: str | None, path: Path) -> OpLog:
    """The log from its file's text (None: no file yet, an empty log)."""
    if text is None:
        return OpLog()
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ValueError("not a Gloss operation log")
        return OpLog([_operation(o) for o in data["done"]], [_operation(o) for o in data["undone"]])
    except json.JSONDecodeError as exc:
        raise StoreFileError(
            path,
            f"broken operation log ({exc.msg}); delete it to start a new undo history",
            exc.lineno,
        ) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreFileError(
            path, f"broken operation log ({exc}); delete it to start a new undo history"
        ) from None


def write_oplog(path: Path, log: OpLog) -> None:
    write_atomic(path, log.dumps())


@dataclass(frozen=True, slots=True)
class Pending:
    """The intent of a write in progress: operation ``op`` being done, undone or redone."""

    direction: Direction
    op: str
    summary: str

    def changes(self, log: OpLog) -> tuple[Change, ...] | None:
        """What the files must become, if the log was written (else nothing was)."""
        top = log.last(self.direction)
        if top is None or top.id != self.op:
            return None
        if self.direction == "undo":
            return tuple(c.inverted() for c in reversed(top.changes))
        return top.changes


def write_pending(path: Path, pending: Pending) -> None:
    data = {
        "schema": SCHEMA,
        "direction": pending.direction,
        "op": pending.op,
        "summary": pending.summary,
    }
    write_atomic(path, json.dumps(data, ensure_ascii=False) + "\n")


def read_pending(path: Path) -> Pending | None:
    text = read_text(path)
    if text is None:
        return None
    try:
        data = json.loads(text)
        direction = data["direction"]
        if data.get("schema") != SCHEMA or direction not in ("do", "undo", "redo"):
            raise ValueError("not a Gloss pending change")
        return Pending(direction, str(data["op"]), str(data.get("summary", "")))
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreFileError(
            path,
            f"broken record of an interrupted change ({exc}); delete it if the "
            "annotation files look right",
        ) from None


def _operation(data: dict[str, Any]) -> Operation:
    changes = tuple(
        Change(str(c["kind"]), str(c["key"]), c.get("article"), c.get("before"), c.get("after"))
        for c in data["changes"]
    )
    for change in changes:
        records = [r for r in (change.before, change.after) if r is not None]
        ids = [change.key, *(r.get("id") if isinstance(r, dict) else None for r in records)]
        if change.kind == "annotation" and not all(is_valid_id(i) for i in ids):
            raise ValueError(f"invalid annotation id {change.key!r}")
    return Operation(str(data["summary"]), changes, str(data["id"]), str(data["time"]))
