"""The search index's fields, and how an article (with its annotations) fills them.

Bump :data:`SCHEMA_VERSION` whenever the fields or the analyzer change: an index
built with another version is rebuilt from scratch on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, TEXT, FieldType, Schema

from tui.core.annotations.model import with_ancestors
from tui.core.models import Article, Span
from tui.core.search.analysis import WordAnalyzer, WordForms, WordPositions

SCHEMA_VERSION = 8
WORD_FIELDS = ("title", "body", "boiler", "source", "author", "note", "memo")
"""Text fields, analysed by :class:`WordAnalyzer`; each has a ``<name>_forms`` twin."""
FORMS_SUFFIX = "_forms"
ANNOTATED = "yes"
NOT_ANNOTATED = "no"


def build_schema() -> Schema:
    """One document per article.

    ``body`` holds the article with its boilerplate lines blanked out and ``boiler``
    holds only those lines (blanked the other way), so both keep the body's offsets
    and boilerplate words weigh less. Only the id is stored: a hit's title, date and
    source come from the catalogue and its snippet from the body read on demand, so
    the index holds no copy of the corpus.

    A word that the analyzer cuts in several terms (a CJK run, ``China's``) is searched
    as a phrase of them, so every text field keeps positions. Each also has a
    ``<name>_forms`` field of its words as written (folded, unstemmed, no positions)
    for wildcards and fuzzy terms; queries cannot name those fields.
    """
    words = WordAnalyzer()
    text_fields = {name: TEXT(analyzer=words, phrase=True) for name in WORD_FIELDS}
    for field in text_fields.values():
        field.format = WordPositions(field_boost=field.format.field_boost)
        field.multitoken_query = "phrase"
    forms = {
        name + FORMS_SUFFIX: FieldType(WordForms(), words, scorable=True) for name in WORD_FIELDS
    }
    return Schema(
        id=ID(unique=True, stored=True),
        title_key=ID(sortable=True),
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        date=DATETIME(),
        recency=COLUMN(NumericColumn("i", default=0)),
        annotated=KEYWORD(lowercase=True, commas=True),
        **text_fields,
        **forms,
    )


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
    """Every character but newlines as a space (one line at a time: C loops, not Python)."""
    return "\n".join(" " * len(line) for line in text.split("\n"))


def document(
    article: Article,
    notes: Sequence[str] = (),
    annotation_tags: Iterable[str] = (),
    annotated: bool = False,
    memo: str = "",
) -> dict[str, Any]:
    """The fields Whoosh indexes for one article, its annotations and its memo (a text
    field's ``_forms`` twin gets the same string)."""
    doc: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "title_key": article.title.casefold(),
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
    for name in WORD_FIELDS:
        if name in doc:
            doc[name + FORMS_SUFFIX] = doc[name]
    return doc
