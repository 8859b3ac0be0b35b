"""Annotations as flat records: JSON (Gloss's model, as ``gloss annotations --json``) and CSV.

An exported record also carries its article's ``memo`` (article-level, like ``title``),
and an article with a memo but no exported annotation gets one record of its own: the
article's fields and the memo, the annotation's fields empty (``null`` in JSON).
"""

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
    "page",
    "exact",
    "text",
    "tags",
    "note",
    "author",
    "created",
    "modified",
    "memo",
)


def item_json(item: Anchored, selection: Selection) -> dict[str, Any]:
    """The listing fields plus the article's title (``text``: what fuzzy spans now hold)
    and the page the quote starts on (PDF sources; else null)."""
    data = item.to_json(selection.body(item.article))
    article = selection.articles.get(item.article)
    data["title"] = article.title if article else None
    data["page"] = selection.page(item)
    return data


def to_json(selection: Selection) -> list[dict[str, Any]]:
    """What `gloss annotations --json` lists: the annotations only."""
    return [item_json(item, selection) for item in selection.items]


def export_json(selection: Selection) -> list[dict[str, Any]]:
    """The JSON export: each annotation with its article's memo, then memo-only articles."""
    records = []
    for item in selection.items:
        data = item_json(item, selection)
        data["memo"] = selection.memos.get(item.article, "")
        records.append(data)
    keys = list(records[0]) if records else ["id", "article", "title", "memo"]
    for article_id in _memo_only(selection):
        article = selection.articles.get(article_id)
        record: dict[str, Any] = dict.fromkeys(keys)
        record.update(
            article=article_id,
            title=article.title if article else None,
            memo=selection.memos[article_id],
        )
        records.append(record)
    return records


def _memo_only(selection: Selection) -> list[str]:
    annotated = {item.article for item in selection.items}
    return [a for a in selection.article_ids() if a not in annotated and selection.memos.get(a)]


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
        page = selection.page(item)
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
                "" if page is None else page,
                a.exact,
                item.text(body) if body is not None else "",
                TAG_SEPARATOR.join(a.tags),
                a.note,
                a.author,
                a.created,
                a.modified,
                selection.memos.get(item.article, ""),
            ]
        )
    for article_id in _memo_only(selection):
        article = selection.articles.get(article_id)
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(article=article_id, memo=selection.memos[article_id])
        if article is not None:
            row.update(
                title=article.title,
                date=article.date.isoformat() if article.date else "",
                source=article.source or "",
            )
        writer.writerow(row.values())
    return out.getvalue()
