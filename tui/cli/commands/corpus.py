"""`gloss list`, `gloss show`, `gloss init`, `gloss info`: the corpus as scripts see it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.cli.common import (
    bold,
    format_table,
    is_terminal,
    print_json,
    resolve,
    subcommand,
    terminal_width,
    warn,
)
from tui.core.corpus.load import Corpus
from tui.core.ordering import SORT_KEYS, sort_items
from tui.core.paths import cache_dir
from tui.core.project import init_project
from tui.core.text import neutralise_controls
from tui.core.workspace import Workspace

EXIT_PROBLEMS = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(sub, "list", "list the corpus's articles")
    p.add_argument(
        "--sort",
        choices=[k for k in SORT_KEYS if k != "id"],
        default=None,
        help="title or source A-Z, date newest first, words most first (default: by id)",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_list)

    p = subcommand(sub, "show", "print one article")
    p.add_argument("id", metavar="ID", help="article id, e.g. 000_1b8bce5c4f6c6391 or sub/name")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON with body and boilerplate spans ([start, end] offsets into body)",
    )
    p.set_defaults(handler=cmd_show)

    # Not subcommand(): for init, --corpus and --annotations are what gloss.toml will say,
    # so they are init's own options (given before or after "init", they mean the same).
    p = sub.add_parser(
        "init",
        help="write a gloss.toml so gloss opens this folder of articles",
        description="Write DIR/gloss.toml, naming the articles folder and the annotation "
        "store, both relative to DIR.",
    )
    p.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where to write gloss.toml (default: the current folder)",
    )
    for name, old, text in (
        ("corpus", "--corpus-dir", "articles folder, relative to DIR (default: DIR itself)"),
        (
            "annotations",
            "--store-dir",
            "annotation store folder, relative to DIR (default: annotations)",
        ),
    ):
        p.add_argument(f"--{name}", metavar="PATH", default=argparse.SUPPRESS, help=text)
        # The old spelling, kept working for scripts; one pair shows in --help.
        p.add_argument(old, dest=name, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_init)

    p = subcommand(sub, "info", "show which corpus, annotation store and cache gloss uses")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_info)


def report_problems(corpus: Corpus) -> int:
    for problem in corpus.problems.values():
        warn(f"error: {problem}")
    return EXIT_PROBLEMS if corpus.problems else 0


def cmd_list(args: argparse.Namespace) -> int:
    corpus = Workspace(resolve(args)).corpus
    articles = sort_items(corpus, args.sort) if args.sort else list(corpus)
    if args.json:
        print_json([a.to_summary() for a in articles])
    else:
        rows = [
            [
                a.id,
                a.title,
                a.date.isoformat() if a.date else "",
                a.source or "",
                str(a.words),
            ]
            for a in articles
        ]
        lines = format_table(
            ["ID", "TITLE", "DATE", "SOURCE", "WORDS"],
            rows,
            width=terminal_width(),
            flexible=(1, 3, 0),
            right=(4,),
        )
        lines[0] = bold(lines[0], is_terminal())
        print("\n".join(lines))
    return report_problems(corpus)


def cmd_show(args: argparse.Namespace) -> int:
    article = Workspace(resolve(args)).corpus.get(args.id)
    if args.json:
        print_json(article.to_json())
        return 0
    styled = is_terminal()
    meta = [article.date.isoformat() if article.date else None, article.source, article.author]
    print(bold(article.title, styled))  # metadata is neutralised at load
    print(" · ".join(m for m in meta if m) or "(no date or source)")
    print()
    sys.stdout.write(neutralise_controls(article.body))
    if not article.body.endswith("\n"):
        sys.stdout.write("\n")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    corpus = str(getattr(args, "corpus", "."))
    annotations = str(getattr(args, "annotations", "annotations"))
    target = init_project(args.folder, corpus=corpus, annotations=annotations)
    print(f"wrote {target}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    project = resolve(args)
    info = {
        "corpus": str(project.corpus),
        "annotations": str(project.annotations),
        "project_file": str(project.config_file) if project.config_file else None,
        "cache": str(cache_dir()),
    }
    if args.json:
        print_json(info)
    else:
        for key, value in info.items():
            print(f"{key + ':':<14}{value or '(none)'}")
    return 0
