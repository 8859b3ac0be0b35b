"""`gloss tags`, `gloss tag rename`, `gloss tag describe`: the codebook from scripts."""

from __future__ import annotations

import argparse
from typing import Any

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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(sub, "tags", "list the codebook: every tag with its description and count")
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        metavar="TAG",
        help="only this tag and the tags below it (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_tags)

    p = subcommand(sub, "tag", "rename or describe a tag in the codebook")
    tag_sub = p.add_subparsers(dest="tag_command", metavar="ACTION", required=True)
    q = subcommand(
        tag_sub, "rename", "rename a tag and its whole subtree (merges into NEW if it exists)"
    )
    q.add_argument("old", metavar="OLD")
    q.add_argument("new", metavar="NEW")
    q.set_defaults(handler=cmd_rename)
    q = subcommand(tag_sub, "describe", "set a tag's description (and optionally colour or key)")
    q.add_argument("tag", metavar="TAG")
    q.add_argument("text", metavar="TEXT", help="what the tag means, for whoever codes next")
    q.add_argument("--colour", "--color", metavar="#RRGGBB", help="highlight colour")
    q.add_argument("--key", metavar="K", help="one-character shortcut in the reader")
    q.set_defaults(handler=cmd_describe)


def cmd_tags(args: argparse.Namespace) -> int:
    from tui.core.annotations.model import has_tag
    from tui.core.text import neutralise_controls
    from tui.core.workspace import Workspace

    store = Workspace(resolve(args)).store
    scan = store.scan()
    book = store.codebook()
    counts = store.tag_counts(scan)
    names = [n for n in counts if not args.tag or any(has_tag([n], t) for t in args.tag)]
    entries: list[dict[str, Any]] = []
    for name in names:
        info = book.get(name)
        entries.append(
            {
                "name": name,
                "count": counts[name],
                "description": info.description if info else "",
                "colour": info.colour if info else "",
                "key": info.key if info else "",
            }
        )
    if args.json:
        print_json(entries)
    elif not entries:
        print("no tags")
    else:
        rows = [
            [
                str(e["name"]),
                str(e["count"]),
                str(e["key"]),
                str(e["colour"]),
                neutralise_controls(" ".join(str(e["description"]).split())),
            ]
            for e in entries
        ]
        lines = format_table(
            ["TAG", "COUNT", "KEY", "COLOUR", "DESCRIPTION"],
            rows,
            width=terminal_width(),
            flexible=(4, 0),
            right=(1,),
        )
        lines[0] = bold(lines[0], is_terminal())
        print("\n".join(lines))
    for problem in scan.problems.values():
        warn(f"error: {problem} (its tags are not counted)")
    return 2 if scan.problems else 0


def cmd_rename(args: argparse.Namespace) -> int:
    from tui.core.workspace import Workspace

    count = Workspace(resolve(args)).store.rename_tag(args.old, args.new)
    print(f"renamed {args.old} to {args.new} on {count} annotation{'s' if count != 1 else ''}")
    return 0


def cmd_describe(args: argparse.Namespace) -> int:
    from tui.core.workspace import Workspace

    reserved: dict[str, str] = {}
    if args.key:  # the reader's own keys (textual is imported only for this)
        from tui.keymap import configured_keys, reader_keys

        reserved = reader_keys(configured_keys())
    info = Workspace(resolve(args)).store.set_tag(
        args.tag, description=args.text, colour=args.colour, key=args.key, reserved=reserved
    )
    extra = "".join(f", {k} {v}" for k, v in (("colour", info.colour), ("key", info.key)) if v)
    from tui.core.text import neutralise_controls

    print(neutralise_controls(f"{info.name}: {info.description}{extra}"))
    return 0
