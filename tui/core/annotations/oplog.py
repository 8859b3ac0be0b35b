"""The operation log (``<store>/.gloss-oplog.json``): what makes every change undoable.

Each operation records, per annotation and per codebook entry it touched, the record
before and after. Undo writes the "before" back, redo the "after", but only when the
current record is still the one the operation left: a change another process made since
is never overwritten. The log survives across runs; a new change clears the redo list.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.annotations.model import new_id, utc_now
from tui.core.errors import StoreFileError
from tui.core.fileio import read_text, write_atomic

OPLOG_FILE = ".gloss-oplog.json"
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


@dataclass(slots=True)
class OpLog:
    done: list[Operation] = field(default_factory=list)
    undone: list[Operation] = field(default_factory=list)

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
    text = read_text(path)
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


def _operation(data: dict[str, Any]) -> Operation:
    changes = tuple(
        Change(str(c["kind"]), str(c["key"]), c.get("article"), c.get("before"), c.get("after"))
        for c in data["changes"]
    )
    return Operation(str(data["summary"]), changes, str(data["id"]), str(data["time"]))
