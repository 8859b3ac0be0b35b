"""`gloss export`: annotations as Markdown, CSV, JSON or W3C Web Annotations (JSON-LD)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.commands.annotations import STATE_CHOICES, warn_unknown_tags
from tui.cli.common import is_terminal, resolve, subcommand, warn

FORMAT_CHOICES = ("md", "csv", "json", "w3c")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "export",
        "export annotations for a report, a spreadsheet or other tools",
        description="Export annotations: md (grouped by article, ready to paste into a "
        "report), csv (one row each), json (Gloss's model), w3c (Web Annotation "
        "AnnotationCollection, JSON-LD).",
    )
    p.add_argument("--format", choices=FORMAT_CHOICES, default="md", help="default: md")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only annotations with this tag or a tag below it (repeatable)",
    )
    p.add_argument("--article", metavar="ID", help="only this article's annotations")
    p.add_argument(
        "--state",
        action="append",
        default=[],
        choices=STATE_CHOICES,
        help="only annotations in this anchoring state (repeatable)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="write here instead of stdout (its folder must exist)",
    )
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from tui.core.annotations.selection import select
    from tui.core.export import export
    from tui.core.fileio import write_atomic
    from tui.core.workspace import Workspace

    ws = Workspace(resolve(args))
    chosen = select(ws.store, ws.corpus, article=args.article, tags=args.tag, states=args.state)
    text = export(chosen, args.format)
    if args.output is None:
        if is_terminal():
            # Corpus text may hold escape sequences; a terminal must not run them.
            from tui.core.text import neutralise_controls

            text = neutralise_controls(text.replace("\r\n", "\n"))
        sys.stdout.write(text)
    else:
        # A PathError names the target: a folder, a missing folder (never created), ...
        write_atomic(args.output, text)
        warn(f"wrote {len(chosen.items)} annotations to {args.output}")
    orphans = sum(1 for item in chosen.items if item.start is None)
    if orphans and args.format == "w3c":
        warn(
            f"{orphans} orphaned or missing-article annotations exported with their quote "
            "only (no position)"
        )
    warn_unknown_tags(chosen, ws.store)
    for problem in chosen.problems.values():
        warn(f"error: {problem} (its annotations are not exported)")
    return 2 if chosen.problems else 0
