"""`gloss index`, `gloss search`, `gloss similar`: the search index from the command line.

Whoosh and the index are imported inside the handlers so `gloss list` does not load
them, and nothing here imports Textual.
"""

from __future__ import annotations

import argparse
import time
from typing import TYPE_CHECKING

from tui.cli.common import (
    EXIT_INTERRUPTED,
    bold,
    is_terminal,
    positive,
    print_json,
    resolve,
    subcommand,
    terminal_width,
    truncate,
    warn,
)
from tui.core.text import neutralise_controls

if TYPE_CHECKING:
    from tui.cli.progress import Progress
    from tui.core.corpus.load import Corpus
    from tui.core.search.backend import SearchBackend
    from tui.core.search.hits import Hit, RefreshReport, SearchResult
    from tui.core.workspace import Workspace

QUERY_HELP = """\
query language (case-insensitive; words are stemmed, so "sanctions" finds "sanction"):
  china russia                 both words (AND is the default)
  china OR taiwan              either word;  NOT, AND, OR and (parentheses) combine
  china NOT (taiwan OR japan)  exclude articles
  "economic ties"              an exact phrase;  "china russia"~3: within 3 words
  semicond*   chip?            wildcards: * any letters, ? one letter
  Putn~  Putn~2                fuzzy: up to 1 (or 2) letters different
  title:putin  source:reuters  author:smith  tag:actor/china  (tag:actor finds actor/...)
  date:2023   date:2024-04   date:2024-04-26
  date:[2024-01-01 TO 2024-12-31]   date:>2023-06-01   date:<=2022
  note:sanctions               words in annotation notes
  memo:revisit                 words in article memos (gloss memo)
  annotated:yes  annotated:no  annotated:actor   articles with/without annotations, or by tag

examples:
  gloss search 'semiconductors AND date:>2023-06-01'
  gloss search '"joint statement" NOT source:reuters' --sort date
  gloss search 'annotated:actor/china' --json | jq '.[].id'
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subcommand(
        sub,
        "index",
        "bring the search index up to date (it also updates itself)",
        description="Update the search index of the corpus: reads only files whose "
        "size or date changed. The index lives in the user cache folder (GLOSS_CACHE), "
        'never in the corpus; with search = "postgresql://..." in gloss.toml (or '
        "GLOSS_SEARCH) it is the tables of that database, and this is the command that "
        "loads them (only what changed).",
    )
    p.add_argument("--rebuild", action="store_true", help="rebuild it from scratch")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.set_defaults(handler=cmd_index)

    p = subcommand(
        sub,
        "search",
        "search the corpus",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=QUERY_HELP,
        description="Search the corpus; the index is brought up to date first.",
    )
    p.add_argument("query", metavar="QUERY", help="what to look for (see the query language below)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON: id, title, source, date, score, snippet and spans "
        "([start, end] offsets into the body of `gloss show ID --json`)",
    )
    p.add_argument(
        "--limit", type=positive, default=20, metavar="N", help="show at most N hits (default 20)"
    )
    p.add_argument(
        "--sort",
        choices=["score", "date", "title"],
        default="score",
        help="by relevance (default), date (newest first, undated last) or title",
    )
    p.set_defaults(handler=cmd_search)

    p = subcommand(sub, "similar", "articles most like one article")
    p.add_argument("id", metavar="ID", help="article id, as `gloss list` prints it")
    p.add_argument("--json", action="store_true", help="print JSON like `gloss search --json`")
    p.add_argument(
        "--limit",
        type=positive,
        default=10,
        metavar="N",
        help="show at most N articles (default 10)",
    )
    p.set_defaults(handler=cmd_similar)


def _open(
    args: argparse.Namespace, rebuild: bool = False, publish: bool = False
) -> tuple[SearchBackend, RefreshReport]:
    """The project's index, refreshed, with progress on stderr for big updates.
    ``publish`` (`gloss index`) also stats every file, where other commands may trust a
    large corpus's folder times (see ``Catalogue.refresh``)."""
    from tui.cli.progress import Progress
    from tui.core.workspace import Workspace

    progress = Progress()
    try:
        every_file = True if publish else None
        workspace = Workspace(
            resolve(args), progress=progress.stage("reading"), every_file=every_file
        )
        return open_index(workspace, rebuild=rebuild, progress=progress, publish=publish)
    finally:
        progress.clear()


def open_index(
    ws: Workspace,
    rebuild: bool = False,
    corpus: Corpus | None = None,
    progress: Progress | None = None,
    publish: bool = False,
) -> tuple[SearchBackend, RefreshReport]:
    """The workspace's index, refreshed (on ``corpus`` when the command loaded it), with
    progress on stderr for big updates; notices and problems on stderr. ``publish``:
    `gloss index`, the one command that writes a shared (PostgreSQL) index."""
    from tui.cli.progress import Progress

    own = progress is None
    progress = progress or Progress()
    try:
        index = ws.index  # the corpus's catalogue is refreshed first ("reading")
        # The workspace's corpus is fresh already: passing it saves a second stat scan.
        report = index.refresh(
            corpus=corpus or ws.corpus,
            rebuild=rebuild,
            progress=progress.stage("indexing"),
            publish=publish,
        )
    finally:
        if own:
            progress.clear()
    for notice in report.notices:
        warn(notice)
    for problem in report.problems.values():
        warn(f"error: {problem}")
    return index, report


def cmd_index(args: argparse.Namespace) -> int:
    from tui.core.search.build import BuildInterrupted

    started = time.perf_counter()
    try:
        index, report = _open(args, rebuild=args.rebuild, publish=True)
    except (BuildInterrupted, KeyboardInterrupt) as exc:
        # What was committed stays: the next `gloss index` carries on from there.
        done = f": {exc}" if isinstance(exc, BuildInterrupted) else ""
        warn(f"interrupted{done or '; run `gloss index` again to continue'}")
        return EXIT_INTERRUPTED
    seconds = time.perf_counter() - started
    rate = report.indexed / seconds if seconds > 0 else 0.0
    if args.json:
        print_json(
            {
                "articles": report.total,
                "indexed": report.indexed,
                "added": report.added,
                "updated": report.updated,
                "deleted": report.deleted,
                "unchanged": report.unchanged,
                "problems": len(report.problems),
                "rebuilt": report.rebuilt,
                "seconds": round(seconds, 3),
                "docs_per_second": round(rate, 1),
                "index": index.location,
            }
        )
    else:
        changes = f"{report.added} added, {report.updated} updated, {report.deleted} deleted"
        unreadable = len(report.problems)
        left_out = f"; {unreadable} file{'s' * (unreadable != 1)} could not be read (above)"
        print(
            f"{report.indexed} articles indexed in {seconds:.2f} s ({rate:.0f} docs/s); "
            f"{report.total} in the index ({changes}){left_out if unreadable else ''}"
        )
    return 2 if report.problems else 0


def cmd_search(args: argparse.Namespace) -> int:
    from tui.core.search.query import QueryError

    index, _ = _open(args)
    try:
        result = index.search(args.query, limit=args.limit, sort=args.sort)
    except QueryError as exc:  # the message gives a column: say of which query
        raise QueryError(f"query {args.query!r}: {exc}") from None
    _print(result, args.json)
    return 0


def cmd_similar(args: argparse.Namespace) -> int:
    index, _ = _open(args)
    _print(index.similar(args.id, limit=args.limit), args.json)
    return 0


def _print(result: SearchResult, as_json: bool) -> None:
    for notice in result.notices:
        warn(notice)
    if as_json:
        print_json([hit.to_json() for hit in result.hits])
    else:
        styled = is_terminal()
        width = terminal_width()
        for rank, hit in enumerate(result.hits, 1):
            head = f"{rank:>2}. "
            print(head + truncate(neutralise_controls(hit.title), width - len(head)))
            print("    " + truncate(_meta(hit), width - 4))
            print("    " + _snippet(hit, width - 4, styled))
        if styled and result.hits and result.total > len(result.hits):
            warn(f"{len(result.hits)} of {result.total} matching articles (--limit for more)")
    if not result.total:  # said on stderr: stdout stays empty (or []) for scripts
        hint = f"; did you mean: {result.suggestion}" if result.suggestion else ""
        warn(f"no matches for {result.query!r}{hint}")


def _meta(hit: Hit) -> str:
    """``date · source · id``: what to pass to `gloss show`."""
    parts = [hit.date.isoformat() if hit.date else "undated", hit.source or "", hit.id]
    return neutralise_controls(" · ".join(part for part in parts if part))


def _snippet(hit: Hit, width: int, styled: bool) -> str:
    """The snippet cut to one terminal line, matches in bold on a terminal only."""
    text = truncate(hit.snippet, width)
    if not styled:
        return text
    out: list[str] = []
    last = 0
    for start, end in hit.snippet_spans:
        if start >= len(text) or start < last:
            continue
        end = min(end, len(text))
        out.append(text[last:start])
        out.append(bold(text[start:end], True))
        last = end
    out.append(text[last:])
    return "".join(out)
