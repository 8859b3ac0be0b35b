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
    """Quote, state, tags and note, each its own paragraph (a blank line between)."""
    text = item.text(body) if body is not None else item.exact
    lines = [_blockquote(text), ""]
    if item.state == "fuzzy":
        lines += [
            f"_The text changed since it was annotated; it read: “{_one_line(item.exact)}”._",
            "",
        ]
    elif item.state == "orphaned":
        lines += ["_Not found in the current article (orphaned): quoted as annotated._", ""]
    if item.tags:
        lines += ["Tags: " + ", ".join(f"`{t}`" for t in item.tags), ""]
    if item.note.strip():
        lines += [_hard_breaks(item.note.strip()), ""]
    return lines


def _hard_breaks(text: str) -> str:
    """Each line break kept as a Markdown hard break (``\\`` at the end of the line).

    Markdown joins the lines of a paragraph into one; a note or quote written on two
    lines must show on two. Blank lines stay paragraph breaks.
    """
    lines = text.split("\n")
    return "\n".join(
        line + "\\"
        if line.strip() and index + 1 < len(lines) and lines[index + 1].strip()
        else line
        for index, line in enumerate(lines)
    )


def _blockquote(text: str) -> str:
    quoted = _hard_breaks(text.strip("\n"))
    return "\n".join(f"> {line}".rstrip() for line in quoted.split("\n"))


def _one_line(text: str) -> str:
    return " ".join(text.split())
