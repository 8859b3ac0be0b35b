"""`gloss merge-driver`: git's merge driver for annotation files and the codebook.

Set up with ``gloss init --git`` (writes the ``.gitattributes`` line and prints the
``git config`` line). Git runs ``gloss merge-driver %O %A %B %P`` for each store file both
branches changed; the result goes into %A, exit 0 is a clean merge.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path

from tui.cli.common import subcommand, warn


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "merge-driver",
        "git merge driver: merge two branches' annotation files by annotation id",
        description="Merge three versions of an annotation file or the codebook the way "
        "git asks a merge driver to: by annotation id (or tag name), field by field. "
        "Additions on both sides are kept; a change on one side wins; the same field "
        "changed differently on both sides keeps both versions, theirs as a copy tagged "
        "'conflict'; deleted on one side and changed on the other keeps the change. "
        "An article's memo merges as one text: one side's change wins, an edit beats a "
        "clearing, and two different edits keep ours then theirs after a '(conflict: ...)' "
        "line. The result is written to OURS. Set it up with 'gloss init --git'.",
    )
    p.add_argument("base", type=Path, metavar="BASE", help="the common ancestor's version (%%O)")
    p.add_argument(
        "ours", type=Path, metavar="OURS", help="our version; the result goes here (%%A)"
    )
    p.add_argument("theirs", type=Path, metavar="THEIRS", help="their version (%%B)")
    p.add_argument(
        "path",
        nargs="?",
        default="",
        metavar="PATH",
        help="the file's path in the repository, for messages (%%P)",
    )
    p.set_defaults(handler=cmd_merge_driver)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    from tui.core.annotations.merge import Side, merge_files
    from tui.core.errors import PathError
    from tui.core.fileio import read_text, write_atomic

    sides = []
    for label, path in (("base", args.base), ("our", args.ours), ("their", args.theirs)):
        text = read_text(path)
        if text is None:
            raise PathError(path, f"file not found ({label} version of {args.path or path})")
        sides.append(Side(text, str(path), label))
    base, ours, theirs = sides
    merged = merge_files(base, ours, theirs, path=args.path)
    write_atomic(args.ours, merged.text)
    for note in merged.notes:
        warn(note)
    return 0


def driver_command() -> str:
    """How git should run this Gloss: ``gloss`` when on the PATH, else this one's full path."""
    found = shutil.which("gloss")
    if found:
        return "gloss"
    script = Path(sys.argv[0])
    if script.name == "gloss" and script.exists():
        return shlex.quote(str(script.resolve()))
    return f"{shlex.quote(sys.executable)} -m tui"


def git_config_line() -> str:
    from tui.core.annotations.merge import DRIVER, DRIVER_ARGS

    value = f"{driver_command()} {DRIVER_ARGS}"
    return f"git config merge.{DRIVER}.driver {shlex.quote(value)}"
