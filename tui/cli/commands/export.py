"""`gloss export`: annotations as Markdown, CSV, JSON, W3C Web Annotations (JSON-LD), or a
REFI-QDA project (QDPX) or codebook (QDC) for other analysis tools."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.commands.annotations import STATE_CHOICES, warn_unknown_tags
from tui.cli.common import fail, is_terminal, resolve, subcommand, warn

FORMAT_CHOICES = ("md", "csv", "json", "w3c", "qdpx", "qdc")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "export",
        "export annotations for a report, a spreadsheet or other tools",
        description="Export annotations: md (grouped by article, ready to paste into a "
        "report), csv (one row each), json (Gloss's model), w3c (Web Annotation "
        "AnnotationCollection, JSON-LD), qdpx (a REFI-QDA project for NVivo, ATLAS.ti, "
        "MAXQDA, QualCoder: every article, the codebook and the annotations), qdc (the "
        "REFI-QDA codebook alone).",
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
        "--with-stats",
        action="store_true",
        help="md only: add the stats tables (as gloss stats) after the quotes",
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
    from tui.core.export import PROJECT_FORMATS, export
    from tui.core.fileio import write_atomic
    from tui.core.workspace import Workspace

    if args.format == "qdpx" and args.output is None and is_terminal():
        return fail("a QDPX file is a zip archive: give -o FILE.qdpx (or redirect stdout)")
    ws = Workspace(resolve(args))
    if args.with_stats and args.format != "md":
        from tui.core.errors import GlossError

        raise GlossError("--with-stats goes with --format md (gloss stats --csv/--json for data)")
    chosen = select(ws.store, ws.corpus, article=args.article, tags=args.tag, states=args.state)
    project = None
    if args.format in PROJECT_FORMATS:
        from tui.core.export.qdpx import not_carried, project_export

        project = project_export(ws, args.article)
        if args.format == "qdpx":
            for lost in not_carried(chosen, project):
                warn(f"not exported: {lost}")
    stats = None
    if args.format == "md":
        chosen.codebook = ws.store.codebook()
        if args.with_stats:
            from tui.core.analysis.stats import compute

            stats = compute(chosen, args.tag, chosen.codebook)
    data = export(chosen, args.format, project, stats)
    if args.output is None:
        if isinstance(data, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
        elif is_terminal():
            # Corpus text may hold escape sequences; a terminal must not run them.
            from tui.core.text import neutralise_controls

            sys.stdout.write(neutralise_controls(data.replace("\r\n", "\n")))
        else:
            sys.stdout.write(data)
    else:
        # A PathError names the target: a folder, a missing folder (never created), ...
        write_atomic(args.output, data)
        if args.format == "qdc":
            warn(f"wrote the codebook to {args.output}")
        else:
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
