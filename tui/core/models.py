"""The article model shared by the corpus, the index, the store and the UI."""

from __future__ import annotations

import datetime as dt
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
        return data


INFO_FIELDS = tuple(f.name for f in fields(ArticleInfo))
