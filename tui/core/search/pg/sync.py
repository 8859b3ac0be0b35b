"""``gloss index`` for the PostgreSQL backend: this machine's catalogue and annotations
loaded into the shared tables, batched, resumable and O(changed).

What is stale is decided by content, never by file times (each analyst's copy of the
corpus has its own): an article is written when the catalogue's digest of it (body hash
and metadata) or the hash of its annotation file differs from what its row holds, and
deleted when the catalogue no longer has it. Rows are written :data:`BATCH` at a time,
one transaction each (COPY, then the vocabulary's document frequencies), so Ctrl-C or a
lost connection keeps every batch committed and the next run carries on. A first load of
many rows drops the GIN indexes and builds them once at the end (several times faster
than keeping them up to date row by row); every run ends by making any index that is
missing, so an interrupted first load ends with them too. Writers take the schema's
advisory lock (:func:`~.connect.writers_lock`) and plan only once they hold it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui.core.corpus.options import ReadOptions
from tui.core.search.build import BuildInterrupted, Item, document_of, item_for
from tui.core.search.hits import RefreshReport
from tui.core.search.notes import annotation_fields
from tui.core.search.pg.connect import (
    BUILD_TIMEOUT,
    EXTENSION_HINT,
    WRITE_TIMEOUT,
    SearchDatabaseError,
    Target,
    connect,
    failure,
    writers_lock,
)
from tui.core.search.pg.fields import (
    CHUNK_COLUMNS,
    COLUMNS,
    ArticleRow,
    TooLargeError,
    article_row,
)
from tui.core.search.pg.schema import (
    BULK_INDEXES,
    COMPRESSION,
    EXTENSIONS,
    FORMAT,
    PARTITIONED,
    SEARCH_INDEXES,
    statements,
    tables,
    year_partition,
)

if TYPE_CHECKING:
    import psycopg

    from tui.core.annotations.store import AnnotationStore
    from tui.core.corpus.load import Corpus

BATCH = 500
"""Articles per transaction."""
BULK = 2_000
"""A load writing at least this many rows, and more than the table holds, drops the GIN
indexes first and builds them at the end."""
PARALLEL = 1_000
"""Rows to make before the work is spread over every core."""
Progress = Callable[[int, int], None]
Outcome = ArticleRow | tuple[str, str]
"""A row to write, or ``(id, why it cannot be)``."""
VOCABULARY_OF = """
SELECT CASE substr(l, 2, 1) WHEN '|' THEN left(l, 1) WHEN '=' THEN upper(left(l, 1))
       ELSE 'w' END AS field,
       CASE WHEN substr(l, 2, 1) IN ('|', '=') THEN substr(l, 3) ELSE l END AS word
FROM {s}.articles a, unnest(tsvector_to_array(a.doc)) l
WHERE strpos(l, ' ') = 0 AND left(l, 2) NOT IN ('g|', 'y|') AND {where}
"""
"""The vocabulary entries of some rows, read back from ``doc`` (see :mod:`.fields`):
each distinct term (``t|putin``: title) and word as written (``t=putins``), no pairs and
no keyword tokens."""


@dataclass
class Plan:
    write: list[str]
    delete: list[str]
    existing: set[str]
    notes: dict[str, str]
    unchanged: int = 0
    years: set[int] | None = None
    """The years ``articles`` has partitions for; None: it is not partitioned."""


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0
    failed: dict[str, str] = field(default_factory=dict)


def publish(
    target: Target,
    corpus: Corpus,
    store: AnnotationStore | None,
    rebuild: bool = False,
    progress: Progress | None = None,
    waiting: Callable[[], None] | None = None,
) -> RefreshReport:
    """Bring the tables up to date with ``corpus`` and ``store`` (see the module docstring)."""
    conn = connect(target, WRITE_TIMEOUT, "gloss index")
    s = target.schema
    try:
        with writers_lock(conn, target, waiting):
            reason, partition = _ensure_tables(conn, target, rebuild)
            plan = _plan(conn, s, corpus, store)
            if partition is not None:
                plan.years = _years(conn, s)
            counts = _Counts()
            bulk = len(plan.write) >= BULK and len(plan.write) > len(plan.existing)
            if bulk:
                for name in BULK_INDEXES:
                    conn.execute(f"DROP INDEX IF EXISTS {s}.{name}")
            _delete(conn, s, plan.delete)
            _write(conn, s, corpus, store, plan, counts, progress)
            _finish(conn, target, bulk or len(plan.write) * 10 > max(len(plan.existing), 1))
    except SearchDatabaseError:
        raise
    except Exception as exc:
        import psycopg

        if isinstance(exc, psycopg.Error):
            raise failure(target, exc, "cannot write the search index") from None
        raise
    finally:
        conn.close()
    notices = corpus.catalogue.take_notices()
    if reason not in (None, "missing", "rebuilt on request"):
        notices.append(f"search database {reason}; rebuilt it")
    if partition != target.partition:
        made = f"partitioned by {partition}" if partition else "not partitioned"
        notices.append(
            f"search tables in {target.where} (schema {s}) are {made}: the URL's partition= "
            "applies when they are made (gloss index --rebuild to remake them)"
        )
    problems = {key: str(problem) for key, problem in corpus.problems.items()}
    problems.update(counts.failed)
    return RefreshReport(
        added=counts.added,
        updated=counts.updated,
        deleted=len(plan.delete),
        unchanged=plan.unchanged,
        rebuilt=reason is not None,
        notices=tuple(notices),
        problems=problems,
    )


# -- tables --------------------------------------------------------------------------------


def _ensure_tables(
    conn: psycopg.Connection[Any], target: Target, rebuild: bool
) -> tuple[str | None, str | None]:
    """Make the extensions and tables (again, when ``rebuild`` or of another format);
    returns why they were made (None if they were usable) and how ``articles`` is
    partitioned (None: it is not)."""
    import psycopg

    s = target.schema
    installed = {row[0] for row in conn.execute("SELECT extname FROM pg_extension")}
    for name in EXTENSIONS:
        if name not in installed:
            try:
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {name}")
            except psycopg.errors.InsufficientPrivilege:
                raise SearchDatabaseError(
                    f"search database at {target.where}: {EXTENSION_HINT}"
                ) from None
    found = conn.execute("SELECT to_regclass(%s)", (f"{s}.meta",)).fetchone()
    exists = found is not None and found[0] is not None
    meta: dict[str, str] = {}
    if exists:
        meta = dict(conn.execute(f"SELECT key, value FROM {s}.meta").fetchall())
    if rebuild:
        reason: str | None = "rebuilt on request"
    elif not exists:
        reason = "missing"
    elif meta.get("format") != FORMAT:
        reason = "was made by another version of Gloss"
    else:
        return None, meta.get("partition") or None
    with conn.transaction():
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {s}")
        for table in ("body_chunks", "articles", "vocabulary", "meta"):
            conn.execute(f"DROP TABLE IF EXISTS {s}.{table} CASCADE")
        for statement in statements(tables(target.partition), s):
            conn.execute(statement)
        try:
            with conn.transaction():
                for statement in statements(COMPRESSION, s):
                    conn.execute(statement)
        except psycopg.Error:
            pass  # a server built without lz4 keeps its default compression
        if target.partition is not None:
            for statement in statements(PARTITIONED, s):
                conn.execute(statement)
        conn.execute(f"INSERT INTO {s}.meta VALUES ('format', %s)", (FORMAT,))
        if target.partition is not None:
            _meta(conn, s, "partition", target.partition)
    return reason, target.partition


def _years(conn: psycopg.Connection[Any], s: str) -> set[int]:
    """The years a partitioned ``articles`` has partitions for (``articles_y2022``)."""
    rows = conn.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s)",
        (f"{s}.articles",),
    ).fetchall()
    return {int(name[len("articles_y") :]) for (name,) in rows if name.startswith("articles_y")}


def _finish(conn: psycopg.Connection[Any], target: Target, analyze: bool) -> None:
    """Make any missing index, update the planner's statistics after big changes, and
    record when this load ended."""
    s = target.schema
    conn.execute(f"SET statement_timeout = {int(BUILD_TIMEOUT * 1000)}")
    conn.execute("SET maintenance_work_mem = '256MB'")
    for statement in SEARCH_INDEXES:
        conn.execute(statement.replace("{s}", s))
    if analyze:
        conn.execute(f"VACUUM (ANALYZE) {s}.articles")
        conn.execute(f"ANALYZE {s}.vocabulary")
    conn.execute(f"SET statement_timeout = {int(WRITE_TIMEOUT * 1000)}")
    row = conn.execute(f"SELECT count(*), count(*) FILTER (WHERE split) FROM {s}.articles")
    count, split = row.fetchone() or (0, 0)
    with conn.transaction():
        _meta(conn, s, "indexed_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        _meta(conn, s, "articles", str(count))
        _meta(conn, s, "split", str(split))


def _meta(conn: psycopg.Connection[Any], s: str, key: str, value: str) -> None:
    conn.execute(
        f"INSERT INTO {s}.meta VALUES (%s, %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        (key, value),
    )


# -- what to write -------------------------------------------------------------------------


def note_hashes(store: AnnotationStore | None, ids: set[str]) -> dict[str, str]:
    """The sha256 of each article's annotation file (its notes, tags and memo), by id."""
    if store is None:
        return {}
    found: dict[str, str] = {}
    for key in store.article_ids():
        if key not in ids:
            continue
        try:
            data = store.path_for(key).read_bytes()
        except OSError:
            continue
        found[key] = hashlib.sha256(data).hexdigest()
    return found


def _plan(
    conn: psycopg.Connection[Any], s: str, corpus: Corpus, store: AnnotationStore | None
) -> Plan:
    catalogue = corpus.catalogue
    ids = catalogue.ids()
    digests = {key: digest for key, (_, digest) in catalogue.index_fields(ids).items()}
    notes = note_hashes(store, set(digests))
    held: dict[str, tuple[str, str]] = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            f"SELECT id, encode(digest, 'hex'), encode(notes_sha, 'hex') FROM {s}.articles"
        )
    }
    write = [key for key in ids if held.get(key) != (digests.get(key), notes.get(key, ""))]
    delete = sorted(held.keys() - digests.keys())
    return Plan(write, delete, set(held), notes, unchanged=len(ids) - len(write))


# -- writing -------------------------------------------------------------------------------


def _delete(conn: psycopg.Connection[Any], s: str, ids: Sequence[str]) -> None:
    for start in range(0, len(ids), BATCH):
        with conn.transaction():
            _forget(conn, s, list(ids[start : start + BATCH]))


def _forget(conn: psycopg.Connection[Any], s: str, ids: list[str]) -> None:
    """Delete rows (their chunks go with them) and take their words out of the vocabulary."""
    entries = VOCABULARY_OF.replace("{s}", s).replace("{where}", "a.id = ANY(%s)")
    counted = conn.execute(
        f"UPDATE {s}.vocabulary v SET df = v.df - o.n FROM (SELECT field, word, count(*) AS n "
        f"FROM ({entries}) e GROUP BY field, word) o WHERE v.field = o.field AND v.word = o.word "
        "RETURNING v.field, v.word, v.df",
        (ids,),
    ).fetchall()
    emptied = [(field, word) for field, word, df in counted if df <= 0]
    if emptied:
        conn.execute(
            f"DELETE FROM {s}.vocabulary WHERE (field, word) IN "
            "(SELECT * FROM unnest(%s::text[], %s::text[]))",
            ([field for field, _ in emptied], [word for _, word in emptied]),
        )
    conn.execute(f"DELETE FROM {s}.body_chunks WHERE id = ANY(%s)", (ids,))  # no FK if partitioned
    conn.execute(f"DELETE FROM {s}.articles WHERE id = ANY(%s)", (ids,))


def _write(
    conn: psycopg.Connection[Any],
    s: str,
    corpus: Corpus,
    store: AnnotationStore | None,
    plan: Plan,
    counts: _Counts,
    progress: Progress | None,
) -> None:
    total = len(plan.write)
    if not total:
        return
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS gloss_vocabulary_delta "
        '(field text, word text COLLATE "C", n integer) ON COMMIT DELETE ROWS'
    )
    batches = [plan.write[i : i + BATCH] for i in range(0, total, BATCH)]
    done = 0
    try:
        for batch, outcomes in _rows(corpus, store, plan, batches):
            rows = []
            for outcome in outcomes:
                if isinstance(outcome, ArticleRow):
                    rows.append(outcome)
                else:
                    counts.failed[outcome[0]] = outcome[1]
            with conn.transaction():
                old = [key for key in batch if key in plan.existing]
                if old:
                    _forget(conn, s, old)
                if plan.years is not None:
                    _partitions(conn, s, plan.years, rows)
                _copy(conn, s, rows)
                if any(row.split for row in rows):  # searches must look in chunks too
                    _meta(conn, s, "split", "1")
            for row in rows:
                if row.id in plan.existing:
                    counts.updated += 1
                else:
                    counts.added += 1
            done += len(batch)
            if progress is not None:
                progress(done, total)
    except KeyboardInterrupt:
        raise BuildInterrupted(done, total) from None


def _partitions(
    conn: psycopg.Connection[Any], s: str, years: set[int], rows: list[ArticleRow]
) -> None:
    """Add the partitions of the years ``rows`` need that ``articles`` lacks (only a new
    year locks the table, for a moment)."""
    for year in sorted({row.year for row in rows if row.year is not None} - years):
        conn.execute(year_partition(s, year))
        years.add(year)


def _copy(conn: psycopg.Connection[Any], s: str, rows: list[ArticleRow]) -> None:
    if not rows:
        return
    with conn.cursor() as cursor:
        with cursor.copy(f"COPY {s}.articles ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row.values)
        parts = [chunk for row in rows for chunk in row.chunks]
        if parts:
            columns = ", ".join(CHUNK_COLUMNS)
            with cursor.copy(f"COPY {s}.body_chunks ({columns}) FROM STDIN") as copy:
                for chunk in parts:
                    copy.write_row(chunk)
        words: Counter[tuple[str, str]] = Counter()
        for row in rows:
            words.update(row.words)
        with cursor.copy("COPY gloss_vocabulary_delta (field, word, n) FROM STDIN") as copy:
            for (field, word), n in words.items():
                copy.write_row((field, word, n))
        cursor.execute(
            f"INSERT INTO {s}.vocabulary (field, word, df) SELECT field, word, n "
            "FROM gloss_vocabulary_delta ORDER BY field, word ON CONFLICT (field, word) "
            f"DO UPDATE SET df = {s}.vocabulary.df + EXCLUDED.df"
        )


def _rows(
    corpus: Corpus, store: AnnotationStore | None, plan: Plan, batches: list[list[str]]
) -> Iterator[tuple[list[str], list[Outcome]]]:
    """Each batch with its rows (bodies read and turned into vectors), in order; on every
    core when there are many, a few batches ahead of the writer at most."""
    jobs = (_job(corpus, store, plan, batch) for batch in batches)
    options = corpus.catalogue.options
    workers = min(os.cpu_count() or 1, 4)
    if len(plan.write) < PARALLEL or workers < 2:
        for batch in batches:
            yield batch, make_rows(next(jobs), options)
        return
    from multiprocessing import get_context

    # spawn, not fork: the app has threads, and a forked child can inherit a held lock.
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        pending: list[tuple[list[str], Future[list[Outcome]]]] = []
        queued = zip(batches, jobs, strict=True)
        try:
            while True:
                while len(pending) < workers * 2:
                    ahead = next(queued, None)
                    if ahead is None:
                        break
                    pending.append((ahead[0], pool.submit(make_rows, ahead[1], options)))
                if not pending:
                    return
                batch, future = pending.pop(0)
                wait([future], return_when=FIRST_COMPLETED)
                yield batch, future.result()
        finally:
            for _, future in pending:
                future.cancel()


def _job(
    corpus: Corpus, store: AnnotationStore | None, plan: Plan, batch: list[str]
) -> list[tuple[Item, str]]:
    """What the workers need of each article of a batch (picklable, no body)."""
    catalogue = corpus.catalogue
    infos = catalogue.infos(batch)
    extras = catalogue.index_fields(batch)
    job = []
    for key in batch:
        info = infos.get(key)
        if info is None or key not in extras:
            continue
        boilerplate, digest = extras[key]
        notes = plan.notes.get(key, "")
        annotations = annotation_fields(store if notes else None, key)
        job.append((item_for(info, boilerplate, digest, None, annotations), notes))
    return job


def make_rows(job: list[tuple[Item, str]], options: ReadOptions) -> list[Outcome]:
    """Read each body (checked against the catalogue's hash) and make its row."""
    from tui.core.models import INFO_FIELDS

    found: list[Outcome] = []
    for item, notes in job:
        doc = document_of(item, options)
        if isinstance(doc, str):
            found.append((item.id, doc))
            continue
        info = dict(zip(INFO_FIELDS, item.info, strict=True))
        try:
            found.append(article_row(doc, info, item.digest, notes))
        except TooLargeError as exc:
            found.append((item.id, f"{info['path']}: not in the search index: {exc}"))
    return found
