"""The Markdown report: annotations grouped by article, quotes as blockquotes."""

from __future__ import annotations

from tui.core.annotations.model import Anchored
from tui.core.annotations.selection import Selection
from tui.core.models import Article


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
            lines += _item(item, body, selection.page(item))
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


def _item(item: Anchored, body: str | None, page: int | None = None) -> list[str]:
    text = item.text(body) if body is not None else item.exact
    quote = _blockquote(text)
    if page is not None:  # a citation line inside the quote: "> — p. 3"
        quote += f">\n> — p. {page}\n"
    lines = [quote]
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
