"""The index's record of what it holds: per article the catalogue digest it indexed and
the stat of its annotation file; kept in SQLite beside the Whoosh files.

Freshness is a join: the catalogue (:mod:`tui.core.corpus.catalogue`) is attached, and
one query finds the articles whose digest or annotation file differs from what was
indexed, and the ones indexed but gone. The join is over the articles the catalogue's
change log names since the last refresh (plus the annotated and the dirty ones), not all
100,000, when the log reaches back that far. Writes are write-ahead: before an index commit
the articles it touches are marked *dirty* (indexed version unknown), after it they get
their new digest; a build killed at any point leaves dirty rows, which the next refresh
deletes from the index and writes again, never a duplicate or a lost article.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_FILE = "gloss-manifest.sqlite"
Stat = tuple[int, int]
"""A file's ``(size, mtime_ns)``: enough to tell it changed without reading it."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS indexed (id TEXT PRIMARY KEY, digest TEXT, notes TEXT);
CREATE INDEX IF NOT EXISTS indexed_marked ON indexed (id) WHERE notes IS NOT NULL OR digest IS NULL;
"""


@dataclass
class Plan:
    """What a refresh has to do: articles to write (``dirty``: delete first) and to delete."""

    write: list[str] = field(default_factory=list)
    dirty: set[str] = field(default_factory=set)
    """Articles the index may hold in some version: deleted before they are written."""
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0
    position: str | None = None
    """The catalogue's change log as far as this plan read it (``instance:seq``): once the
    plan is carried out, the next one starts from there (:meth:`Manifest.reached`)."""

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
        """A new, empty index: forget everything (the log position too), then say what it
        is for."""
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
        noted = sorted((key, _notes(stat)) for key, stat in notes.items())
        with self._lock:
            db = self._connect()
            generation = self._generation(db, catalogue)
            synced = f"{generation}:{zlib.crc32(repr(noted).encode())}" if generation else None
            meta = dict(db.execute("SELECT key, value FROM meta"))
            if synced is not None and meta.get("synced") == synced:
                plan.unchanged = int(meta.get("count", "0"))
                return plan  # nothing changed on either side since the last empty plan
            with db:  # committed: ATTACH and DETACH cannot run inside a transaction
                db.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS noted (id TEXT PRIMARY KEY, notes TEXT)"
                )
                db.execute("DELETE FROM noted")
                db.executemany("INSERT INTO noted VALUES (?, ?)", noted)
            db.execute("ATTACH DATABASE ? AS cat", (str(catalogue),))
            try:
                plan.position, since = self._log_position(db, meta.get("reached"))
                if since is None:  # every article (a first build, another catalogue)
                    articles, among_indexed = "cat.articles c", ""
                else:
                    self._candidates(db, since)
                    # CROSS JOIN keeps the few candidates the outer loop: the planner,
                    # with no statistics on a temp table, would walk 100,000 articles.
                    articles = "candidates k CROSS JOIN cat.articles c ON c.id = k.id"
                    among_indexed = "JOIN candidates k ON k.id = i.id "
                rows = db.execute(
                    f"SELECT c.id, i.id IS NOT NULL FROM {articles} "
                    "LEFT JOIN indexed i ON i.id = c.id LEFT JOIN noted n ON n.id = c.id "
                    "WHERE c.problem IS NULL AND (i.id IS NULL OR i.digest IS NULL "
                    "OR i.digest IS NOT c.digest OR i.notes IS NOT n.notes) ORDER BY c.id"
                ).fetchall()
                plan.delete = [
                    row[0]
                    for row in db.execute(
                        f"SELECT i.id FROM indexed i {among_indexed}"
                        "LEFT JOIN cat.articles c ON c.id = i.id "
                        "WHERE c.id IS NULL OR c.problem IS NOT NULL"
                    )
                ]
                # All less the problems: both are read off indexes (problem IS NULL
                # alone would read every row).
                total = db.execute(
                    "SELECT (SELECT count(*) FROM cat.articles) - "
                    "(SELECT count(*) FROM cat.articles WHERE problem IS NOT NULL)"
                ).fetchone()[0]
            finally:
                db.execute("DETACH DATABASE cat")
        plan.write = [key for key, _ in rows]
        plan.dirty = {key for key, indexed in rows if indexed} | set(plan.delete)
        plan.unchanged = int(total) - len(plan.write)
        if plan.empty:
            with db:
                if synced is not None:
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('synced', ?)", (synced,))
            self.reached(plan.position)
        return plan

    def reached(self, position: str | None) -> None:
        """The index now holds the catalogue as of ``position`` (a carried-out plan's)."""
        if position is None:
            return
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('reached', ?)", (position,))

    @staticmethod
    def _log_position(db: sqlite3.Connection, reached: str | None) -> tuple[str | None, int | None]:
        """The attached catalogue's log position now, and the change the plan may start
        after (None: compare every article: no log, another catalogue, or the log no
        longer reaches back to ``reached``)."""
        try:
            row = db.execute("SELECT value FROM cat.meta WHERE key = 'instance'").fetchone()
            first, last = db.execute("SELECT min(seq), max(seq) FROM cat.changes").fetchone()
        except sqlite3.Error:
            return None, None  # a catalogue without a change log
        if row is None:
            return None, None
        position = f"{row[0]}:{last or 0}"
        if reached is None or ":" not in reached:
            return position, None
        instance, _, seen = reached.partition(":")
        if instance != row[0] or not seen.isdigit():
            return position, None
        since = int(seen)
        if first is not None and since < first - 1:
            return position, None  # changes after ``since`` were trimmed from the log
        return position, since

    @staticmethod
    def _candidates(db: sqlite3.Connection, since: int) -> None:
        """The articles a plan from change ``since`` compares: changed since, annotated,
        or left dirty by an interrupted write."""
        with db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS candidates (id TEXT PRIMARY KEY)")
            db.execute("DELETE FROM candidates")
            db.execute(
                "INSERT OR IGNORE INTO candidates SELECT id FROM cat.changes WHERE seq > ?",
                (since,),
            )
            db.execute("INSERT OR IGNORE INTO candidates SELECT id FROM noted")
            db.execute(
                "INSERT OR IGNORE INTO candidates SELECT id FROM indexed "
                "WHERE notes IS NOT NULL OR digest IS NULL"
            )

    def _generation(self, db: sqlite3.Connection, catalogue: Path) -> str | None:
        """The catalogue's change token (see its triggers), or None if it has none."""
        try:
            found = sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            return None
        try:
            row = found.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.Error:
            return None
        finally:
            found.close()
        return str(row[0]) if row else None

    def mark_dirty(self, keys: Iterable[str]) -> None:
        """Before a commit touches these articles: their indexed version is unknown."""
        with self._lock, self._connect() as db:
            db.execute("DELETE FROM meta WHERE key = 'synced'")
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
            db.execute("DELETE FROM meta WHERE key = 'synced'")
            db.executemany(
                "INSERT OR REPLACE INTO indexed VALUES (?, ?, ?)",
                [(key, digest, _notes(note)) for key, (digest, note) in written.items()],
            )
            db.executemany("DELETE FROM indexed WHERE id = ?", [(key,) for key in deleted])
            total = db.execute("SELECT count(*) FROM indexed").fetchone()[0]
            db.execute("INSERT OR REPLACE INTO meta VALUES ('count', ?)", (str(total),))
