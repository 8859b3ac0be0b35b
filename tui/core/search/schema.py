"""The search index's fields, and how an article (with its annotations) fills them.

Bump :data:`SCHEMA_VERSION` whenever the fields or the analyzer change: an index
built with another version is rebuilt from scratch on first use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from tui.core.annotations.model import with_ancestors
from tui.core.models import Article, Span
from tui.core.search.analysis import WordAnalyzer, WordPositions

SCHEMA_VERSION = 6
ANNOTATED = "yes"
NOT_ANNOTATED = "no"


def build_schema() -> Schema:
    """One document per article.

    ``body`` holds the article with its boilerplate lines blanked out and ``boiler``
    holds only those lines (blanked the other way), so both keep the body's offsets
    and boilerplate words weigh less. ``text`` is the body as `gloss show` prints it,
    stored so spans and snippets come from exactly what was indexed.
    """
    words = WordAnalyzer()
    schema = Schema(
        id=ID(unique=True, stored=True),
        title=TEXT(analyzer=words, stored=True, phrase=True),
        title_key=ID(sortable=True),
        source=TEXT(analyzer=words, stored=True),
        author=TEXT(analyzer=words, stored=True),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        date=DATETIME(stored=True),
        recency=COLUMN(NumericColumn("i", default=0)),
        words=STORED(),
        body=TEXT(analyzer=words, phrase=True),
        boiler=TEXT(analyzer=words, phrase=True),
        note=TEXT(analyzer=words, phrase=True),
        memo=TEXT(analyzer=words, phrase=True),
        annotated=KEYWORD(lowercase=True, commas=True),
        text=STORED(),
        boilerplate=STORED(),
        sha256=STORED(),
        mtime_ns=STORED(),
    )
    for name in ("title", "body", "boiler", "note", "memo"):
        schema[name].format = WordPositions(field_boost=schema[name].format.field_boost)
    return schema


def fingerprint(article: Article) -> str:
    """Changes when anything the index holds about the article changes (body or metadata)."""
    parts = (
        article.sha256,
        article.title,
        article.source or "",
        article.author or "",
        article.date.isoformat() if article.date else "",
        "\x1f".join(article.tags),
        repr(article.boilerplate),
    )
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def blank(text: str, spans: Sequence[Span], keep: bool) -> str:
    """``text`` with the spans (``keep=False``) or everything else (``keep=True``) as spaces.

    Newlines survive either way, so words on both sides of a cut never merge.
    """
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        gap = text[position:start]
        pieces.append(_spaces(gap) if keep else gap)
        inside = text[start:end]
        pieces.append(inside if keep else _spaces(inside))
        position = end
    rest = text[position:]
    pieces.append(_spaces(rest) if keep else rest)
    return "".join(pieces)


def _spaces(text: str) -> str:
    return "".join("\n" if char == "\n" else " " for char in text)


def document(
    article: Article,
    notes: Sequence[str] = (),
    annotation_tags: Iterable[str] = (),
    annotated: bool = False,
    memo: str = "",
) -> dict[str, Any]:
    """The fields Whoosh indexes for one article, its annotations and its memo."""
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "title_key": article.title.casefold(),
        "text": article.body,
        "boilerplate": list(article.boilerplate),
        "sha256": fingerprint(article),
        "mtime_ns": article.mtime_ns,
        "words": article.words,
        # Only sorted on, never searched (indexing numbers costs 10 % of a build).
        # Newest first must put undated articles last, not first.
        "recency": article.date.toordinal() if article.date else 0,
        "body": blank(article.body, article.boilerplate, keep=False)
        if article.boilerplate
        else article.body,
        "annotated": ",".join(
            [ANNOTATED if annotated else NOT_ANNOTATED, *with_ancestors(annotation_tags)]
        ),
    }
    if article.boilerplate:
        doc["boiler"] = blank(article.body, article.boilerplate, keep=True)
    if article.source:
        doc["source"] = article.source
    if article.author:
        doc["author"] = article.author
    if article.tags:
        doc["tags"] = ",".join(with_ancestors(tag.replace(",", " ") for tag in article.tags))
    if article.date:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
    if notes:
        doc["note"] = "\n".join(notes)
    if memo:
        doc["memo"] = memo
    return doc
