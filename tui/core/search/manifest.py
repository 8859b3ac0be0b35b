"""The index's record of what it holds: per article the catalogue digest it indexed and
the stat of its annotation file; kept in SQLite beside the Whoosh files.

Freshness is a join: the catalogue (:mod:`tui.core.corpus.catalogue`) is attached, and
one query finds the articles whose digest or annotation file differs from what was
indexed, and the ones indexed but gone. Writes are write-ahead: before an index commit
the articles it touches are marked *dirty* (indexed version unknown), after it they get
their new digest; a build killed at any point leaves dirty rows, which the next refresh
deletes from the index and writes again, never a duplicate or a lost article.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_FILE = "gloss-manifest.sqlite"
Stat = tuple[int, int]
"""A file's ``(size, mtime_ns)``: enough to tell it changed without reading it."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indexed (id TEXT PRIMARY KEY, digest TEXT, notes TEXT);
"""


@dataclass
class Plan:
    """What a refresh has to do: articles to write (``dirty``: delete first) and to delete."""

    write: list[str] = field(default_factory=list)
    dirty: set[str] = field(default_factory=set)
    """Articles the index may hold in some version: deleted before they are written."""
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.write or self.delete)


def _inode(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _notes(stat: Stat | None) -> str | None:
    return f"{stat[0]}:{stat[1]}" if stat else None


class Manifest:
    """``gloss-manifest.sqlite`` in one index folder."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / MANIFEST_FILE
        self._db: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._lock = threading.RLock()

    def exists(self) -> bool:
        return self.path.exists()

    def _connect(self) -> sqlite3.Connection:
        """The open file; opened again if another process replaced it (a rebuild)."""
        inode = _inode(self.path)
        if self._db is not None and inode != self._inode:
            self._db.close()
            self._db = None
        if self._db is None:
            db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            self._db, self._inode = db, _inode(self.path)
        return self._db

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def meta(self) -> dict[str, str]:
        """``schema``, ``corpus``, ``count`` (articles indexed); a damaged file raises."""
        with self._lock:
            return dict(self._connect().execute("SELECT key, value FROM meta"))

    def start(self, schema: int, corpus: str) -> None:
        """A new, empty index: forget everything, then say what it is for."""
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM indexed")
            db.execute("DELETE FROM meta")
            db.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("schema", str(schema)), ("corpus", corpus), ("count", "0")],
            )

    def count(self) -> int | None:
        """Articles the index holds, or None while some are dirty (then unknown)."""
        with self._lock:
            db = self._connect()
            if db.execute("SELECT 1 FROM indexed WHERE digest IS NULL LIMIT 1").fetchone():
                return None
            return int(db.execute("SELECT count(*) FROM indexed").fetchone()[0])

    def plan(self, catalogue: Path, notes: Mapping[str, Stat]) -> Plan:
        """Compare with the catalogue (attached) and the annotation files' stats, in SQL:
        only the articles to write or delete come back to Python, so a refresh with
        nothing to do costs a join, not 100,000 rows."""
        plan = Plan()
        with self._lock:
            db = self._connect()
            with db:  # committed: ATTACH and DETACH cannot run inside a transaction
                db.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS noted (id TEXT PRIMARY KEY, notes TEXT)"
                )
                db.execute("DELETE FROM noted")
                db.executemany(
                    "INSERT INTO noted VALUES (?, ?)", [(k, _notes(v)) for k, v in notes.items()]
                )
            db.execute("ATTACH DATABASE ? AS cat", (str(catalogue),))
            try:
                rows = db.execute(
                    "SELECT c.id, i.id IS NOT NULL FROM cat.articles c "
                    "LEFT JOIN indexed i ON i.id = c.id LEFT JOIN noted n ON n.id = c.id "
                    "WHERE c.problem IS NULL AND (i.id IS NULL OR i.digest IS NULL "
                    "OR i.digest IS NOT c.digest OR i.notes IS NOT n.notes) ORDER BY c.id"
                ).fetchall()
                plan.delete = [
                    row[0]
                    for row in db.execute(
                        "SELECT i.id FROM indexed i LEFT JOIN cat.articles c ON c.id = i.id "
                        "WHERE c.id IS NULL OR c.problem IS NOT NULL"
                    )
                ]
                total = db.execute(
                    "SELECT count(*) FROM cat.articles WHERE problem IS NULL"
                ).fetchone()[0]
            finally:
                db.execute("DETACH DATABASE cat")
        plan.write = [key for key, _ in rows]
        plan.dirty = {key for key, indexed in rows if indexed} | set(plan.delete)
        plan.unchanged = int(total) - len(plan.write)
        return plan

    def mark_dirty(self, keys: Iterable[str]) -> None:
        """Before a commit touches these articles: their indexed version is unknown."""
        with self._lock, self._connect() as db:
            db.executemany(
                "INSERT INTO indexed (id, digest, notes) VALUES (?, NULL, NULL) "
                "ON CONFLICT(id) DO UPDATE SET digest = NULL, notes = NULL",
                [(key,) for key in keys],
            )

    def record(
        self, written: Mapping[str, tuple[str, Stat | None]], deleted: Iterable[str]
    ) -> None:
        """After a commit: what each written article's index entry now is; deletions."""
        with self._lock, self._connect() as db:
            db.executemany(
                "INSERT OR REPLACE INTO indexed VALUES (?, ?, ?)",
                [(key, digest, _notes(note)) for key, (digest, note) in written.items()],
            )
            db.executemany("DELETE FROM indexed WHERE id = ?", [(key,) for key in deleted])
            total = db.execute("SELECT count(*) FROM indexed").fetchone()[0]
            db.execute("INSERT OR REPLACE INTO meta VALUES ('count', ?)", (str(total),))
