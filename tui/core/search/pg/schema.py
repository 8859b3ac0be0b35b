"""The tables of one corpus in a PostgreSQL schema (``gloss`` unless the URL says
``?schema=NAME``), and their indexes.

``articles`` holds one row per article (see :mod:`.fields` for its columns), with one GIN
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

FORMAT = f"4/{SCHEMA_VERSION}"
"""This module's tables and the Whoosh schema's analysis: both decide what a row holds."""
DEFAULT_SCHEMA = "gloss"
EXTENSIONS = ("pg_trgm", "fuzzystrmatch")
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

TABLES = """
CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.articles (
    id text PRIMARY KEY,
    title text NOT NULL,
    title_key text COLLATE "C" NOT NULL,
    source text,
    author text,
    date date,
    words integer,
    body_words integer NOT NULL,
    digest bytea NOT NULL,
    notes_sha bytea NOT NULL,
    long boolean NOT NULL,
    tags_kw text[] NOT NULL,
    annotated_kw text[] NOT NULL,
    {fields},
    body_tsv tsvector NOT NULL,
    doc tsvector NOT NULL,
    split boolean NOT NULL,
    rank_tsv tsvector NOT NULL
);
ALTER TABLE {s}.articles ALTER COLUMN rank_tsv SET STORAGE MAIN;
CREATE TABLE IF NOT EXISTS {s}.body_chunks (
    id text NOT NULL REFERENCES {s}.articles (id) ON DELETE CASCADE,
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
