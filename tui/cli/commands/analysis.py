"""`gloss kwic`, `gloss stats`, `gloss memo`, and `gloss annotate --search` (batch coding).

The analysis core (:mod:`tui.core.analysis`) from scripts; heavy imports stay inside
the handlers.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tui.cli.common import (
    bold,
    format_table,
    is_terminal,
    positive,
    print_json,
    subcommand,
    terminal_width,
    warn,
)
from tui.cli.common import workspace as _workspace

if TYPE_CHECKING:
    from tui.core.analysis.kwic import Kwic, KwicLine, Layout
    from tui.core.analysis.stats import GroupRow, Stats
    from tui.core.annotations.selection import Selection
    from tui.core.workspace import Workspace

KWIC_LIMIT = 100
BAR_CELLS = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "kwic",
        "every match of a query in context, one line each (keyword in context)",
        description="Every match of a query, one line each: the date and title of its "
        "article, then the text before the match, the match, and the text after it, "
        "aligned on the match. The query language is gloss search's.",
    )
    p.add_argument("query", metavar="QUERY", help="what to look for (see gloss search --help)")
    p.add_argument(
        "--sort",
        metavar="article|date|left|right",
        default="article",
        help="article (by title, then position; the default), date (newest first), "
        "left or right (by the words just before or after the match)",
    )
    p.add_argument(
        "--width",
        type=positive,
        metavar="N",
        help="line width in terminal cells (default: the terminal's)",
    )
    p.add_argument(
        "--limit",
        type=positive,
        default=KWIC_LIMIT,
        metavar="N",
        help=f"show at most N lines (default {KWIC_LIMIT})",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON: article, title, date, source, start, end, keyword "
        "(body[start:end]), left and right (up to 120 characters of the body each)",
    )
    p.set_defaults(handler=cmd_kwic)

    p = subcommand(
        sub,
        "stats",
        "tag frequencies, co-occurrence, timeline, sources and coders",
        description="Count the annotations: per tag (subtrees rolled up), co-occurrence "
        "of the chosen tags (passages and articles with both), annotations per month of "
        "the article's date, per source and per coder. Chosen tags: the --tag values "
        "(with one, the tags below it; with none, the top-level tags).",
    )
    p.add_argument("--query", metavar="Q", help="only articles matching this search query")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only annotations with this tag or one below it; also the tags compared (repeatable)",
    )
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print JSON for scripts")
    form.add_argument(
        "--csv", action="store_true", help="print CSV: table,name,other,annotations,articles"
    )
    p.set_defaults(handler=cmd_stats)

    p = subcommand(
        sub,
        "memo",
        "print or set an article's memo (a note on the whole article)",
        description="Print the memo of an article, or set it with --set (gloss undo "
        "takes it back). The memo is kept in the article's annotation file.",
    )
    p.add_argument("article", metavar="ID", help="article id (see gloss list)")
    p.add_argument(
        "--set", dest="text", metavar="TEXT", help="the new memo ('-' reads stdin, '' clears it)"
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_memo)


def _kwic(ws: Workspace, query: str, sort: str = "article") -> Kwic:
    """The query's KWIC on the workspace's corpus, the index refreshed first."""
    from tui.cli.commands.search import open_index
    from tui.core.analysis.kwic import Kwic

    index, _ = open_index(ws, corpus=ws.corpus)
    return Kwic(index, query, ws.corpus.articles.get, sort=sort)


def _query_errors(query: str, run: Any) -> Any:
    """Run ``run()``; a query error says which query it is about (its message gives a column)."""
    from tui.core.search.query import QueryError

    try:
        return run()
    except QueryError as exc:
        raise QueryError(f"query {query!r}: {exc}") from None


def _no_match(query: str) -> None:
    warn(f"no matches for {query!r}")


# -- gloss kwic ---------------------------------------------------------------------------


def cmd_kwic(args: argparse.Namespace) -> int:
    from tui.core.analysis.kwic import Layout

    ws = _workspace(args)
    kwic = _kwic(ws, args.query, args.sort)
    page = _query_errors(args.query, lambda: kwic.page(0, size=args.limit))
    for notice in page.notices:
        warn(notice)
    if args.json:
        print_json([line.to_json() for line in page.lines])
    else:
        layout = Layout.fit(page.lines, args.width or terminal_width())
        styled = is_terminal()
        for line in page.lines:
            print(_styled(layout, line, styled))
    if not page.lines:
        _no_match(args.query)
    elif page.has_more and is_terminal(sys.stderr):
        warn(
            f"first {len(page.lines)} lines, from {page.articles} matching articles "
            "(--limit N for more)"
        )
    return 0


def _styled(layout: Layout, line: KwicLine, styled: bool) -> str:
    if not styled:
        return layout.render(line)
    cells = layout.cells(line)
    keyword = bold(cells.keyword, True)
    context = f"{cells.left} {keyword} {cells.right}".rstrip()
    if not layout.title:
        return context
    return f"{cells.date} {cells.title}  {context}"


# -- gloss annotate --search ---------------------------------------------------------------


def cmd_annotate_search(args: argparse.Namespace) -> int:
    """`gloss annotate --search QUERY --tag T`: one annotation per match, one undo step."""
    from tui.core.analysis.batch import apply_batch, plan_batch
    from tui.core.annotations.model import AnnotationError, normalise_tags

    if args.article is not None:
        raise AnnotationError("--search codes every match: give no ARTICLE with it")
    if args.quote is not None or args.start is not None or args.end is not None:
        raise AnnotationError("--search codes every match: --quote/--start/--end do not apply")
    if args.occurrence is not None:
        raise AnnotationError("--occurrence goes with --quote")
    if not args.tag:
        raise AnnotationError("--search needs the tag to apply: --tag T")
    tags = normalise_tags(args.tag)
    note = sys.stdin.read() if args.note == "-" else args.note
    ws = _workspace(args)
    store, articles = ws.store, ws.corpus.articles
    kwic = _kwic(ws, args.query_text)
    lines = _query_errors(args.query_text, lambda: list(kwic))
    plan = plan_batch(lines, tags, lambda article: store.anchored(articles[article]), note)
    made = []
    if plan.todo and not args.dry_run:
        summary = f"tag {len(plan.todo)} matches of {args.query_text!r} with {', '.join(tags)}"
        made = apply_batch(store, plan, articles.get, summary=summary)
    if args.json:
        records: list[dict[str, Any]] = (
            [a.to_json() for a in made]
            if made
            else [
                {
                    "article": p.line.article,
                    "start": p.line.start,
                    "end": p.line.end,
                    "exact": p.line.keyword,
                    "tags": list(p.tags),
                }
                for p in plan.todo
            ]
        )
        print_json(
            {
                "query": args.query_text,
                "tags": list(tags),
                "dry_run": args.dry_run,
                "matches": plan.matches,
                "made": 0 if args.dry_run else len(plan.todo),
                "skipped": len(plan.skipped),
                "annotations": records,
                "skipped_spans": [
                    {"article": s.article, "start": s.start, "end": s.end} for s in plan.skipped
                ],
            }
        )
    else:
        print(_batch_summary(len(plan.todo), len(plan.skipped), tags, args.dry_run))
    if not plan.matches:
        _no_match(args.query_text)
    return 0


def _batch_summary(todo: int, skipped: int, tags: Sequence[str], dry_run: bool) -> str:
    names = ", ".join(tags)
    already = f"{_count(skipped, 'match', 'matches')} already tagged"
    if dry_run:
        return (
            f"would make {_count(todo, 'annotation')} tagged {names}; would skip {already} "
            "(dry run: nothing written)"
        )
    undo = "; gloss undo takes them all back" if todo else ""
    return f"made {_count(todo, 'annotation')} tagged {names}; skipped {already}{undo}"


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


# -- gloss stats --------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    from tui.core.annotations.selection import select

    ws = _workspace(args)
    selection = select(ws.store, ws.corpus, tags=args.tag)
    problems = list(selection.problems.values())
    stats = stats_of(ws, selection, args.tag, args.query)
    if args.json:
        print_json(stats.to_json())
    elif args.csv:
        sys.stdout.write(stats.to_csv())
    else:
        _print_stats(stats)
    for problem in problems:
        warn(f"error: {problem} (its annotations are not counted)")
    return 2 if problems else 0


def stats_of(
    ws: Workspace, selection: Selection, tags: Sequence[str], query: str | None = None
) -> Stats:
    """The stats of ``selection``, only its articles matching ``query`` if given."""
    from tui.core.analysis.stats import compute_matching

    if not query:
        return compute_matching(selection, tags, ws.store.codebook())
    from tui.cli.commands.search import open_index

    index, _ = open_index(ws, corpus=ws.corpus)
    stats: Stats = _query_errors(
        query, lambda: compute_matching(selection, tags, ws.store.codebook(), query, index)
    )
    return stats


def _print_stats(stats: Stats) -> None:
    from tui.core.text import neutralise_controls

    width = terminal_width()
    styled = is_terminal()

    def section(title: str, headers: list[str], rows: list[list[str]], right: int) -> None:
        print(bold(title, styled))
        if not rows:
            print("  (none)\n")
            return
        lines = format_table(headers, rows, width=width, right=tuple(range(1, right + 1)))
        print("\n".join(lines) + "\n")

    print(f"{stats.annotations} annotations in {stats.articles} articles\n")
    top = max((row.annotations for row in stats.tags), default=0)
    section(
        "Tags (with the tags below them)",
        ["TAG", "ANNOTATIONS", "ARTICLES", ""],
        [
            [
                neutralise_controls(row.tag),
                str(row.annotations),
                str(row.articles),
                _bar(row.annotations, top),
            ]
            for row in stats.tags
        ],
        right=2,
    )
    chosen = stats.cooccurrence.tags
    if len(chosen) >= 2:
        rows = [
            [
                tag,
                *(
                    "-"
                    if tag == other
                    else "{0.passages}/{0.articles}".format(stats.cooccurrence.cell(tag, other))
                    for other in chosen
                ),
            ]
            for tag in chosen
        ]
        section("Co-occurrence (passages/articles with both)", ["", *chosen], rows, len(chosen))
    timeline = stats.timeline
    months = [m for m in timeline.months if any(timeline.count(t, m) for t in timeline.tags)]
    section(
        "Timeline (annotations per month of the article's date)",
        ["MONTH", *timeline.tags],
        [[m, *(str(timeline.count(t, m)) for t in timeline.tags)] for m in months],
        len(timeline.tags),
    )
    for title, groups in (("Sources", stats.sources), ("Coders", stats.authors)):
        section(
            title,
            ["NAME", "ANNOTATIONS", "ARTICLES", *chosen],
            [_group_row(group, chosen) for group in groups],
            2 + len(chosen),
        )


def _group_row(group: GroupRow, chosen: Sequence[str]) -> list[str]:
    from tui.core.text import neutralise_controls

    name = neutralise_controls(group.name) if group.name else "(unknown)"
    return [name, str(group.annotations), str(group.articles)] + [
        str(group.tags[tag]) for tag in chosen
    ]


def _bar(value: int, top: int) -> str:
    """A plain-text bar, ``BAR_CELLS`` long for the largest value."""
    if top <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(BAR_CELLS * value / top))


# -- gloss memo ---------------------------------------------------------------------------


def cmd_memo(args: argparse.Namespace) -> int:
    from tui.core.text import neutralise_controls

    ws = _workspace(args)
    article = args.article
    if article not in ws.corpus.articles and not ws.store.path_for(article).exists():
        ws.corpus.get(article)  # raises: an unknown id, or why its file cannot be read
    if args.text is None:
        memo = ws.store.memo(article)
    else:
        text = sys.stdin.read() if args.text == "-" else args.text
        memo = ws.store.set_memo(article, text)
    if args.json:
        print_json({"article": article, "memo": memo})
    elif args.text is not None:
        word = "set the memo of" if memo else "cleared the memo of"
        print(f"{word} {article} (gloss undo takes it back)")
    elif memo:
        print(neutralise_controls(memo))
    if args.text is None and not memo:
        warn(f"article '{article}' has no memo")
    return 0
