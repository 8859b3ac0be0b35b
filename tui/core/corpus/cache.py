"""Parsed articles kept between runs, so opening a large corpus does not re-parse it.

Reading 10k articles (decoding, metadata, boilerplate) takes seconds; loading them
back from one file takes a tenth of that. The cache is only ever a hint for
``load_corpus(previous=...)``: an entry is used when its file's path, size and mtime are
unchanged, exactly as when the app re-reads a corpus it holds. Anything unexpected in
the file (another version, a parser change, truncation) makes it a miss, never an error.

It lives in ``cache_dir()/articles/<corpus name>-<hash of its path>.marshal``: the lengths
and CRC-32 of what follows, the header (format, parser digest, folder), then the rows.
``marshal`` holds plain tuples and strings only: fast, and it cannot run code as pickle
could. The CRC catches a damaged file that would still unmarshal (a changed byte in a
body); it costs 25 ms at 10k articles.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import os
import struct
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import GlossError
from tui.core.models import Article
from tui.core.paths import cache_dir, folder_key

FORMAT = 3
_PREFIX = struct.Struct("<II")
"""The header's length and the rows' CRC-32."""
PARSER_MODULES = (
    "corpus/load",
    "corpus/parse",
    "corpus/decoding",
    "corpus/frontmatter",
    "corpus/metadata",
    "corpus/boilerplate",
    "corpus/dates",
    "corpus/folder",
    "corpus/options",
    "corpus/formats/__init__",
    "corpus/formats/xml",
    "corpus/formats/plain",
    "corpus/formats/mail",
    "corpus/formats/html",
    "corpus/formats/pdf",
    "corpus/formats/docx",
    "corpus/formats/epub",
    "corpus/formats/odt",
    "text",
    "models",
)
"""The modules an Article's fields come from: a change to any of them empties the cache.
An extracted document's row also names its extractor's library versions: a row whose
versions are not the installed ones is re-read (and re-extracted)."""
RACY_NS = 2_000_000_000
"""A file changed this close to the cache's own write may have changed again within the
same mtime (coarse file-system clocks): it is read again rather than trusted."""

Row = tuple[object, ...]
_CORE = Path(__file__).parent.parent


@cache
def parser_version() -> str:
    """A digest of the parsing code, so a new Gloss never reuses an old parse."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for name in PARSER_MODULES:
        digest.update((_CORE / f"{name}.py").read_bytes())
    return digest.hexdigest()


def cache_path(root: Path) -> Path:
    return cache_dir() / "articles" / f"{folder_key(root)}.marshal"


def _row(article: Article) -> Row:
    return (
        article.id,
        str(article.path),
        article.body,
        article.title,
        article.source,
        article.date.toordinal() if article.date else None,
        article.author,
        article.url,
        article.tags,
        article.boilerplate,
        article.words,
        article.sha256,
        article.size,
        article.mtime_ns,
        article.front_matter,
        article.pages,
        article.extractor,
    )


def _article(row: Any) -> Article:
    """An article back from its row; a row of another shape raises ValueError or TypeError."""
    (
        id_,
        path,
        body,
        title,
        source,
        date,
        author,
        url,
        tags,
        boiler,
        words,
        sha,
        size,
        mtime,
        front,
        pages,
        extractor,
    ) = row
    if not isinstance(body, str) or not isinstance(mtime, int):
        raise TypeError("not an article row")
    return Article(
        id=id_,
        path=Path(path),
        body=body,
        title=title,
        source=source,
        date=dt.date.fromordinal(date) if date is not None else None,
        author=author,
        url=url,
        tags=tags,
        boilerplate=boiler,
        words=words,
        sha256=sha,
        size=size,
        mtime_ns=mtime,
        front_matter=front,
        pages=tuple(pages),
        extractor=extractor,
    )


def _current(article: Article) -> bool:
    """Text rows always; a document row only if its extractor is the installed one."""
    if article.extractor is None:
        return True
    from tui.core.corpus.formats import extractor_label, format_for

    return article.extractor == extractor_label(format_for(article.path))


def load_cached(root: Path, options: ReadOptions = DEFAULT_OPTIONS) -> dict[str, Article]:
    """The articles cached for ``root`` (by id); empty when there is no usable cache."""
    path = cache_path(root)
    try:
        with path.open("rb") as file:  # one open: the time and the bytes of one file
            written = os.fstat(file.fileno()).st_mtime_ns
            data = file.read()
        length, crc = _PREFIX.unpack_from(data)
        start = _PREFIX.size + length
        header = marshal.loads(data[_PREFIX.size : start])
        if header != (FORMAT, parser_version(), str(root.resolve()), options.digest()):
            return {}
        payload = memoryview(data)[start:]
        if zlib.crc32(payload) != crc:
            return {}
        articles = (_article(row) for row in marshal.loads(payload))
        return {a.id: a for a in articles if a.mtime_ns < written - RACY_NS and _current(a)}
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return {}


def save_cached(
    root: Path, articles: dict[str, Article], options: ReadOptions = DEFAULT_OPTIONS
) -> None:
    """Replace the cache for ``root``; a cache folder that cannot be written is skipped."""
    from tui.core.fileio import write_atomic

    path = cache_path(root)
    header = marshal.dumps((FORMAT, parser_version(), str(root.resolve()), options.digest()))
    rows = marshal.dumps([_row(article) for article in articles.values()])
    data = _PREFIX.pack(len(header), zlib.crc32(rows)) + header + rows
    try:
        write_atomic(path, data, make_parents=True, durable=False)
    except GlossError:
        return  # only the next start is slower
