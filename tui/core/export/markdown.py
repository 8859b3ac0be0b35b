"""The Markdown report: annotations grouped by article, quotes as blockquotes.

Each article's memo comes under its heading; the codebook's descriptions of the tags
used (the code memos) close the report, then, when asked, the stats tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tui.core.annotations.model import Anchored, with_ancestors
from tui.core.annotations.selection import Selection
from tui.core.models import Article

if TYPE_CHECKING:
    from tui.core.analysis.stats import GroupRow, Stats


def to_markdown(selection: Selection, stats: Stats | None = None) -> str:
    """Grouped by article (title, date, source), quotes as blockquotes: paste into a report."""
    lines: list[str] = ["# Annotations", ""]
    if not selection.items and not selection.memos:
        lines += ["_No annotations._", ""]
    groups = selection.by_article()
    for article_id in selection.article_ids():
        article = selection.articles.get(article_id)
        lines += _article_heading(article_id, article)
        memo = selection.memos.get(article_id)
        if memo:
            lines += ["**Memo**", "", memo.strip(), ""]
        body = selection.body(article_id)
        for item in groups.get(article_id, []):
            lines += _item(item, body, selection.page(item))
    lines += _codebook(selection)
    if stats is not None:
        lines += _stats(stats)
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
    """Quote, state, tags and note, each its own paragraph (a blank line between)."""
    text = item.text(body) if body is not None else item.exact
    quote = _blockquote(text)
    if page is not None:  # a citation line inside the quote: "> — p. 3"
        quote += f"\n>\n> — p. {page}"
    lines = [quote, ""]
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


def _codebook(selection: Selection) -> list[str]:
    """The tags the report uses (and their parents), each with its description."""
    used = with_ancestors(t for item in selection.items for t in item.tags)
    if not used:
        return []
    lines = ["## Codebook", ""]
    for name in sorted(used):
        info = selection.codebook.get(name)
        description = _one_line(info.description) if info and info.description else ""
        lines.append(f"- `{name}`" + (f": {description}" if description else ""))
    return [*lines, ""]


def _stats(stats: Stats) -> list[str]:
    lines = [
        "## Statistics",
        "",
        f"{stats.annotations} annotations in {stats.articles} articles. Counts include each "
        "tag's subtree; a passage is a run of overlapping annotations.",
        "",
        "### Tag frequencies",
        "",
    ]
    lines += _table(
        ["Tag", "Annotations", "Articles"],
        [[f"`{row.tag}`", str(row.annotations), str(row.articles)] for row in stats.tags],
    )
    chosen = stats.cooccurrence.tags
    if len(chosen) >= 2:
        lines += ["### Co-occurrence", "", "Passages / articles with both tags.", ""]
        rows = []
        for first in chosen:
            cells = []
            for second in chosen:
                cell = stats.cooccurrence.cell(first, second)
                cells.append("—" if first == second else f"{cell.passages} / {cell.articles}")
            rows.append([f"`{first}`", *cells])
        lines += _table(["", *(f"`{tag}`" for tag in chosen)], rows)
    timeline = stats.timeline
    months = [m for m in timeline.months if any(timeline.count(t, m) for t in timeline.tags)]
    if months and timeline.tags:
        lines += ["### Timeline", "", "Annotations per month of the article's date.", ""]
        lines += _table(
            ["Month", *(f"`{tag}`" for tag in timeline.tags)],
            [[month, *(str(timeline.count(t, month)) for t in timeline.tags)] for month in months],
        )
    for title, groups in (("By source", stats.sources), ("By coder", stats.authors)):
        lines += [f"### {title}", ""]
        lines += _table(["", "Annotations", "Articles"], [_group(group) for group in groups])
    return lines


def _group(group: GroupRow) -> list[str]:
    return [_one_line(group.name) or "_unknown_", str(group.annotations), str(group.articles)]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table (``|`` in a cell escaped), then a blank line."""

    def row(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---", *("---:" for _ in header[1:])]
    return [row(header), "| " + " | ".join(align) + " |", *(row(r) for r in rows), ""]


def _blockquote(text: str) -> str:
    quoted = _hard_breaks(text.strip("\n"))
    return "\n".join(f"> {line}".rstrip() for line in quoted.split("\n"))


def _one_line(text: str) -> str:
    return " ".join(text.split())
