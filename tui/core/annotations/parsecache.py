"""Parsed annotation files kept between runs, each keyed by the file's own bytes.

Reading a whole store (``store.scan``: ``gloss stats``, ``gloss annotations``, exports)
parses every TOML file, and 1,000 files of 10 annotations take most of a command's time.
This keeps each file's parse in the user cache folder and uses it only when the file's
bytes still hash to the digest the parse was made from. The file stays the one source of
truth: no clock, size or inode is trusted (a file edited by hand within the same second,
to the same size, is still a miss), and the parse of given bytes never changes while the
parsing code does not (its digest is in the header). Broken files are never kept: they
are parsed, and reported, every time. Anything unexpected in the cache (another Gloss,
damage, truncation) is a miss, never an error; deleting it is always safe.

It lives in ``cache_dir()/annotations/<store name>-<hash of its path>.marshal``: the
header's length and the rows' CRC-32, the header (format, parser digest, store folder),
then the rows, ``{article id: (digest, memo, annotations as tuples)}``. ``marshal`` holds
plain tuples and strings only: fast, and it cannot run code as pickle could.
"""

from __future__ import annotations

import hashlib
import marshal
import struct
import zlib
from collections.abc import Collection
from functools import cache
from pathlib import Path
from typing import Any

from tui.core.annotations.articlefile import ArticleFile
from tui.core.annotations.model import Annotation
from tui.core.errors import GlossError
from tui.core.paths import cache_dir, code_digest, folder_key

FORMAT = 1
_PREFIX = struct.Struct("<II")
"""The header's length and the rows' CRC-32."""
PARSER_MODULES = ("annotations/articlefile", "annotations/model", "annotations/tomlfile")
"""The modules a parse comes from: a change to any of them empties the cache."""
BULK = 32
"""Files to parse before the cache is worth reading, or rewriting: parsing a few files
costs less than reading (or writing) the parses of a whole store."""

Row = tuple[bytes, str, tuple[tuple[Any, ...], ...]]


@cache
def parser_version() -> str:
    """A digest of the parsing code, so a new Gloss never reuses an old parse."""
    return code_digest(PARSER_MODULES, str(FORMAT))


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class ParseCache:
    """One store's cached parses: :meth:`get` by content, :meth:`put` new ones, then
    :meth:`save` (which skips the write when only a few files were parsed afresh)."""

    def __init__(self, root: Path, rows: dict[str, Row] | None = None) -> None:
        self.root = root
        self.rows: dict[str, Row] = rows or {}
        self.loaded = len(self.rows)
        self.parsed = 0

    @classmethod
    def load(cls, root: Path) -> ParseCache:
        """The cache of the store at ``root``; empty when there is none or it is unusable."""
        try:
            data = cache_path(root).read_bytes()
            length, crc = _PREFIX.unpack_from(data)
            start = _PREFIX.size + length
            if marshal.loads(data[_PREFIX.size : start]) != _header(root):
                return cls(root)
            payload = memoryview(data)[start:]
            if zlib.crc32(payload) != crc:
                return cls(root)
            rows = marshal.loads(payload)
            if not isinstance(rows, dict):
                return cls(root)
            return cls(root, rows)
        except (OSError, EOFError, ValueError, TypeError, struct.error):
            return cls(root)

    def get(self, article_id: str, digest: bytes) -> ArticleFile | None:
        """The parse of the file whose bytes have ``digest``, if cached."""
        row = self.rows.get(article_id)
        if row is None or row[0] != digest:
            return None
        try:
            annotations = tuple(Annotation(r[0], article_id, *r[1:]) for r in row[2])
        except TypeError:  # a row of another shape
            return None
        return ArticleFile(annotations, row[1])

    def put(self, article_id: str, digest: bytes, found: ArticleFile) -> None:
        self.rows[article_id] = (digest, found.memo, tuple(_row(a) for a in found.annotations))
        self.parsed += 1

    def save(self, present: Collection[str]) -> None:
        """Rewrite the cache with the files in ``present`` (the others are gone), when
        enough were parsed afresh; a cache folder that cannot be written is skipped."""
        if not self.parsed or (self.loaded and self.parsed < BULK):
            return
        from tui.core.fileio import write_atomic

        rows = marshal.dumps({k: v for k, v in self.rows.items() if k in present})
        header = marshal.dumps(_header(self.root))
        data = _PREFIX.pack(len(header), zlib.crc32(rows)) + header + rows
        try:
            write_atomic(cache_path(self.root), data, make_parents=True, durable=False)
        except GlossError:
            return  # only the next read is slower


def cache_path(root: Path) -> Path:
    return cache_dir() / "annotations" / f"{folder_key(root)}.marshal"


def _header(root: Path) -> tuple[int, str, str]:
    return (FORMAT, parser_version(), str(root.resolve()))


def _row(a: Annotation) -> tuple[Any, ...]:
    """The annotation without its article (the row's key), in field order."""
    return (
        a.id,
        a.start,
        a.end,
        a.exact,
        a.prefix,
        a.suffix,
        a.body_sha256,
        a.tags,
        a.note,
        a.author,
        a.created,
        a.modified,
    )
