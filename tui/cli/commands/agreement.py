"""`gloss agreement`: how far coders agree, per tag (Krippendorff's alpha, Cohen's kappa)."""

from __future__ import annotations

import argparse

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

DESCRIPTION = """\
Agreement between coders (each annotation's author), per tag, at character level: for
each article coded by at least two of the coders (a coder coded an article by making any
annotation in it), every character is 1 for a coder when one of their annotations with
the tag (or a tag below it) covers it, else 0.

ALPHA: Krippendorff's alpha (nominal): 1 minus observed over chance-expected
disagreement; 1 is perfect agreement, 0 no better than chance, below 0 systematic
disagreement; works for any number of coders, and for articles only some of them coded.
KAPPA: Cohen's kappa, for exactly two coders: agreement beyond chance,
(observed - expected) / (1 - expected), over the articles both coded.
AGREE: percent agreement, the share of characters on which all coders of the article
agree (it ignores chance: a rare tag gives a high share even to careless coders).
"-" means undefined: e.g. no coder used the tag on the compared articles."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "agreement",
        "inter-coder agreement per tag: Krippendorff's alpha, Cohen's kappa, percent",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="T",
        help="only this tag, with the tags below it (repeatable; default: every tag used)",
    )
    p.add_argument(
        "--coders",
        metavar="A,B,...",
        help="the coders to compare, by author name (default: every author)",
    )
    p.add_argument(
        "--article",
        action="append",
        default=[],
        metavar="ID",
        help="only this article (repeatable; default: every article two coders coded)",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_agreement)


def cmd_agreement(args: argparse.Namespace) -> int:
    from tui.core.analysis.agreement import agreement_table, formatted
    from tui.core.annotations.model import normalise_tags
    from tui.core.annotations.selection import select
    from tui.core.workspace import Workspace

    ws = Workspace(resolve(args))
    for article in args.article:
        ws.corpus.get(article)  # an unknown id is an error, not an empty table
    chosen = select(ws.store, ws.corpus)
    among = [c.strip() for c in (args.coders or "").split(",") if c.strip()]
    report = agreement_table(chosen, normalise_tags(args.tag), among, args.article)
    if args.json:
        print_json(report.to_json())
    else:
        rows = [formatted(row) for row in report.rows]
        print(f"coders: {', '.join(report.coders)}")
        lines = format_table(
            ["TAG", "ARTICLES", "CHARS", "ALPHA", "KAPPA", "AGREE"],
            rows,
            width=terminal_width(),
            flexible=(0,),
            right=(1, 2, 3, 4, 5),
        )
        lines[0] = bold(lines[0], is_terminal())
        print("\n".join(lines))
    if report.orphans:
        warn(f"{report.orphans} orphaned annotations left out (no place in the current text)")
    for problem in chosen.problems.values():
        warn(f"error: {problem} (its annotations are not counted)")
    return 2 if chosen.problems else 0
