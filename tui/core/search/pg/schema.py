"""The tables of one corpus in a PostgreSQL schema (``gloss`` unless the URL says
``?schema=NAME``), and their indexes.

``articles`` holds one row per article (see :mod:`.fields` for its columns; with
``?partition=year`` in the URL a table of yearly date ranges, see :func:`tables`), with one GIN
index (``doc``: every term, word as written and pair of adjacent terms of every field), a
btree index for dates, and the catalogue digest and annotation-file hash that make
``gloss index`` O(changed). ``body_chunks`` holds the positions of long bodies.
``vocabulary`` holds every term and every word as written of each field (the field
letters of :data:`~.fields.CODES`: lowercase for terms, uppercase for words as written)
with its document frequency, trigram-indexed (pg_trgm) for fuzzy and wildcard terms and
"did you mean". ``meta`` says which Gloss made the tables: another format is rebuilt by
the next ``gloss index`` and refused by searches until then.
"""

from __future__ import annotations

import re

from tui.core.search.pg.fields import TEXT_FIELDS
from tui.core.search.schema import SCHEMA_VERSION

FORMAT = f"5/{SCHEMA_VERSION}"
"""This module's tables and the Whoosh schema's analysis: both decide what a row holds."""
DEFAULT_SCHEMA = "gloss"
EXTENSIONS = ("pg_trgm", "fuzzystrmatch")
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

PARTITIONS = ("year",)
"""How ``articles`` can be partitioned (``?partition=year``)."""

TABLES = """
CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.articles (
    id text {key},
    words integer,
    long boolean NOT NULL,
    split boolean NOT NULL,
    date date,
    title_key text COLLATE "C" NOT NULL,
    rank_tsv tsvector NOT NULL,
    doc tsvector NOT NULL,
    title text NOT NULL,
    source text,
    author text,
    body_words integer NOT NULL,
    digest bytea NOT NULL,
    notes_sha bytea NOT NULL,
    tags_kw text[] NOT NULL,
    annotated_kw text[] NOT NULL,
    {fields},
    body_tsv tsvector NOT NULL
){partitioned};
ALTER TABLE {s}.articles ALTER COLUMN rank_tsv SET STORAGE MAIN;
CREATE TABLE IF NOT EXISTS {s}.body_chunks (
    id text NOT NULL{chunk_key},
    part integer NOT NULL,
    body_tsv tsvector NOT NULL,
    body_pairs tsvector NOT NULL,
    PRIMARY KEY (id, part)
);
CREATE TABLE IF NOT EXISTS {s}.vocabulary (
    field text NOT NULL,
    word text COLLATE "C" NOT NULL,
    df integer NOT NULL,
    plain boolean GENERATED ALWAYS AS (word ~ '^[a-z0-9]+$') STORED,
    PRIMARY KEY (field, word)
);
""".replace("{fields}", ",\n    ".join(f"{name}_tsv tsvector NOT NULL" for name in TEXT_FIELDS))
"""The columns every match is read for come first (the sort keys, the ranking vector,
the looked-up vector): PostgreSQL walks a row's columns in order to reach one, and
walking past the positional vectors was a sixth of a phrase search's time at 100k."""
COMPRESSION = """
ALTER TABLE {s}.articles ALTER COLUMN body_tsv SET COMPRESSION lz4;
ALTER TABLE {s}.articles ALTER COLUMN doc SET COMPRESSION lz4;
"""
"""lz4 decompresses several times faster than pglz (servers built without it keep pglz)."""

SEARCH_INDEXES = (
    "CREATE INDEX IF NOT EXISTS articles_doc ON {s}.articles USING gin (doc)",
    "CREATE INDEX IF NOT EXISTS articles_date ON {s}.articles (date)",
    "CREATE INDEX IF NOT EXISTS body_chunks_tsv ON {s}.body_chunks USING gin (body_tsv)",
    "CREATE INDEX IF NOT EXISTS body_chunks_pairs ON {s}.body_chunks USING gin (body_pairs)",
    "CREATE INDEX IF NOT EXISTS vocabulary_trigrams ON {s}.vocabulary "
    "USING gin (word gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS vocabulary_other ON {s}.vocabulary (field, word) WHERE NOT plain",
)
"""Made after a first load (building an index once is faster than keeping it up to date
row by row), and checked by every ``gloss index``, so an interrupted first load ends
with them too."""
BULK_INDEXES = ("articles_doc",)
"""The index dropped before a first load of many rows."""
UNDATED = "articles_undated"
"""The partition of articles without a date (a range partition's default)."""


def tables(partition: str | None) -> str:
    """The script making the tables; ``partition="year"`` makes ``articles`` a table
    partitioned by yearly ranges of ``date`` (:func:`year_partition` adds each year as
    a load meets it; undated rows go to :data:`UNDATED`). A partitioned table cannot have
    a primary key on ``id`` alone (a unique key must hold the partition key, and dates
    may be missing), so ids are kept unique by the one writer (delete, then copy, under
    the writers' lock), looked up by a plain index, and chunks deleted with their row by
    that writer instead of by a foreign key."""
    if partition is None:
        return TABLES.format_map(_Keep(key="PRIMARY KEY", partitioned="", chunk_key=_FK))
    return TABLES.format_map(
        _Keep(key="NOT NULL", partitioned=" PARTITION BY RANGE (date)", chunk_key="")
    )


PARTITIONED = f"""
CREATE TABLE IF NOT EXISTS {{s}}.{UNDATED} PARTITION OF {{s}}.articles DEFAULT;
CREATE INDEX IF NOT EXISTS articles_id ON {{s}}.articles (id);
"""
"""Made after :data:`COMPRESSION` (a partition takes its columns' compression when it is
made; changing the partitioned table's later does not reach it)."""


_FK = " REFERENCES {s}.articles (id) ON DELETE CASCADE"


class _Keep(dict[str, str]):
    """``str.format_map`` leaving ``{s}`` (the schema, filled by :func:`statements`)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def year_partition(schema: str, year: int) -> str:
    """The statement adding ``year``'s partition of a partitioned ``articles``."""
    end = f"'{year + 1:04d}-01-01'" if year < 9999 else "MAXVALUE"
    return (
        f"CREATE TABLE IF NOT EXISTS {schema}.articles_y{year:04d} PARTITION OF "
        f"{schema}.articles FOR VALUES FROM ('{year:04d}-01-01') TO ({end})"
    )


def schema_name(name: str) -> str:
    """``name`` if it can be a schema name as written (lowercase, digits, ``_``)."""
    from tui.core.errors import GlossError

    if not _NAME.fullmatch(name):
        raise GlossError(
            f"search schema {name!r}: use lowercase letters, digits and _ (e.g. gloss_leak)"
        )
    return name


def statements(script: str, schema: str) -> list[str]:
    """The statements of ``script`` for ``schema`` (a name :func:`schema_name` accepted)."""
    return [part.strip() for part in script.replace("{s}", schema).split(";") if part.strip()]
