"""The catalogue: one SQLite file per corpus with every article's metadata, never its body.

Listing, sorting, filtering and searching a 100,000-article corpus must not read 100,000
files, nor hold their bodies. The catalogue keeps what those need (id, path, stat, title,
date, source, author, words, body hash, boilerplate lines) in ``cache_dir()/catalogue/``,
and :meth:`Catalogue.refresh` keeps it exact at the cost of a ``stat`` per file (or, for a
large corpus checked in full lately, per folder): a folder whose files all have the size and
time recorded is not looked at again (one digest per folder), and only files added or
changed are read. Bodies are read on demand (see
:mod:`tui.core.corpus.load`).

Why SQLite (the standard ``sqlite3``): sorted and filtered pages over 100k rows in C, an
index per sort key, transactions so a refresh killed half-way keeps what it committed,
and several processes (the app and a script) reading and writing one file safely. A
catalogue from another Gloss version, or a damaged one, is deleted and rebuilt with a
notice; deleting it is always safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import threading
import time
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Article, ArticleInfo, SourceFile, Span
from tui.core.ordering import SortKey
from tui.core.paths import cache_dir, folder_key

FORMAT = 4
"""Bump when the tables change: a catalogue of another format is rebuilt (format 3, which
lacked the folders' times, is brought forward in place: see :meth:`Catalogue._migrate`)."""
TRUST_FOLDERS_FROM = 20_000
"""Articles from which a refresh may look at folders rather than files (see refresh):
below it, a stat per file costs less than 0.1 s."""
FILES_EVERY_S = 600.0
"""A refresh that trusts folder times still stats every file when the last one that did
is older than this: a file rewritten in place is seen within ten minutes at most."""
RACY_NS = 2_000_000_000
"""A file changed this close to when it was read may change again within the same mtime:
it is read again on the next refresh rather than trusted. This is for file systems that
keep whole seconds (FAT keeps two); a time with a fraction of a second comes from a fine
clock, where :data:`FINE_RACY_NS` is enough."""
FINE_RACY_NS = 50_000_000
_RACY_SQL = (
    f"(mtime_ns % 1000000000 = 0 AND mtime_ns >= checked_ns - {RACY_NS}) "
    f"OR mtime_ns >= checked_ns - {FINE_RACY_NS}"
)
PARALLEL_READ = 400
"""Files to read before a refresh spreads the reading over every core."""
CHUNK = 200
"""Files a worker reads per task, and rows written per transaction."""
BUSY_MS = 30_000

_SCAN_BY_FD = os.scandir in os.supports_fd and hasattr(os, "O_DIRECTORY")
Progress = Callable[[int, int], None]

_COLUMNS = (
    "id",
    "dir",
    "relpath",
    "size",
    "mtime_ns",
    "checked_ns",
    "title",
    "title_key",
    "date",
    "source",
    "source_key",
    "author",
    "url",
    "tags",
    "words",
    "sha256",
    "boilerplate",
    "front_matter",
    "search_key",
    "digest",
    "pages",
    "extractor",
    "problem",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS folders (
    dir TEXT PRIMARY KEY, digest INTEGER, mtime_ns INTEGER, checked_ns INTEGER
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    dir TEXT NOT NULL,
    relpath TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    checked_ns INTEGER NOT NULL,
    title TEXT,
    title_key TEXT,
    date INTEGER,
    source TEXT,
    source_key TEXT,
    author TEXT,
    url TEXT,
    tags TEXT,
    words INTEGER,
    sha256 TEXT,
    boilerplate TEXT,
    front_matter INTEGER,
    search_key TEXT,
    digest TEXT,
    pages TEXT,
    extractor TEXT,
    problem TEXT
);
CREATE INDEX IF NOT EXISTS articles_dir ON articles (dir);
CREATE INDEX IF NOT EXISTS articles_date ON articles (date);
CREATE INDEX IF NOT EXISTS articles_title ON articles (title_key);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source_key);
CREATE INDEX IF NOT EXISTS articles_words ON articles (words);
CREATE INDEX IF NOT EXISTS articles_problem ON articles (problem) WHERE problem IS NOT NULL;
CREATE INDEX IF NOT EXISTS articles_extractor ON articles (extractor) WHERE extractor IS NOT NULL;
CREATE TRIGGER IF NOT EXISTS articles_inserted AFTER INSERT ON articles BEGIN
    UPDATE meta SET value = hex(randomblob(8)) WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS articles_updated AFTER UPDATE ON articles BEGIN
    UPDATE meta SET value = hex(randomblob(8)) WHERE key = 'generation'; END;
CREATE TRIGGER IF NOT EXISTS articles_deleted AFTER DELETE ON articles BEGIN
    UPDATE meta SET value = hex(randomblob(8)) WHERE key = 'generation'; END;
CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS articles_inserted_log AFTER INSERT ON articles BEGIN
    INSERT INTO changes (id) VALUES (NEW.id); END;
CREATE TRIGGER IF NOT EXISTS articles_updated_log AFTER UPDATE ON articles BEGIN
    INSERT INTO changes (id) VALUES (NEW.id); END;
CREATE TRIGGER IF NOT EXISTS articles_deleted_log AFTER DELETE ON articles BEGIN
    INSERT INTO changes (id) VALUES (OLD.id); END;
"""
"""The triggers keep ``generation`` (in meta) a new random token after any change to the
articles, however it was made: an index that saw this token knows nothing changed since,
without joining 100,000 rows (:meth:`tui.core.search.manifest.Manifest.plan`). They also
log each changed id in ``changes``, so an index that saw change ``seq`` compares only the
articles changed since, not all of them (the log keeps the last :data:`CHANGES_KEPT`; an
index further behind, or of another catalogue, ``instance`` in meta, joins them all)."""
CHANGES_KEPT = 200_000
_INSERT = (
    f"INSERT OR REPLACE INTO articles ({', '.join(_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _COLUMNS)})"
)
_INFO = (
    "id, relpath, title, source, date, author, url, tags, words, sha256, size, mtime_ns, "
    "front_matter, pages, extractor"
)

_UNTRUST_FOLDER = "UPDATE folders SET digest = NULL, mtime_ns = NULL WHERE dir = ?"
"""The next refresh looks at this folder's files again, whichever way it checks."""

Row = tuple[Any, ...]


@dataclass
class Refreshed:
    """What one refresh found: counts, the ids whose file is new or changed, and notices."""

    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)
    read_problems: int = 0
    notices: list[str] = field(default_factory=list)
    seconds: float = 0.0
    every_file: bool = True
    """Whether every file was stat-ed (else only the folders, and the files of those that
    changed: see :meth:`Catalogue.refresh`)."""

    @property
    def anything(self) -> bool:
        return bool(self.added or self.updated or self.deleted)


@dataclass(frozen=True, slots=True)
class _Folder:
    """One folder of the corpus from ``stat`` alone: its article files and their digest."""

    dir: str
    files: list[tuple[str, int, int, str | None]]  # (name, size, mtime_ns, sidecar name)
    digest: int
    mtime_ns: int
    """The folder's own time, taken before it was listed (it changes when a file is added,
    removed or renamed in it, not when one is rewritten in place)."""
    checked_ns: int


class Catalogue:
    """The catalogue of one corpus folder (see the module docstring)."""

    def __init__(
        self,
        root: Path,
        exclude: Iterable[Path] = (),
        path: Path | None = None,
        options: ReadOptions = DEFAULT_OPTIONS,
    ) -> None:
        """``options``: how files are read (gloss.toml); other options, another catalogue."""
        self.root = root.resolve()
        self.exclude = tuple(exclude)
        self.options = options
        key = folder_key(self.root) + ("" if options.is_default else f"-{options.digest()}")
        self.path = path or cache_dir() / "catalogue" / f"{key}.sqlite"
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._notices: list[str] = []
        self.memory = False
        """True when the cache folder could not be written: the catalogue is in memory."""

    # -- the file ----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """The open database, created (or re-created, with a notice) when unusable."""
        if self._db is not None:
            return self._db
        from filelock import FileLock

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Two processes opening a new or stale catalogue at once: one makes it.
            with FileLock(f"{self.path}.lock", timeout=BUSY_MS / 1000):
                db = self._create_if_unusable()
        except (OSError, sqlite3.OperationalError) as exc:
            # The cache folder cannot be written: keep the catalogue in memory for this
            # run (only the next start is slower), and say so once.
            reason = getattr(exc, "strerror", None) or str(exc)
            self._notices.append(
                f"{self.path.parent}: cannot keep the catalogue there ({reason}); "
                "kept in memory for now (set GLOSS_CACHE to a writable folder)"
            )
            self.memory = True
            db = sqlite3.connect(":memory:", check_same_thread=False)
            db.executescript(_SCHEMA)
            with db:
                db.executemany("INSERT INTO meta VALUES (?, ?)", self._meta())
        self._db = db
        return db

    @classmethod
    def in_memory(cls, root: Path) -> Catalogue:
        """An empty catalogue that lives in memory only (see ``Corpus.of``)."""
        catalogue = cls(root)
        catalogue.memory = True
        db = sqlite3.connect(":memory:", check_same_thread=False)
        db.executescript(_SCHEMA)
        with db:
            db.executemany("INSERT INTO meta VALUES (?, ?)", catalogue._meta())
        catalogue._db = db
        return catalogue

    def _meta(self) -> list[tuple[str, str]]:
        return [
            ("format", str(FORMAT)),
            ("parser", _parser_version()),
            ("root", str(self.root)),
            ("options", self.options.digest()),
            ("generation", os.urandom(8).hex()),
            ("instance", os.urandom(8).hex()),
        ]

    def _create_if_unusable(self) -> sqlite3.Connection:
        reason = None
        try:
            db: sqlite3.Connection | None = self._open()
            assert db is not None
            self._migrate(db)
            reason = self._unusable(db)
        except sqlite3.DatabaseError as exc:
            db, reason = None, f"was damaged ({exc})"
        if reason is not None:
            if db is not None:
                db.close()
            self._remove()
            if reason != "missing":
                self._notices.append(f"catalogue {reason}; rebuilt it")
            db = self._open()
            db.executescript(_SCHEMA)
            with db:
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", self._meta())
        assert db is not None
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Bring a format-3 catalogue forward: its folders get (empty) times, so the first
        refresh stats every file, as it did, and it starts a change log (an index of it
        joins every article once more); the articles, read at some cost, are kept."""
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables or "folders" not in tables:
            return
        row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != "3":
            return
        # One script, one transaction: a migration cut short leaves format 3 as it was.
        db.executescript(
            "BEGIN;"
            "ALTER TABLE folders ADD COLUMN mtime_ns INTEGER;"
            "ALTER TABLE folders ADD COLUMN checked_ns INTEGER;"
            f"INSERT OR IGNORE INTO meta VALUES ('instance', '{os.urandom(8).hex()}');"
            f"UPDATE meta SET value = '{FORMAT}' WHERE key = 'format';"
            f"{_SCHEMA};"  # the change log and its triggers
            "COMMIT;"
        )

    def _unusable(self, db: sqlite3.Connection) -> str | None:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return "missing"
        missing = sorted({"meta", "articles", "folders", "changes"} - tables)
        if missing:
            return f"was damaged (no {', '.join(missing)} table)"
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("format") != str(FORMAT):
            return "was made by another version of Gloss"
        if meta.get("parser") != _parser_version():
            return "was made by another version of Gloss's parser"
        if meta.get("root") != str(self.root) or meta.get("options") != self.options.digest():
            return "belonged to another folder"
        db.execute("SELECT count(*) FROM articles").fetchone()  # damage shows here
        return None

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            with suppress(FileNotFoundError):
                os.unlink(f"{self.path}{suffix}")

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def take_notices(self) -> list[str]:
        """Notices (a catalogue rebuilt, and why) not yet reported; each is given once."""
        with self._lock:
            notices, self._notices = self._notices, []
        return notices

    # -- freshness ---------------------------------------------------------------------

    def refresh(
        self, progress: Progress | None = None, every_file: bool | None = None
    ) -> Refreshed:
        """Bring the catalogue up to date with the folder; only changed files are read.

        Stats every file (one digest per folder says whether anything in it changed),
        then reads and parses the files added, changed, or read too soon after they
        were written, spreading the reading over every core when there are many. Rows
        are committed a chunk at a time, so an interrupted refresh keeps what it read.

        A stat per file is 0.5 s at 100,000 files, on every command. So for a large
        catalogue (:data:`TRUST_FOLDERS_FROM`) whose files were all stat-ed in the last
        :data:`FILES_EVERY_S`, ``every_file=None`` stats the folders instead, as mail
        indexers do (notmuch): a folder's time changes when a file is added, removed or
        renamed in it (how downloaders, editors and git write), and only such folders' files
        are looked at. A file rewritten in place (``curl -o`` over an old one) is seen by
        the next refresh that stats every file: ``every_file=True`` (``gloss index``, the
        app's watcher), or any after that interval. Bodies read on demand are checked
        against the file anyway, so a shown hit is never out of date.
        """
        started = time.perf_counter()
        with self._lock:
            db = self._connect()
            known = {row[0]: row[1:] for row in db.execute("SELECT * FROM folders")}
            stale_extractors = self._stale_extractors(db)
            if stale_extractors:  # a library upgraded: its documents are extracted again
                marks = ", ".join("?" for _ in stale_extractors)
                for row in db.execute(
                    f"SELECT DISTINCT dir FROM articles WHERE extractor IN ({marks})",
                    list(stale_extractors),
                ):
                    known[row[0]] = (None, None, None)
            if every_file is None:
                every_file = not self._folders_trusted(db)
        scan_started = time.time()
        if every_file:
            folders, present = self._scan(), set[str]()
        else:
            folders, present = self._scan_changed(known)
        with self._lock:
            db = self._connect()
            report = Refreshed(notices=self.take_notices(), every_file=every_file)
            stale = [f for f in folders if known.get(f.dir, (None,))[0] != f.digest]
            present.update(f.dir for f in folders)
            gone = sorted(known.keys() - present)
            to_read: list[tuple[str, str, SourceFile]] = []
            duplicates: list[Row] = []
            deleted: list[str] = []
            for folder in stale:
                rows = {
                    row[0]: row
                    for row in db.execute(
                        "SELECT id, relpath, size, mtime_ns, checked_ns, problem, extractor "
                        "FROM articles WHERE dir = ?",
                        (folder.dir,),
                    )
                }
                claims = self._claims(folder)
                for key, files in claims.items():
                    old = rows.pop(key, None)
                    if len(files) > 1:
                        duplicates.append(self._duplicate_row(key, folder.dir, files))
                        continue
                    relpath, size, mtime, sidecar = files[0]
                    if (
                        old is not None
                        and old[1:4] == (relpath, size, mtime)
                        and not racy(mtime, old[4])
                        and not (old[5] or "").startswith(_DUPLICATE)
                        and old[6] not in stale_extractors
                    ):
                        continue
                    side = self.root / sidecar if sidecar else None
                    src = SourceFile(key, self.root / relpath, size, mtime, side)
                    to_read.append((folder.dir, "updated" if old is not None else "added", src))
                deleted.extend(rows)
            with db:
                for key in deleted:
                    db.execute("DELETE FROM articles WHERE id = ?", (key,))
                for directory in gone:
                    deleted.extend(
                        row[0]
                        for row in db.execute("SELECT id FROM articles WHERE dir = ?", (directory,))
                    )
                    db.execute("DELETE FROM articles WHERE dir = ?", (directory,))
                    db.execute("DELETE FROM folders WHERE dir = ?", (directory,))
                db.executemany(_INSERT, duplicates)
            report.deleted = len(deleted)
            report.changed.extend(deleted)
            report.changed.extend(row[0] for row in duplicates)
        self._read_all(to_read, report, progress)
        with self._lock, self._connect() as db:
            racy_dirs = self._racy_dirs(db, [f.dir for f in stale])
            stale_dirs = {f.dir for f in stale}
            db.executemany(
                "INSERT OR REPLACE INTO folders VALUES (?, ?, ?, ?)",
                [
                    (f.dir, None if f.dir in racy_dirs else f.digest, f.mtime_ns, f.checked_ns)
                    for f in folders
                    if f.dir in stale_dirs or known.get(f.dir, ())[1:2] != (f.mtime_ns,)
                ],
            )
            if every_file:
                db.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('files_checked', ?)", (str(scan_started),)
                )
            if report.anything or to_read:
                db.execute(
                    "DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?",
                    (CHANGES_KEPT,),
                )
        report.unchanged = self.count() - report.added - report.updated + report.read_problems
        report.seconds = time.perf_counter() - started
        return report

    def _racy_dirs(self, db: sqlite3.Connection, dirs: list[str]) -> set[str]:
        """Which of ``dirs`` hold a file read too soon after it was written (so their
        digest is not kept, and the next refresh looks at them again)."""
        if not dirs:
            return set()
        if len(dirs) > 500:  # most of the corpus (a first build): one scan
            rows = db.execute(f"SELECT DISTINCT dir FROM articles WHERE {_RACY_SQL}")
            return {row[0] for row in rows}
        marks = ", ".join("?" for _ in dirs)
        rows = db.execute(
            f"SELECT DISTINCT dir FROM articles WHERE dir IN ({marks}) AND ({_RACY_SQL})", dirs
        )
        return {row[0] for row in rows}

    def _folders_trusted(self, db: sqlite3.Connection) -> bool:
        """Whether this refresh may stat folders rather than files (see :meth:`refresh`)."""
        row = db.execute("SELECT value FROM meta WHERE key = 'files_checked'").fetchone()
        if row is None or not 0 <= time.time() - float(row[0]) < FILES_EVERY_S:
            return False
        return self.count() >= TRUST_FOLDERS_FROM

    def _scan_changed(self, known: Mapping[str, tuple[Any, ...]]) -> tuple[list[_Folder], set[str]]:
        """The folders whose time is not the one recorded (or was too close to when they
        were listed), listed and stat-ed again with any new folders under them; and the
        known folders still there."""
        if not self.root.is_dir():
            raise CorpusError(f"{self.root}: corpus folder not found")
        present: set[str] = set()
        again: list[str] = []
        for directory, (_, mtime, checked) in known.items():
            path = os.path.join(self.root, directory) if directory else str(self.root)
            try:
                info = os.stat(path)
            except OSError:
                continue  # gone (a folder that cannot be looked at is reported by a full scan)
            if not stat.S_ISDIR(info.st_mode):
                continue
            present.add(directory)
            if (
                mtime is None
                or checked is None
                or info.st_mtime_ns != mtime
                or racy(mtime, checked)
            ):
                again.append(path)
        return self._scan(again, skip=present), present

    def _scan(self, tops: Sequence[str] = (), skip: Collection[str] = ()) -> list[_Folder]:
        """Every folder under the root (or under ``tops``, less the folders in ``skip``) with
        article files (or that had some), by stat.

        A sidecar ``NAME.meta.toml`` is folded into its article's stat (sizes added, the
        later time), so editing it is a change of the article; Office's ``~$`` lock files
        and hidden files are skipped.
        """
        if not tops and not self.root.is_dir():
            raise CorpusError(f"{self.root}: corpus folder not found")
        from tui.core.corpus.folder import ARTICLE_SUFFIXES, OFFICE_LOCK
        from tui.core.corpus.frontmatter import SIDECAR_SUFFIX

        excluded = {str(path.resolve()) for path in self.exclude}
        skipped, suffixes = (".", OFFICE_LOCK), ARTICLE_SUFFIXES
        prefix = len(str(self.root)) + 1
        folders: list[_Folder] = []
        stack = list(tops) if tops else [str(self.root)]
        # Subfolders a listing finds that are not walked: excluded, or looked at on their own.
        excluded.update(os.path.join(self.root, directory) for directory in skip)
        while stack:
            folder = stack.pop()
            files: list[tuple[str, int, int, str | None]] = []
            sidecars: dict[str, os.DirEntry[str]] = {}
            checked = time.time_ns()
            try:
                # Listed through a folder descriptor: each stat is then relative to it
                # (fstatat), not a walk of the whole path again; ~10% of the scan.
                fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY) if _SCAN_BY_FD else None
                # The folder's time before its listing: a change while it is listed
                # gives it a later time, which the next refresh sees.
                mtime_ns = (os.fstat(fd) if fd is not None else os.stat(folder)).st_mtime_ns
            except OSError as exc:
                raise CorpusError(f"{folder}: cannot read folder: {exc.strerror}") from None
            try:
                with os.scandir(folder if fd is None else fd) as entries:
                    found = []
                    for entry in entries:
                        name = entry.name
                        if name.startswith(skipped):
                            continue
                        if name.endswith(suffixes) or name.lower().endswith(suffixes):
                            if entry.is_file():
                                found.append(entry)
                            elif entry.is_dir():
                                subfolder = os.path.join(folder, name)
                                if subfolder not in excluded:
                                    stack.append(subfolder)
                        elif entry.is_dir():
                            subfolder = os.path.join(folder, name)
                            if subfolder not in excluded:
                                stack.append(subfolder)
                        elif name.endswith(SIDECAR_SUFFIX):
                            sidecars[name[: -len(SIDECAR_SUFFIX)]] = entry
                    for entry in found:
                        info = entry.stat()
                        size, mtime = info.st_size, info.st_mtime_ns
                        sidecar = (
                            sidecars.get(os.path.splitext(entry.name)[0]) if sidecars else None
                        )
                        if sidecar is not None:
                            extra = sidecar.stat()
                            size, mtime = size + extra.st_size, max(mtime, extra.st_mtime_ns)
                        files.append((entry.name, size, mtime, sidecar.name if sidecar else None))
            except OSError as exc:
                raise CorpusError(f"{folder}: cannot read folder: {exc.strerror}") from None
            finally:
                if fd is not None:
                    os.close(fd)
            files.sort()
            digest = zlib.crc32(repr(files).encode())  # repr: one C call for the folder
            directory = folder[prefix:].replace(os.sep, "/")
            folders.append(_Folder(directory, files, digest, mtime_ns, checked))
        return folders

    def _claims(self, folder: _Folder) -> dict[str, list[tuple[str, int, int, str | None]]]:
        """The folder's files by the id each maps to: ``(relpath, size, mtime_ns, sidecar
        relpath)``."""
        claims: dict[str, list[tuple[str, int, int, str | None]]] = {}
        base = f"{folder.dir}/" if folder.dir else ""
        for name, size, mtime, sidecar in folder.files:
            relpath = base + name
            claims.setdefault(os.path.splitext(relpath)[0], []).append(
                (relpath, size, mtime, base + sidecar if sidecar else None)
            )
        return claims

    def _stale_extractors(self, db: sqlite3.Connection) -> set[str]:
        """Extractor labels in the catalogue that are not the installed libraries' now."""
        from tui.core.corpus.formats import FORMATS, extractor_label

        labels = {
            row[0]
            for row in db.execute(
                "SELECT DISTINCT extractor FROM articles WHERE extractor IS NOT NULL"
            )
        }
        if not labels:
            return set()
        installed = {extractor_label(fmt) for fmt in FORMATS if fmt.document}
        return labels - installed

    def _duplicate_row(
        self, key: str, directory: str, files: list[tuple[str, int, int, str | None]]
    ) -> Row:
        names = " and ".join(sorted(relpath for relpath, _, _, _ in files))
        problem = f"{_DUPLICATE}{self.root}: two files map to article id '{key}': {names}"
        relpath, size, mtime, _ = files[0]
        return _problem_row(key, directory, relpath, size, mtime, problem)

    def _read_all(
        self,
        to_read: list[tuple[str, str, SourceFile]],
        report: Refreshed,
        progress: Progress | None,
    ) -> None:
        """Read and parse the files, a chunk at a time; every core when there are many."""
        if not to_read:
            return
        kinds = {src.id: kind for _, kind, src in to_read}
        chunks = [to_read[i : i + CHUNK] for i in range(0, len(to_read), CHUNK)]
        done = 0

        digest_at = _COLUMNS.index("digest")

        def store(rows: list[Row]) -> None:
            nonlocal done
            with self._lock, self._connect() as db:
                before = {
                    key: (digest, problem)
                    for key, digest, problem in db.execute(
                        "SELECT id, digest, problem FROM articles WHERE id IN "
                        f"({', '.join('?' for _ in rows)})",
                        [row[0] for row in rows],
                    )
                }
                db.executemany(_INSERT, rows)
            for row in rows:
                if before.get(row[0]) == (row[digest_at], row[-1]):
                    continue  # read again (it had just changed) and found the same
                report.changed.append(row[0])
                if row[-1] is not None:
                    report.read_problems += 1
                if kinds[row[0]] == "added":
                    report.added += 1
                else:
                    report.updated += 1
            done += len(rows)
            if progress is not None:
                progress(done, len(to_read))

        jobs = [([(d, src) for d, _, src in chunk], self.options) for chunk in chunks]
        workers = min(os.cpu_count() or 1, 4)
        if len(to_read) < PARALLEL_READ or workers < 2:
            for job in jobs:
                store(read_rows(*job))
            return
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        # spawn, not fork: the app has threads, and a forked child can inherit a held lock.
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            for rows in pool.map(read_rows, *zip(*jobs, strict=True)):
                store(rows)

    # -- reading -----------------------------------------------------------------------

    def __len__(self) -> int:
        return self.count()

    def count(self, needle: str = "") -> int:
        """Readable articles (whose title, source or id contains ``needle``)."""
        where, args = _filter(needle)
        with self._lock:
            db = self._connect()
            if not args:  # all rows less the problems: two index counts, not a table scan
                (total,) = db.execute("SELECT count(*) FROM articles").fetchone()
                (bad,) = db.execute(
                    "SELECT count(*) FROM articles WHERE problem IS NOT NULL"
                ).fetchone()
                return int(total) - int(bad)
            found = db.execute(f"SELECT count(*) FROM articles WHERE {where}", args)
            return int(found.fetchone()[0])

    def info(self, article_id: str) -> ArticleInfo | None:
        with self._lock:
            row = (
                self._connect()
                .execute(
                    f"SELECT {_INFO} FROM articles WHERE id = ? AND problem IS NULL", (article_id,)
                )
                .fetchone()
            )
        return self._info(row) if row is not None else None

    def infos(self, ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The rows of ``ids`` that are readable articles, by id (one query per 500)."""
        found: dict[str, ArticleInfo] = {}
        with self._lock:
            db = self._connect()
            for start in range(0, len(ids), 500):
                part = list(ids[start : start + 500])
                marks = ", ".join("?" for _ in part)
                for row in db.execute(
                    f"SELECT {_INFO} FROM articles WHERE id IN ({marks}) AND problem IS NULL", part
                ):
                    found[row[0]] = self._info(row)
        return found

    def boilerplate(self, article_id: str) -> tuple[Span, ...]:
        with self._lock:
            row = (
                self._connect()
                .execute("SELECT boilerplate FROM articles WHERE id = ?", (article_id,))
                .fetchone()
            )
        return _spans(row[0]) if row is not None and row[0] else ()

    def index_fields(self, ids: Sequence[str]) -> dict[str, tuple[tuple[Span, ...], str]]:
        """What the search index needs of each article beyond its info: boilerplate, digest."""
        found: dict[str, tuple[tuple[Span, ...], str]] = {}
        with self._lock:
            db = self._connect()
            for start in range(0, len(ids), 500):
                part = list(ids[start : start + 500])
                marks = ", ".join("?" for _ in part)
                for key, boiler, digest in db.execute(
                    f"SELECT id, boilerplate, digest FROM articles WHERE id IN ({marks})", part
                ):
                    found[key] = (_spans(boiler) if boiler else (), digest)
        return found

    def problem(self, article_id: str) -> str | None:
        with self._lock:
            row = (
                self._connect()
                .execute("SELECT problem FROM articles WHERE id = ?", (article_id,))
                .fetchone()
            )
        return _unmarked(row[0]) if row is not None and row[0] else None

    def problems(self) -> dict[str, str]:
        """Files that could not be read (and ids two files claim), by id."""
        with self._lock:
            # Sorted here: ORDER BY in SQL would walk the id index instead of the
            # (small) partial index of problems.
            rows = self._connect().execute(
                "SELECT id, problem FROM articles WHERE problem IS NOT NULL"
            )
            return {key: _unmarked(problem) for key, problem in sorted(rows)}

    def ids(self) -> list[str]:
        with self._lock:
            rows = self._connect().execute(
                "SELECT id FROM articles WHERE problem IS NULL ORDER BY id"
            )
            return [row[0] for row in rows]

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.info(article_id) is not None

    def page(
        self,
        sort: SortKey | None = None,
        reverse: bool = False,
        needle: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ArticleInfo]:
        """One page of articles in :func:`tui.core.ordering.sort_items` order (by id
        when ``sort`` is None), filtered by ``needle``, sorted by SQLite."""
        where, args = _filter(needle)
        sql = f"SELECT {_INFO} FROM articles WHERE {where} ORDER BY {_order(sort, reverse)}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args = [*args, -1 if limit is None else limit, offset]
        with self._lock:
            rows = self._connect().execute(sql, args).fetchall()
        return [self._info(row) for row in rows]

    def page_by_count(
        self,
        counts: Mapping[str, int],
        reverse: bool = False,
        needle: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ArticleInfo]:
        """A page ordered by ``counts`` (annotations per article, from the store), most
        first, ties and uncounted articles by id; ``reverse`` turns it all round."""
        where, args = _filter(needle)
        columns = ", ".join(f"a.{name.strip()}" for name in _INFO.split(","))
        most, ids = ("ASC", "DESC") if reverse else ("DESC", "ASC")
        sql = (
            f"SELECT {columns} FROM articles a LEFT JOIN temp.counted c ON c.id = a.id "
            f"WHERE {where} ORDER BY coalesce(c.n, 0) {most}, a.id {ids} LIMIT ? OFFSET ?"
        )
        with self._lock:
            db = self._connect()
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS counted (id TEXT PRIMARY KEY, n INT)")
                db.execute("DELETE FROM temp.counted")
                db.executemany("INSERT INTO temp.counted VALUES (?, ?)", counts.items())
            rows = db.execute(sql, [*args, -1 if limit is None else limit, offset]).fetchall()
        return [self._info(row) for row in rows]

    def iter(
        self,
        sort: SortKey | None = None,
        reverse: bool = False,
        needle: str = "",
        offset: int = 0,
        limit: int | None = None,
    ) -> Iterator[ArticleInfo]:
        """Like :meth:`page`, a row at a time: the first comes before the last is read.

        Reads through a connection of its own, so a long listing neither holds the
        catalogue's lock nor sees rows change under it (SQLite gives it one snapshot).
        """
        where, args = _filter(needle)
        sql = f"SELECT {_INFO} FROM articles WHERE {where} ORDER BY {_order(sort, reverse)}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            args = [*args, -1 if limit is None else limit, offset]
        self._connect()  # created or checked before a second connection reads it
        if self.memory:
            with self._lock:
                rows = self._connect().execute(sql, args).fetchall()
            yield from (self._info(row) for row in rows)
            return
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000)
        try:
            cursor = db.execute(sql, args)
            while rows := cursor.fetchmany(CHUNK):
                yield from (self._info(row) for row in rows)
        finally:
            db.close()

    def put(self, article: Article) -> None:
        """Record an article read on demand after its file changed (see ``Corpus.get``)."""
        try:
            relative = article.path.relative_to(self.root)
        except ValueError:
            relative = Path(article.path.name)
        directory = os.path.dirname(str(relative)).replace(os.sep, "/")
        with self._lock, self._connect() as db:
            db.execute(_INSERT, _article_row(article, self.root, directory, time.time_ns()))
            db.execute(_UNTRUST_FOLDER, (directory,))

    def forget(self, article_id: str) -> None:
        """Drop an article whose file is gone (noticed on demand)."""
        with self._lock, self._connect() as db:
            row = db.execute("SELECT dir FROM articles WHERE id = ?", (article_id,)).fetchone()
            db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if row is not None:
                db.execute(_UNTRUST_FOLDER, (row[0],))

    def _info(self, row: Row) -> ArticleInfo:
        (key, relpath, title, source, date, author, url, tags, words, sha, size, mtime, front) = (
            row[:13]
        )
        pages, extractor = row[13:]
        return ArticleInfo(
            id=key,
            path=self.root / relpath,
            title=title,
            source=source,
            date=dt.date.fromordinal(date) if date else None,
            author=author,
            url=url,
            tags=tuple(json.loads(tags)) if tags else (),
            words=words,
            sha256=sha,
            size=size,
            mtime_ns=mtime,
            front_matter=bool(front),
            pages=tuple(json.loads(pages)) if pages else (),
            extractor=extractor,
        )


_DUPLICATE = "\x00duplicate\x00"
"""Marks a problem that is not the file's but its id's: such a row is re-checked."""


def racy(mtime_ns: int, checked_ns: int) -> bool:
    """Whether a file read at ``checked_ns`` may have changed since within its mtime."""
    window = RACY_NS if mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS
    return mtime_ns >= checked_ns - window


def _unmarked(problem: str) -> str:
    return problem.removeprefix(_DUPLICATE)


def _filter(needle: str) -> tuple[str, list[Any]]:
    needle = needle.strip().casefold()
    if not needle:
        return "problem IS NULL", []
    return "problem IS NULL AND instr(search_key, ?) > 0", [needle]


def _order(sort: SortKey | None, reverse: bool) -> str:
    """SQL for :func:`sort_items`'s order: values first (text A-Z case-folded, dates and
    word counts highest first, ties by id), rows without one last by title; ``reverse``
    flips the rows with a value only."""
    if sort is None or sort == "id":
        return "id DESC" if reverse else "id"
    column = {"title": "title_key", "source": "source_key", "date": "date", "words": "words"}[sort]
    missing = f"({column} IS NULL OR {column} = '')"
    descending = sort in ("date", "words")
    direction = "ASC" if descending == reverse else "DESC"
    tie = "DESC" if reverse else "ASC"
    return (
        f"{missing}, CASE WHEN {missing} THEN title_key END, CASE WHEN {missing} THEN id END, "
        f"{column} {direction}, id {tie}"
    )


def _spans(text: str) -> tuple[Span, ...]:
    return tuple((int(s), int(e)) for s, e in json.loads(text))


def _problem_row(
    key: str, directory: str, relpath: str, size: int, mtime: int, problem: str
) -> Row:
    values: dict[str, Any] = dict.fromkeys(_COLUMNS)
    values.update(
        id=key,
        dir=directory,
        relpath=relpath,
        size=size,
        mtime_ns=mtime,
        checked_ns=time.time_ns(),
        problem=problem,
    )
    return tuple(values[name] for name in _COLUMNS)


def _article_row(article: Article, root: Path, directory: str, checked_ns: int) -> Row:
    try:
        relpath = article.path.relative_to(root).as_posix()
    except ValueError:  # an article given in memory (Corpus.of) from elsewhere
        relpath = article.path.as_posix()
    return (
        article.id,
        directory,
        relpath,
        article.size,
        article.mtime_ns,
        checked_ns,
        article.title,
        article.title.casefold(),
        article.date.toordinal() if article.date else None,
        article.source,
        article.source.casefold() if article.source else None,
        article.author,
        article.url,
        json.dumps(list(article.tags), ensure_ascii=False) if article.tags else None,
        article.words,
        article.sha256,
        json.dumps([list(span) for span in article.boilerplate]) if article.boilerplate else None,
        int(article.front_matter),
        f"{article.title}\0{article.source or ''}\0{article.id}".casefold(),
        content_digest(article),
        json.dumps(list(article.pages)) if article.pages else None,
        article.extractor,
        None,
    )


def content_digest(article: Article) -> str:
    """Changes when anything known about the article changes (body or metadata): the
    search index compares it with what it indexed."""
    parts = (
        article.sha256,
        article.title,
        article.source or "",
        article.author or "",
        article.url or "",
        article.date.isoformat() if article.date else "",
        "\x1f".join(article.tags),
        repr(article.boilerplate),
        str(article.words),
        repr(article.pages),
    )
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def read_rows(job: list[tuple[str, SourceFile]], options: ReadOptions) -> list[Row]:
    """Read and parse files into catalogue rows (in a worker process when there are many).

    The time is taken before reading, so a write during the read counts as too recent.
    """
    from tui.core.corpus.parse import read_article

    rows: list[Row] = []
    for directory, src in job:
        checked = time.time_ns()
        root = _root_of(src, directory)
        try:
            article = read_article(src, options)
        except CorpusError as exc:
            relpath = src.path.relative_to(root).as_posix()
            rows.append(_problem_row(src.id, directory, relpath, src.size, src.mtime_ns, str(exc)))
            continue
        rows.append(_article_row(article, root, directory, checked))
    return rows


def _root_of(src: SourceFile, directory: str) -> Path:
    """The corpus root, from a file's path and its folder under the root."""
    depth = len(directory.split("/")) if directory else 0
    root = src.path.parent
    for _ in range(depth):
        root = root.parent
    return root


def _parser_version() -> str:
    from tui.core.corpus.parse import parser_version

    return parser_version()
