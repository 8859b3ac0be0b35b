"""`gloss import qdpx`: a REFI-QDA project from another tool becomes a new Gloss project."""

from __future__ import annotations

import argparse
from pathlib import Path

from tui.cli.common import subcommand, warn


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "import",
        "make a new Gloss project from a REFI-QDA project (.qdpx) of another tool",
        description="Make a new Gloss project from a REFI-QDA project (.qdpx) written by "
        "NVivo, ATLAS.ti, MAXQDA, QualCoder, Gloss or another tool: its text sources "
        "become articles, its codes tags, its text selections annotations (one per "
        "coder), its notes their notes, a source's comment and notes its memo, and its "
        "users their authors. What Gloss cannot "
        "hold (pictures, audio, video, PDF page regions, sets, cases...) is listed on "
        "stderr.",
    )
    p.add_argument("format", choices=("qdpx",), help="the package's format")
    p.add_argument("file", type=Path, metavar="FILE", help="the .qdpx file")
    p.add_argument(
        "--into",
        type=Path,
        metavar="DIR",
        help="the new project's folder, new or empty (default: FILE's name without .qdpx, "
        "in the current folder)",
    )
    p.set_defaults(handler=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from tui.core.refi.importer import import_qdpx

    into = args.into if args.into is not None else Path(args.file.stem)
    done = import_qdpx(args.file, into)
    for written, tag in done.renamed:
        warn(f"code {written!r} became tag '{tag}'")
    for lost in done.not_carried:
        warn(f"not carried: {lost}")
    authors = ", ".join(done.authors) if done.authors else "no author"
    print(
        f"imported {done.articles} articles, {done.annotations} annotations by "
        f"{len(done.authors)} coder{'s' if len(done.authors) != 1 else ''} ({authors}), "
        f"{done.memos} memo{'s' if done.memos != 1 else ''} and {done.tags} tags into "
        f"{done.root}"
    )
    print(f"open it with: cd {done.root} && gloss")
    return 0
