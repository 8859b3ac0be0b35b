"""The `gloss` command: subcommands for scripts; no subcommand opens the app.

Each module in ``tui.cli.commands`` adds its own subcommands through ``register``,
so search, annotations and corpus commands live apart. Modules import heavy
libraries inside their handlers: `gloss search` must not pay for Textual.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from typing import NoReturn

from tui import __version__
from tui.cli import commands
from tui.cli.common import EXIT_INTERRUPTED, EXIT_USAGE, add_project_options, fail
from tui.core.errors import GlossError


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line, as every other error (the usage is in --help)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="gloss",
        description="Read, search and annotate a folder of articles. "
        "With no command, opens the reader on the project's corpus.",
    )
    parser.add_argument("--version", action="version", version=f"gloss {__version__}")
    add_project_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", None)
        if handler is None:
            from tui.cli.common import resolve

            project = resolve(args)
            from tui.app import run_app

            return run_app(project)
        return int(handler(args) or 0)
    except GlossError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `gloss list | head`): not an error.
        sys.stderr.close()
        return 0


__all__ = ["EXIT_USAGE", "build_parser", "main"]
