"""Exports for reports and tools: Markdown, CSV, JSON (Gloss's model) and W3C JSON-LD.

Every export works on a :class:`~tui.core.selection.Selection`, so ``--tag`` and
``--article`` mean the same as in ``gloss annotations``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

from tui.core.annotations import Anchored
from tui.core.models import Article
from tui.core.selection import Selection

Format = Literal["md", "csv", "json", "w3c"]
FORMATS: tuple[Format, ...] = ("md", "csv", "json", "w3c")
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


def export(selection: Selection, fmt: Format) -> str:
    if fmt == "md":
        return to_markdown(selection)
    if fmt == "csv":
        return to_csv(selection)
    if fmt == "json":
        return _json(to_json(selection))
    from tui.core.w3c import collection

    return _json(collection(selection))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def item_json(item: Anchored, selection: Selection) -> dict[str, Any]:
    """The listing fields plus the article's title (``text``: what fuzzy spans now hold)."""
    data = item.to_json(selection.body(item.article))
    article = selection.articles.get(item.article)
    data["title"] = article.title if article else None
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


def to_markdown(selection: Selection) -> str:
    """Grouped by article (title, date, source), quotes as blockquotes: paste into a report."""
    lines: list[str] = ["# Annotations", ""]
    if not selection.items:
        lines += ["_No annotations._", ""]
    for article_id, items in selection.by_article().items():
        article = selection.articles.get(article_id)
        lines += _article_heading(article_id, article)
        body = selection.body(article_id)
        for item in items:
            lines += _item(item, body)
    return "\n".join(lines).rstrip("\n") + "\n"


def _article_heading(article_id: str, article: Article | None) -> list[str]:
    if article is None:
        return [f"## {article_id}", "", "_Article no longer in the corpus._", ""]
    meta = [article.date.isoformat() if article.date else None, article.source, article.author]
    lines = [f"## {_one_line(article.title)}", ""]
    details = " · ".join(_one_line(m) for m in meta if m)
    lines.append(f"{details} · `{article_id}`" if details else f"`{article_id}`")
    if article.url:
        lines[-1] += f" · <{article.url}>"
    return [*lines, ""]


def _item(item: Anchored, body: str | None) -> list[str]:
    text = item.text(body) if body is not None else item.exact
    lines = [_blockquote(text)]
    if item.state == "fuzzy":
        lines.append(
            f"_The text changed since it was annotated; it read: “{_one_line(item.exact)}”._"
        )
    elif item.state == "orphaned":
        lines.append("_Not found in the current article (orphaned): quoted as annotated._")
    if item.tags:
        lines.append("Tags: " + ", ".join(f"`{t}`" for t in item.tags))
    if item.note:
        lines += ["", item.note.strip()]
    return [*lines, ""]


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip("\n").split("\n")) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
