"""What every subcommand shares: project options, errors, JSON, and terminal output."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui.core.project import Project, resolve_project

if TYPE_CHECKING:
    from tui.core.workspace import Workspace

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
TAB_MARK = "\u21e5"  # ⇥
_BOLD = "\x1b[1m"
_RESET = "\x1b[0m"


def add_project_options(parser: argparse.ArgumentParser) -> None:
    """``--corpus`` / ``--annotations``, accepted before or after the command name."""
    parser.add_argument(
        "--corpus",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="folder of articles (overrides GLOSS_CORPUS and gloss.toml)",
    )
    parser.add_argument(
        "--annotations",
        type=Path,
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="annotation store folder (overrides GLOSS_ANNOTATIONS and gloss.toml)",
    )


def subcommand(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, help: str, **kwargs: Any
) -> argparse.ArgumentParser:
    """A subparser that takes the project options too, with the help text as description."""
    parser = sub.add_parser(name, help=help, description=kwargs.pop("description", help), **kwargs)
    add_project_options(parser)
    return parser


def resolve(args: argparse.Namespace) -> Project:
    return resolve_project(getattr(args, "corpus", None), getattr(args, "annotations", None))


def workspace(args: argparse.Namespace) -> Workspace:
    """The project's workspace (corpus, store and index are loaded when first used)."""
    from tui.core.workspace import Workspace

    return Workspace(resolve(args))


def positive(text: str) -> int:
    """An argparse type: a whole number >= 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def fail(message: str) -> int:
    """One line on stderr, exit status 2."""
    print(f"gloss: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def warn(message: str) -> None:
    print(f"gloss: {message}", file=sys.stderr)


def print_json(data: Any, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    # One write: json.dump writes each token on its own (700k writes for 10k annotations).
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def is_terminal(stream: TextIO | None = None) -> bool:
    """Styling only for a real terminal: never escape sequences into a pipe or a file."""
    stream = stream or sys.stdout
    return stream.isatty() and os.environ.get("TERM") != "dumb" and "NO_COLOR" not in os.environ


def bold(text: str, enabled: bool) -> str:
    return f"{_BOLD}{text}{_RESET}" if enabled else text


UNLIMITED = 1_000_000
"""Width when output goes to a pipe or a file and ``$COLUMNS`` is not set: nothing is cut."""


def terminal_width(default: int = 100) -> int:
    """Columns to fit output to: the terminal's; piped, ``$COLUMNS`` if set, else no limit.

    A pipe has no width: cutting titles to fit 100 columns (7 characters once the ids
    took theirs) served no one reading the file.
    """
    if sys.stdout.isatty():
        return shutil.get_terminal_size((default, 24)).columns
    columns = os.environ.get("COLUMNS", "").strip()
    return int(columns) if columns.isdigit() and int(columns) > 0 else UNLIMITED


def cell_width(text: str) -> int:
    """Terminal columns the text takes: wide (CJK) characters take two, combining ones none."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def truncate(text: str, width: int) -> str:
    """Cut to ``width`` terminal columns, marking the cut with an ellipsis."""
    if width <= 0:
        return ""
    if cell_width(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        used += _char_width(char)
        if used > width - 1:
            break
        kept.append(char)
    return "".join(kept).rstrip() + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """Pad to ``width`` terminal columns (``str.ljust`` counts characters, not columns)."""
    fill = " " * max(0, width - cell_width(text))
    return fill + text if right else text + fill


def format_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    flexible: Sequence[int] = (),
    right: Sequence[int] = (),
) -> list[str]:
    """Aligned columns fitted to ``width``: the ``flexible`` columns shrink, with an ellipsis.

    A tab in a cell is shown as ``⇥``: printed as it is, it would break the columns.
    """
    headers = [h.replace("\t", TAB_MARK) for h in headers]
    rows = [[cell.replace("\t", TAB_MARK) for cell in row] for row in rows]
    widths = [
        max([cell_width(h), *(cell_width(r[i]) for r in rows)]) for i, h in enumerate(headers)
    ]
    gap = 2
    overflow = sum(widths) + gap * (len(widths) - 1) - width
    for index in flexible:
        if overflow <= 0:
            break
        floor = max(len(headers[index]), 8)
        cut = min(overflow, widths[index] - floor)
        if cut > 0:
            widths[index] -= cut
            overflow -= cut

    def line(cells: Sequence[str]) -> str:
        parts = [
            pad(truncate(cell, widths[i]), widths[i], i in right) for i, cell in enumerate(cells)
        ]
        return (" " * gap).join(parts).rstrip()

    return [line(headers), *(line(row) for row in rows)]
