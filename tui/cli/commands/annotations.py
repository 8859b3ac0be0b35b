"""`gloss annotate`, `annotations`, `edit`, `reattach`, `delete`, `undo`, `redo`, `check`.

The annotation store as scripts see it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tui.cli.common import (
    bold,
    format_table,
    is_terminal,
    print_json,
    subcommand,
    terminal_width,
    warn,
)
from tui.cli.common import workspace as _workspace

if TYPE_CHECKING:
    from tui.core.annotations.model import Anchored
    from tui.core.annotations.selection import Selection
    from tui.core.annotations.store import AnnotationStore
    from tui.core.models import Article

EXIT_REVIEW = 1
EXIT_BROKEN = 2
STATE_CHOICES = ("exact", "moved", "fuzzy", "orphaned", "missing")
"""The model's STATES, spelled out: importing the model would cost every command ~5 ms."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "annotate",
        "highlight a passage of an article, or every match of a search, with tags and a note",
        description="Highlight a passage of ARTICLE, or with --search every match of a "
        "query (one annotation each, skipping matches an annotation with the tag already "
        "overlaps; one gloss undo takes the whole batch back).",
    )
    p.add_argument("article", metavar="ARTICLE", nargs="?", help="article id (see gloss list)")
    _passage_options(p)
    batch = p.add_argument_group("batch coding (instead of ARTICLE and a passage)")
    batch.add_argument(
        "--search",
        dest="query_text",
        metavar="QUERY",
        help="annotate every match of this query (see gloss kwic QUERY)",
    )
    batch.add_argument(
        "--dry-run",
        action="store_true",
        help="with --search: say what would be made and skipped, write nothing",
    )
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="tag to apply, e.g. actor/china (repeatable)",
    )
    p.add_argument("--note", default="", metavar="TEXT", help="note text ('-' reads it from stdin)")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_annotate)

    p = subcommand(sub, "annotations", "list annotations, re-anchored on the current articles")
    p.add_argument("--article", metavar="ID", help="only this article's annotations")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only annotations with this tag or a tag below it (repeatable: any of them)",
    )
    p.add_argument(
        "--state",
        action="append",
        choices=STATE_CHOICES,
        default=[],
        help="only annotations in this anchoring state (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_annotations)

    p = subcommand(sub, "edit", "change an annotation's tags or note")
    p.add_argument("id", metavar="ID", help="annotation id (or a unique prefix of 4+ characters)")
    p.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="add this tag (repeatable)"
    )
    p.add_argument(
        "--untag",
        action="append",
        default=[],
        metavar="TAG",
        help="remove this tag and the tags below it (repeatable)",
    )
    p.add_argument(
        "--note", metavar="TEXT", help="replace the note ('' clears it, '-' reads stdin)"
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_edit)

    p = subcommand(
        sub,
        "reattach",
        "point an annotation at a new passage (an orphan), or accept a fuzzy match",
        description="Re-attach an annotation to a passage of its article. With no "
        "passage, accept where a fuzzy annotation was found (its quote becomes the "
        "edited text).",
    )
    p.add_argument("id", metavar="ID", help="annotation id (or a unique prefix of 4+ characters)")
    _passage_options(p)
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_reattach)

    p = subcommand(sub, "delete", "delete an annotation (gloss undo brings it back)")
    p.add_argument("id", metavar="ID", help="annotation id (or a unique prefix of 4+ characters)")
    p.add_argument("--json", action="store_true", help="print the deleted annotation as JSON")
    p.set_defaults(handler=cmd_delete)

    for name, text in (
        ("undo", "undo the last change to the annotations (across runs)"),
        ("redo", "redo the last undone change"),
    ):
        p = subcommand(sub, name, text)
        p.add_argument("--json", action="store_true", help="print JSON for scripts")
        p.set_defaults(handler=cmd_undo if name == "undo" else cmd_redo)

    p = subcommand(
        sub,
        "check",
        "parse every annotation file and re-anchor every annotation",
        description="Parse every store file and re-anchor every annotation. Exit 0 when "
        "all are exact or moved, 1 when some need review (fuzzy, orphaned, or their "
        "article missing from the corpus), 2 when "
        "a file is broken.",
    )
    p.add_argument(
        "--fix",
        action="store_true",
        help="save re-anchored offsets of moved annotations (broken files are never touched)",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_check)


def _passage_options(p: argparse.ArgumentParser) -> None:
    where = p.add_argument_group("the passage (give --quote, or --start and --end)")
    where.add_argument("--quote", metavar="TEXT", help="the exact text to highlight")
    where.add_argument(
        "--occurrence",
        type=int,
        metavar="N",
        help="which match of --quote, counting from 1, when it occurs more than once",
    )
    where.add_argument(
        "--start", type=int, metavar="S", help="first character (offset into the body)"
    )
    where.add_argument("--end", type=int, metavar="E", help="offset just past the last character")


def _passage(args: argparse.Namespace, article: Article) -> tuple[int, int] | None:
    """The span ``--quote``/``--occurrence`` or ``--start``/``--end`` name; None if neither."""
    from tui.core.annotations.model import AnnotationError, find_quote

    if args.quote is not None:
        if args.start is not None or args.end is not None:
            raise AnnotationError("give either --quote or --start/--end, not both")
        return find_quote(article.body, args.quote, args.occurrence, article.id)
    if args.occurrence is not None:
        raise AnnotationError("--occurrence goes with --quote")
    if args.start is None and args.end is None:
        return None
    if args.start is None or args.end is None:
        raise AnnotationError("give both --start and --end")
    return args.start, args.end


def _note(text: str) -> str:
    return sys.stdin.read() if text == "-" else text


def describe(item: Anchored, body: str | None = None) -> list[str]:
    """A few lines for people: id, article, state, span, tags, then quote and note."""
    from tui.core.text import neutralise_controls

    span = f"{item.start}-{item.end}" if item.start is not None else "-"
    tags = ", ".join(item.tags) or "no tags"
    text = item.text(body) if body is not None else item.exact
    lines = [
        f"{item.id}  {item.article}  {item.state}  {span}  [{tags}]",
        f"  “{neutralise_controls(' '.join(text.split()))}”",
    ]
    if item.note:
        lines += [f"  {neutralise_controls(line)}" for line in item.note.split("\n")]
    return lines


def cmd_annotate(args: argparse.Namespace) -> int:
    from tui.core.annotations.model import Anchored, AnnotationError

    if args.query_text is not None:
        from tui.cli.commands.analysis import cmd_annotate_search

        return cmd_annotate_search(args)
    if args.dry_run:
        raise AnnotationError("--dry-run goes with --search")
    if args.article is None:
        raise AnnotationError("say which article: gloss annotate ARTICLE, or --search QUERY")
    ws = _workspace(args)
    article = ws.corpus.get(args.article)
    span = _passage(args, article)
    if span is None:
        raise AnnotationError("say what to highlight: --quote TEXT, or --start S --end E")
    start, end = span
    made = ws.store.add(article, start, end, tags=args.tag, note=_note(args.note))
    placed = Anchored(made, "exact", made.start, made.end)
    if args.json:
        print_json(placed.to_json())
    else:
        print("\n".join(describe(placed, article.body)))
    return 0


def cmd_annotations(args: argparse.Namespace) -> int:
    from tui.core.annotations.selection import select

    ws = _workspace(args)
    chosen = select(ws.store, ws.corpus, article=args.article, tags=args.tag, states=args.state)
    if args.json:
        from tui.core.export.records import to_json

        print_json(to_json(chosen))
    else:
        _print_table(chosen)
    warn_unknown_tags(chosen, ws.store)
    return _report(chosen.problems.values())


def warn_unknown_tags(chosen: Selection, store: AnnotationStore) -> None:
    """A ``--tag`` that nothing has is most likely a typo: say so (not an error: exit 0)."""
    from tui.core.annotations.selection import unknown_tag_message

    for tag in chosen.unknown_tags:
        warn(unknown_tag_message(tag, store))


def _print_table(chosen: Selection) -> None:
    from tui.core.text import neutralise_controls

    if not chosen.items:
        print("no annotations")
        return
    rows = []
    for item in chosen.items:
        body = chosen.body(item.article)
        span = f"{item.start}-{item.end}" if item.start is not None else "-"
        rows.append(
            [
                item.id,
                item.article,
                item.state,
                span,
                ", ".join(item.tags),
                neutralise_controls(
                    " ".join(item.text(body).split()) if body else " ".join(item.exact.split())
                ),
                neutralise_controls(" ".join(item.note.split())),
            ]
        )
    lines = format_table(
        ["ID", "ARTICLE", "STATE", "SPAN", "TAGS", "QUOTE", "NOTE"],
        rows,
        width=terminal_width(),
        flexible=(6, 4, 5),
    )
    lines[0] = bold(lines[0], is_terminal())
    print("\n".join(lines))


def _report(problems: Iterable[Exception]) -> int:
    """Broken files on stderr, one line each; their articles' annotations were skipped."""
    count = 0
    for problem in problems:
        warn(f"error: {problem}")
        count += 1
    return EXIT_BROKEN if count else 0


def cmd_edit(args: argparse.Namespace) -> int:
    from tui.core.annotations.model import AnnotationError

    if not args.tag and not args.untag and args.note is None:
        raise AnnotationError("nothing to change: give --tag, --untag or --note")
    ws = _workspace(args)
    note = None if args.note is None else _note(args.note)
    edited = ws.store.edit(args.id, add_tags=args.tag, remove_tags=args.untag, note=note)
    return _placed(args, ws, edited)


def _placed(args: argparse.Namespace, ws, annotation) -> int:  # type: ignore[no-untyped-def]
    from tui.core.annotations.anchoring import anchor, missing

    article = ws.corpus.articles.get(annotation.article)
    item = anchor(annotation, article.body, article.sha256) if article else missing(annotation)
    body = article.body if article else None
    if args.json:
        print_json(item.to_json(body))
    else:
        print("\n".join(describe(item, body)))
    return 0


def cmd_reattach(args: argparse.Namespace) -> int:
    from tui.core.annotations.review import accept_match

    ws = _workspace(args)
    current = ws.store.find(args.id)
    article = ws.corpus.get(current.article)
    span = _passage(args, article)
    if span is None:  # accept the fuzzy match, as the app's review queue does
        moved = accept_match(ws.store, article, current)
    else:
        moved = ws.store.reattach(current.id, article, *span)
    return _placed(args, ws, moved)


def cmd_delete(args: argparse.Namespace) -> int:
    ws = _workspace(args)
    gone = ws.store.delete(args.id)
    if args.json:
        print_json(gone.to_json())
    else:
        print(f"deleted {gone.id} from {gone.article} (gloss undo brings it back)")
    return 0


def _replay(args: argparse.Namespace, undo: bool) -> int:
    ws = _workspace(args)
    op = ws.store.undo() if undo else ws.store.redo()
    word = "undid" if undo else "redid"
    if args.json:
        print_json(
            {
                "action": "undo" if undo else "redo",
                "summary": op.summary,
                "time": op.time,
                "changes": len(op.changes),
            }
        )
    else:
        print(f"{word}: {op.summary}")
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    return _replay(args, undo=True)


def cmd_redo(args: argparse.Namespace) -> int:
    return _replay(args, undo=False)


def cmd_check(args: argparse.Namespace) -> int:
    from tui.core.annotations.check import check_store

    ws = _workspace(args)
    report = check_store(ws.store, ws.corpus, fix=args.fix)
    if args.json:
        print_json(report.to_json())
    else:
        from tui.core.text import neutralise_controls

        for line in report.lines():
            print(neutralise_controls(line))
    for problem in report.problems:
        warn(f"error: {problem}")
    if report.problems:
        return EXIT_BROKEN
    return EXIT_REVIEW if report.review else 0
