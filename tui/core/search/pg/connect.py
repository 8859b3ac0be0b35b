"""Connections to the search database: timeouts everywhere, errors in one line.

Nothing here may hang the app or a script: connecting gives up after
:data:`CONNECT_TIMEOUT` seconds (unless the URL sets ``connect_timeout``), every statement
after :data:`SEARCH_TIMEOUT` (searches) or :data:`WRITE_TIMEOUT` (``gloss index``), a lock
wait after :data:`LOCK_TIMEOUT`, and TCP keepalives notice a server that went away in
the middle of a query. Every failure is a :class:`SearchDatabaseError` naming the host
and database, never a traceback.

Writers (``gloss index``) take a PostgreSQL advisory lock of their schema, so two
analysts indexing at once take turns; the second then finds the work done.
"""

from __future__ import annotations

import os
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tui.core.errors import GlossError
from tui.core.search.pg.schema import DEFAULT_SCHEMA, PARTITIONS, schema_name

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = 5
SEARCH_TIMEOUT = 30.0
WRITE_TIMEOUT = 600.0
BUILD_TIMEOUT = 4 * 3600.0
"""Building the GIN indexes of a million articles takes many minutes: its own limit."""
LOCK_TIMEOUT = 10.0
LOCK_WAIT = 600.0
"""Seconds a ``gloss index`` waits for another one to finish before giving up."""
_LOCK_CLASS = 0x676C6F73  # "glos": the first key of Gloss's advisory locks
_KEEPALIVE = {
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "3",
    "tcp_user_timeout": "15000",
}


EXTENSION_HINT = (
    "Gloss needs the pg_trgm and fuzzystrmatch extensions, and this role may not create "
    "them: ask the database's owner to run CREATE EXTENSION pg_trgm; CREATE EXTENSION "
    "fuzzystrmatch;"
)


class SearchDatabaseError(GlossError):
    """The search database cannot be reached or used; the message names its host."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where the search database is: what to connect with, and how to name it."""

    conninfo: str
    schema: str
    where: str
    """``host:port/dbname`` for messages (never the password)."""
    url: str
    """The URL as given, without its password, for ``gloss info``."""
    partition: str | None = None
    """``?partition=year``: how ``gloss index`` makes the tables (only when it makes them)."""

    @classmethod
    def parse(cls, url: str) -> Target:
        """A ``postgresql://`` URL (or libpq ``key=value`` string); ``?schema=NAME`` picks
        the schema (several corpora can share a database), ``?partition=year`` how the
        tables are made (:func:`~.schema.tables`)."""
        require_psycopg()
        from psycopg.conninfo import conninfo_to_dict

        schema = DEFAULT_SCHEMA
        partition: str | None = None
        text = url.strip()
        shown = text
        if text.startswith(("postgresql://", "postgres://")):
            parts = urlsplit(text)
            query = []
            for key, value in parse_qsl(parts.query, keep_blank_values=True):
                if key == "schema":
                    schema = value
                elif key == "partition":
                    partition = value or None
                else:
                    query.append((key, value))
            text = urlunsplit(parts._replace(query=urlencode(query)))
            netloc = parts.netloc
            if "@" in netloc and ":" in netloc.split("@", 1)[0]:
                user = netloc.split("@", 1)[0].split(":", 1)[0]
                netloc = f"{user}:***@{netloc.split('@', 1)[1]}"
            shown = urlunsplit(parts._replace(netloc=netloc))
        try:
            params = conninfo_to_dict(text)
        except Exception as exc:  # psycopg.ProgrammingError: libpq could not parse it
            raise SearchDatabaseError(
                f"search database {shown!r}: not a PostgreSQL URL ({_first_line(exc)})"
            ) from None
        if "password" in params and not text.startswith(("postgresql://", "postgres://")):
            shown = shown.replace(str(params["password"]), "***")
        host = str(params.get("host") or os.environ.get("PGHOST") or "localhost")
        port = str(params.get("port") or os.environ.get("PGPORT") or "5432")
        dbname = str(params.get("dbname") or os.environ.get("PGDATABASE") or "")
        where = f"{host}:{port}" + (f"/{dbname}" if dbname else "")
        if partition is not None and partition not in PARTITIONS:
            raise SearchDatabaseError(
                f"search database {shown!r}: partition={partition!r} is not one of "
                f"{', '.join(PARTITIONS)}"
            )
        return cls(text, schema_name(schema), where, shown, partition)


def require_psycopg() -> None:
    """psycopg is an optional dependency: say how to install it when it is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise SearchDatabaseError(
            "searching in PostgreSQL needs psycopg: pip install 'gloss[postgres]' "
            "(or remove search = ... from gloss.toml to use the embedded index)"
        ) from None


def _first_line(exc: BaseException) -> str:
    """The useful part of a libpq message: its first line, without "connection failed:"."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for prefix in ("connection failed: ", "error: "):
        text = text.removeprefix(prefix)
    if "failed: " in text and text.startswith("connection to server"):
        text = text.split("failed: ", 1)[1]
    return text.strip()


def connect(
    target: Target, timeout: float, application: str = "gloss", settings: str = ""
) -> psycopg.Connection[Any]:
    """An autocommit connection whose every statement stops after ``timeout`` seconds;
    ``settings``: more ``-c name=value`` server settings for the session."""
    import psycopg

    params = dict(_KEEPALIVE)
    params.setdefault("connect_timeout", str(CONNECT_TIMEOUT))
    options = (
        f"-c statement_timeout={int(timeout * 1000)} -c lock_timeout={int(LOCK_TIMEOUT * 1000)} "
        f"-c idle_in_transaction_session_timeout={int(WRITE_TIMEOUT * 1000)} {settings}"
    ).strip()
    try:
        from psycopg.conninfo import conninfo_to_dict

        given = conninfo_to_dict(target.conninfo)
        for key, value in params.items():
            given.setdefault(key, value)
        # The URL's own options come last: ``-c statement_timeout=...`` there wins.
        given["options"] = f"{options} {given.get('options', '')}".strip()
        given.setdefault("application_name", application)
        conn = psycopg.connect(**given, autocommit=True, prepare_threshold=None)  # type: ignore[arg-type]
    except psycopg.Error as exc:
        raise SearchDatabaseError(
            f"cannot connect to the search database at {target.where}: {_first_line(exc)}"
        ) from None
    return conn


def failure(target: Target, exc: BaseException, doing: str) -> SearchDatabaseError:
    """A database error as one line: what Gloss was doing, where, and the server's words."""
    import psycopg

    reason = _first_line(exc)
    if isinstance(exc, psycopg.errors.QueryCanceled):
        reason = "it took too long and was stopped (statement timeout)"
    elif isinstance(exc, psycopg.errors.LockNotAvailable):
        reason = "the tables are locked by another session (lock timeout)"
    elif isinstance(exc, psycopg.errors.InsufficientPrivilege):
        reason = f"permission denied ({reason})"
    elif isinstance(exc, psycopg.OperationalError):
        reason = f"the connection failed ({reason})"
    return SearchDatabaseError(f"search database at {target.where}: {doing}: {reason}")


@contextmanager
def writers_lock(
    conn: psycopg.Connection[Any],
    target: Target,
    waiting: Callable[[], None] | None = None,
    wait: float = LOCK_WAIT,
) -> Iterator[None]:
    """Hold the schema's writer lock (one ``gloss index`` at a time), waiting up to
    ``wait`` seconds for another writer; ``waiting()`` is called once if it must wait."""
    key = zlib.crc32(target.schema.encode("utf-8")) - (1 << 31)
    deadline = time.monotonic() + wait
    told = False
    while True:
        row = conn.execute("SELECT pg_try_advisory_lock(%s::int4, %s::int4)", (_LOCK_CLASS, key))
        if row.fetchone() == (True,):
            break
        if time.monotonic() > deadline:
            raise SearchDatabaseError(
                f"search database at {target.where}: another gloss index has been writing "
                f"schema {target.schema!r} for {wait:.0f} s; try again later"
            )
        if not told and waiting is not None:
            waiting()
            told = True
        time.sleep(0.5)
    try:
        yield
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s::int4, %s::int4)", (_LOCK_CLASS, key))
