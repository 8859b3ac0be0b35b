"""`gloss list`, `gloss show`, `gloss init`, `gloss info`: the corpus as scripts see it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
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
from tui.core.errors import GlossError
from tui.core.models import Article
from tui.core.ordering import SORT_KEYS
from tui.core.paths import cache_dir
from tui.core.project import PROJECT_FILE, init_project, read_project_file
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

    p = subcommand(sub, "show", "print articles: one, several, or --all")
    p.add_argument(
        "ids", nargs="*", metavar="ID", help="article id, e.g. 000_1b8bce5c4f6c6391 or sub/name"
    )
    p.add_argument("--all", action="store_true", help="every article of the corpus, by id")
    output = p.add_mutually_exclusive_group()
    output.add_argument(
        "--json",
        action="store_true",
        help="print JSON with body, boilerplate spans and page starts (offsets into body); "
        "an array when more than one ID or --all",
    )
    output.add_argument(
        "--jsonl", action="store_true", help="print one JSON object a line, as each is read"
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
    p.add_argument(
        "--git",
        action="store_true",
        help="also let git merge annotation files by annotation id: write the "
        ".gitattributes line and print the git config line that enables it (works on "
        "a folder that already has a gloss.toml too)",
    )
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
    # Sorted by SQLite, a row at a time: the first JSON row is out before the last is read.
    articles = corpus.catalogue.iter(args.sort)
    if args.json:
        _stream_json(a.to_summary() for a in articles)
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


def _stream_json(items: Iterable[dict[str, object]]) -> None:
    """A JSON array written an item at a time (as ``print_json`` would lay it out)."""
    out = sys.stdout
    out.write("[")
    first = True
    for item in items:
        out.write("\n" if first else ",\n")
        out.write(_indented(item))
        if first:
            out.flush()
            first = False
    out.write("]\n" if first else "\n]\n")


def cmd_show(args: argparse.Namespace) -> int:
    """Streams: each article is written (and flushed) as it is taken from the corpus, so a
    script reading ``--jsonl`` starts on the first while the rest are still coming."""
    if args.all and args.ids:
        raise GlossError("give article ids or --all, not both")
    if not args.all and not args.ids:
        raise GlossError("give an article id (several are fine), or --all")
    corpus = Workspace(resolve(args)).corpus
    if len(args.ids) == 1 and not args.all:
        article = corpus.get(args.ids[0])  # one id: its problem is the error
        _show_one(article, args, first=True)
        if args.json:
            print_json(article.to_json())
        return 0
    failed = False
    if args.json:
        sys.stdout.write("[")
    for index, key in enumerate(args.ids or corpus.catalogue.ids()):
        try:
            article = corpus.get(key)
        except GlossError as exc:
            warn(f"error: {exc}")
            failed = True
            continue
        if args.json:
            sys.stdout.write(",\n" if index else "\n")
            sys.stdout.write(_indented(article.to_json()))
        else:
            _show_one(article, args, first=index == 0)
        sys.stdout.flush()
    if args.json:
        sys.stdout.write("\n]\n")
    if args.all:
        failed = bool(report_problems(corpus)) or failed
    return EXIT_PROBLEMS if failed else 0


def _show_one(article: Article, args: argparse.Namespace, first: bool) -> None:
    if args.json:
        return
    if args.jsonl:
        sys.stdout.write(json.dumps(article.to_json(), ensure_ascii=False) + "\n")
        return
    if not first:
        sys.stdout.write("\n" + "─" * 40 + "\n\n")  # between articles: a rule
    styled = is_terminal()
    meta = [article.date.isoformat() if article.date else None, article.source, article.author]
    print(bold(article.title, styled))  # metadata is neutralised at load
    print(" · ".join(m for m in meta if m) or "(no date or source)")
    print()
    sys.stdout.write(neutralise_controls(article.body))
    if not article.body.endswith("\n"):
        sys.stdout.write("\n")


def _indented(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return "\n".join("  " + line for line in text.split("\n"))


def cmd_init(args: argparse.Namespace) -> int:
    corpus = str(getattr(args, "corpus", "."))
    annotations = str(getattr(args, "annotations", "annotations"))
    target = args.folder / PROJECT_FILE
    if not (args.git and target.is_file()):
        if args.git:  # refuse before writing anything
            from tui.core.annotations.merge import store_pattern

            store_pattern(args.folder, args.folder / annotations)
        target = init_project(args.folder, corpus=corpus, annotations=annotations)
        print(f"wrote {target}")
    if args.git:
        from tui.cli.commands.merge import git_config_line
        from tui.core.annotations.merge import enable_in_gitattributes

        store = read_project_file(target)[1] or (args.folder / annotations).resolve()
        attributes, added = enable_in_gitattributes(args.folder, store)
        print(f"{'wrote' if added else 'already set in'} {attributes}")
        print("enable the merge driver in each clone with:")
        print(git_config_line())
    return 0


def _search_location(url: str | None) -> str:
    """Where searches run: the embedded index, or the database (its password hidden)."""
    if url is None:
        return "embedded (Whoosh, in the cache folder)"
    from tui.core.search.pg.connect import Target

    return Target.parse(url).url


def cmd_info(args: argparse.Namespace) -> int:
    project = resolve(args)
    info = {
        "corpus": str(project.corpus),
        "annotations": str(project.annotations),
        "project_file": str(project.config_file) if project.config_file else None,
        "cache": str(cache_dir()),
        "search": _search_location(project.search),
    }
    if args.json:
        print_json(info)
    else:
        for key, value in info.items():
            print(f"{key + ':':<14}{value or '(none)'}")
    return 0
