"""Extracted documents kept between runs: PDF, DOCX, EPUB, ODT and HTML are slow to parse.

One small file per document, so a reader that wants one body (a catalogue reading bodies
on demand) pays for one file, not the corpus:

- ``cache_dir()/extracted/<aa>/<key>.doc``, keyed by the file's content (sha256) and the
  extractor: the format, its libraries' versions, the digest of Gloss's own format code
  and the read options. A new library version, or a change to the code, is a new key, so
  the document is extracted again and its annotations re-anchor on the new text.
- ``cache_dir()/extracted/stat/<aa>/<key>``: the content key for a path, size and mtime,
  so an unchanged file is not even read to be hashed.

Each entry holds a CRC-32 of its payload; a damaged, truncated or foreign file is a miss,
never an error. Writes are atomic (:func:`~tui.core.fileio.write_atomic`) and an unwritable
cache folder only makes the next start slower. Deleting the folder is always safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import struct
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from tui.core.corpus.formats import Document, Format, extractor_label, read_document
from tui.core.corpus.options import ReadOptions
from tui.core.errors import GlossError
from tui.core.models import Metadata, SourceFile
from tui.core.paths import cache_dir

FORMAT = 1
_CRC = struct.Struct("<I")
_FORMATS_DIR = Path(__file__).parent / "formats"
_SHARED_MODULES = ("__init__.py", "xml.py")


def cache_root() -> Path:
    return cache_dir() / "extracted"


@cache
def code_digest(fmt: Format) -> str:
    """Gloss's own extraction code for ``fmt``: editing it re-extracts, as a new library does."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for name in (*_SHARED_MODULES, f"{fmt.name}.py"):
        digest.update((_FORMATS_DIR / name).read_bytes())
    return digest.hexdigest()


def extractor_key(fmt: Format, options: ReadOptions) -> str:
    """Everything but the file that decides what extraction gives."""
    parts = (fmt.name, extractor_label(fmt) or "", code_digest(fmt), options.digest())
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def cached_document(
    src: SourceFile, fmt: Format, options: ReadOptions, read: Callable[[], bytes]
) -> Document:
    """The document for ``src``: from the cache when its stat or content was seen, else
    extracted (``read`` gives the bytes) and stored. Extraction errors are not cached."""
    extractor = extractor_key(fmt, options)
    pointer = _pointer_path(extractor, src)
    content_key = _read_pointer(pointer)
    if content_key is not None:
        found = load_entry(content_key)
        if found is not None:
            return found
    data = read()
    content_key = _content_key(extractor, data)
    found = load_entry(content_key)
    if found is None:
        found = read_document(src.path, data, options)
        save_entry(content_key, found)
    _write(pointer, content_key.encode("ascii"))
    return found


def _content_key(extractor: str, data: bytes) -> str:
    return hashlib.sha256(extractor.encode("ascii") + hashlib.sha256(data).digest()).hexdigest()


def _pointer_path(extractor: str, src: SourceFile) -> Path:
    text = f"{extractor}\x1f{src.path.resolve()}\x1f{src.size}\x1f{src.mtime_ns}"
    key = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
    return cache_root() / "stat" / key[:2] / key


def _read_pointer(path: Path) -> str | None:
    try:
        key = path.read_bytes().decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    return key if len(key) == 64 and all(c in "0123456789abcdef" for c in key) else None


def entry_path(key: str) -> Path:
    return cache_root() / key[:2] / f"{key}.doc"


def load_entry(key: str) -> Document | None:
    """The cached document for a content key, or None (missing, damaged or foreign)."""
    try:
        data = entry_path(key).read_bytes()
        (crc,) = _CRC.unpack_from(data)
        payload = memoryview(data)[_CRC.size :]
        if zlib.crc32(payload) != crc:
            return None
        row = marshal.loads(payload)
        version, stored_key, body, pages, title, source, date, author, url, tags, front = row
        if version != FORMAT or stored_key != key or not isinstance(body, str):
            return None
        metadata = Metadata(
            title=title,
            source=source,
            date=dt.date.fromordinal(date) if date is not None else None,
            author=author,
            url=url,
            tags=tuple(tags),
        )
        return Document(body=body, pages=tuple(pages), metadata=metadata, front_matter=front)
    except (OSError, EOFError, ValueError, TypeError, struct.error):
        return None


def save_entry(key: str, document: Document) -> None:
    meta = document.metadata
    row = (
        FORMAT,
        key,
        document.body,
        document.pages,
        meta.title,
        meta.source,
        meta.date.toordinal() if meta.date else None,
        meta.author,
        meta.url,
        meta.tags,
        document.front_matter,
    )
    payload = marshal.dumps(row)
    _write(entry_path(key), _CRC.pack(zlib.crc32(payload)) + payload)


def _write(path: Path, data: bytes) -> None:
    from tui.core.fileio import write_atomic

    try:
        write_atomic(path, data, make_parents=True, durable=False)
    except GlossError:
        return  # a read-only cache: only the next start is slower
