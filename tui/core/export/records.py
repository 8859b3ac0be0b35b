"""Annotations as flat records: JSON (Gloss's model, as ``gloss annotations --json``) and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from tui.core.annotations.model import Anchored
from tui.core.annotations.selection import Selection

TAG_SEPARATOR = "; "
CSV_COLUMNS = (
    "id",
    "article",
    "title",
    "date",
    "source",
    "state",
    "start",
    "end",
    "exact",
    "text",
    "tags",
    "note",
    "author",
    "created",
    "modified",
)


def item_json(item: Anchored, selection: Selection) -> dict[str, Any]:
    """The listing fields plus the article's title (``text``: what fuzzy spans now hold)."""
    data = item.to_json(selection.body(item.article))
    article = selection.articles.get(item.article)
    data["title"] = article.title if article else None
    return data


def to_json(selection: Selection) -> list[dict[str, Any]]:
    return [item_json(item, selection) for item in selection.items]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell starting with one of these as a formula (OWASP CSV injection)."""


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading ``'`` (then shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])


def to_csv(selection: Selection) -> str:
    """One row per annotation, tags joined with '; ' (tags never hold ';' or ',').

    Quotes, notes and titles are corpus and user text: a cell that would start a
    formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is prefixed with ``'``.
    """
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(CSV_COLUMNS)
    for item in selection.items:
        a = item.annotation
        article = selection.articles.get(item.article)
        body = selection.body(item.article)
        writer.writerow(
            [
                a.id,
                a.article,
                article.title if article else "",
                article.date.isoformat() if article and article.date else "",
                (article.source or "") if article else "",
                item.state,
                "" if item.start is None else item.start,
                "" if item.end is None else item.end,
                a.exact,
                item.text(body) if body is not None else "",
                TAG_SEPARATOR.join(a.tags),
                a.note,
                a.author,
                a.created,
                a.modified,
            ]
        )
    return out.getvalue()
