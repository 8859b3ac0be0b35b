"""How a corpus is read: settings from its ``gloss.toml`` that change what a file becomes.

They are part of every cache key (parsed articles, extracted documents, the search index
folder), so changing one re-reads the corpus rather than serving text read another way.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass

DEFAULT_MAX_DOCUMENT_MB = 100.0
"""Extracting a document holds it, and everything the parser builds from it, in memory, and
a PDF of some hundreds of MB takes minutes: such a file is reported, not read."""


@dataclass(frozen=True, slots=True)
class ReadOptions:
    encoding: str | None = None
    """Decode text that is not UTF-8 with this codec instead of detecting one."""
    max_document_mb: float = DEFAULT_MAX_DOCUMENT_MB
    """Documents (PDF, DOCX, EPUB, ODT, HTML) larger than this are a problem, not read."""

    @property
    def max_document_bytes(self) -> int:
        return int(self.max_document_mb * 1024 * 1024)

    def digest(self) -> str:
        """Short and stable: the same options give the same digest in every process."""
        text = f"{self.encoding or ''}\x1f{self.max_document_mb!r}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_OPTIONS


DEFAULT_OPTIONS = ReadOptions()


def codec_name(name: str) -> str | None:
    """The canonical codec name for ``name`` (``"CP-1252"`` -> ``"cp1252"``), None if unknown."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None
