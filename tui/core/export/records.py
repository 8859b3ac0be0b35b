"""Annotations as flat records: JSON (Gloss's model, as ``gloss annotations --json``) and CSV."""

from __future__ import annotations

import csv
import io
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
    return [item_json(item, selection) for item in selection.items]


def to_csv(selection: Selection) -> str:
    """One row per annotation, tags joined with '; ' (tags never hold ';' or ',')."""
    out = io.StringIO()
    writer = csv.writer(out)
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
            ]
        )
    return out.getvalue()
