"""The article model shared by the corpus, the index, the store and the UI."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, fields
from pathlib import Path

Span = tuple[int, int]
"""A half-open ``[start, end)`` range of character offsets into an article's body."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A corpus file as seen by ``stat``: enough to tell whether it changed."""

    id: str
    path: Path
    size: int
    mtime_ns: int
    sidecar: Path | None = None
    """``NAME.meta.toml`` beside the file, when there is one (its stat is folded into
    ``size`` and ``mtime_ns``, so editing it is a change of the article)."""


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str | None = None
    source: str | None = None
    date: dt.date | None = None
    author: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What Gloss knows about an article without reading it: one row of the catalogue.

    Lists, tables and search hits show these; only a reader, an export or a hit's
    snippet needs the body, read on demand as an :class:`Article`.
    """

    id: str
    path: Path
    title: str
    source: str | None
    date: dt.date | None
    author: str | None
    url: str | None
    tags: tuple[str, ...]
    words: int
    sha256: str
    size: int
    mtime_ns: int
    front_matter: bool = False
    pages: tuple[int, ...] = ()
    """Where each page starts in the body (PDF); empty for formats without pages."""
    extractor: str | None = None
    """The library versions that extracted the body ("pdfminer.six 20260107"); None for text."""

    def page_at(self, offset: int) -> int | None:
        """The 1-based page that holds body offset ``offset``; None without pages.

        The blank line between two pages belongs to the earlier one; an offset past the end
        is on the last page.
        """
        if not self.pages:
            return None
        return max(1, bisect_right(self.pages, offset))

    def to_summary(self) -> dict[str, object]:
        """The fields `gloss list --json` prints."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "author": self.author,
            "url": self.url,
            "tags": list(self.tags),
            "words": self.words,
            "path": str(self.path),
        }


@dataclass(frozen=True, slots=True)
class Article(ArticleInfo):
    """One article: its normalised body, its boilerplate lines, and what Gloss knows about it."""

    body: str = ""
    boilerplate: tuple[Span, ...] = ()

    def info(self) -> ArticleInfo:
        """The catalogue's view of this article (no body)."""
        return ArticleInfo(**{name: getattr(self, name) for name in INFO_FIELDS})

    def to_json(self) -> dict[str, object]:
        """The fields `gloss show --json` prints: the summary plus body and boilerplate."""
        data = self.to_summary()
        data["body"] = self.body
        data["boilerplate"] = [list(span) for span in self.boilerplate]
        data["sha256"] = self.sha256
        data["pages"] = list(self.pages)
        return data


INFO_FIELDS = tuple(f.name for f in fields(ArticleInfo))
