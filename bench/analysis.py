"""Analysis benchmark: KWIC first page, batch coding, and stats, on a 10k synthetic corpus.

Run by hand from the project root (building the 10k index takes about a minute)::

    .venv/bin/python -m bench.analysis              # 10,000 articles
    .venv/bin/python -m bench.analysis --articles 2000 --query security   # quicker
    .venv/bin/python -m bench.analysis --work /tmp/gloss-bench   # keep corpus and index

Targets (issue 14, on a 2-core machine): the first KWIC page of a query with ~10k
matches <= 300 ms; 1,000 matches tagged in one operation <= 2 s; `gloss stats` on
10,000 annotations <= 0.5 s. Each is printed next to a peer: a search's first page of
hits, one `store.add` per annotation, and `gloss annotations --json` reading the same
store. Stats are timed with the parse cache (the usual case) and without it (a first
read). Peak memory of the two commands comes from ``/usr/bin/time -v`` when it exists.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synth import make_corpus  # noqa: E402
from bench.table import print_table  # noqa: E402
from tui.core.analysis.batch import apply_batch, covering_tags, plan_batch  # noqa: E402
from tui.core.analysis.kwic import Kwic  # noqa: E402
from tui.core.analysis.stats import compute  # noqa: E402
from tui.core.annotations.model import Anchored  # noqa: E402
from tui.core.annotations.parsecache import cache_path  # noqa: E402
from tui.core.annotations.selection import select  # noqa: E402
from tui.core.annotations.store import AnnotationStore, NewAnnotation  # noqa: E402
from tui.core.project import resolve_project  # noqa: E402
from tui.core.workspace import Workspace  # noqa: E402

QUERY = "western"
"""About 10k matches in 6.5k of the 10k synthetic articles."""
BATCH = 1000
STATS_ANNOTATIONS = 10_000
PER_ARTICLE = 10
TAGS = (
    "actor/china",
    "actor/russia",
    "actor/us",
    "frame/threat",
    "frame/partnership",
    "economy/trade",
    "economy/sanctions",
    "tech",
)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_of(action: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(action) for _ in range(runs))


def _ok(good: bool) -> str:
    return "ok" if good else "MISSED"


def bench_kwic(ws: Workspace, query: str, rows: list[list[str]]) -> None:
    index, articles = ws.index, ws.corpus.articles.get

    def first_page(sort: str) -> Callable[[], object]:
        def run() -> object:
            index._rankings.clear()  # a new query: nothing ranked yet
            return Kwic(index, query, articles, sort=sort).page(0)

        return run

    def search_page() -> object:
        index._rankings.clear()
        return index.search(query, limit=100)

    first_page("article")()  # warm the searcher and the OS cache
    lines = Kwic(index, query, articles).count()
    matching = Kwic(index, query, articles).articles
    peer = median_of(search_page, 7)
    detail = f"{lines} lines in {matching} articles; search page of 100 hits {peer * 1000:.0f} ms"
    for sort in ("article", "date"):
        took = median_of(first_page(sort), 7)
        rows.append(
            [
                f"kwic '{query}' first page, by {sort}",
                f"{took * 1000:.0f} ms",
                f"{detail} ({took / peer:.2f}x)",
                "<= 300 ms",
                _ok(took <= 0.3),
            ]
        )

    def review_page() -> object:
        """What the review screen reads for its first page: the lines, and the tags
        already covering each (one article's annotations read per article shown)."""
        index._rankings.clear()
        page = Kwic(index, query, articles).page(0)
        placed: dict[str, list[Anchored]] = {}
        for line in page.lines:
            if line.article not in placed:
                placed[line.article] = ws.store.anchored(ws.corpus.get(line.article))
            covering_tags(line, placed[line.article])
        return page

    took = median_of(review_page, 7)
    rows.append(
        [
            "review screen first page (lines + covering tags)",
            f"{took * 1000:.0f} ms",
            f"({took / peer:.2f}x the search page)",
            "<= 300 ms",
            _ok(took <= 0.3),
        ]
    )
    took = median_of(first_page("left"), 3)
    rows.append(
        [
            f"kwic '{query}' first page, by left word",
            f"{took * 1000:.0f} ms",
            "reads every match first (the sort needs them all)",
            "",
            "",
        ]
    )


def bench_batch(ws: Workspace, query: str, rows: list[list[str]]) -> None:
    store, articles = ws.store, ws.corpus.articles
    started = time.perf_counter()
    lines = Kwic(ws.index, query, articles.get).lines(0, BATCH)
    read = time.perf_counter() - started
    plan = plan_batch(lines, ["batch/western"], lambda a: store.anchored(articles[a]))
    planned = time.perf_counter() - started
    made = apply_batch(store, plan, articles.get, summary=f"tag {BATCH} matches")
    took = time.perf_counter() - started
    files = len({a.article for a in made})
    rows.append(
        [
            f"tag {len(made)} matches (one operation)",
            f"{took:.2f} s",
            f"kwic {read:.2f} s, plan {planned - read:.2f} s, write {took - planned:.2f} s; "
            f"{files} files",
            "<= 2 s",
            _ok(took <= 2.0 and len(made) == BATCH),
        ]
    )
    undo = timed(store.undo)
    rows.append([f"undo the {len(made)}", f"{undo:.2f} s", "one gloss undo", "", ""])
    sample = plan.todo[:50]
    singles = AnnotationStore(store.root, articles=articles.get)
    one_by_one = timed(
        lambda: [
            singles.add(articles[p.line.article], p.line.start, p.line.end, p.tags) for p in sample
        ]
    )
    rate = one_by_one / len(sample) * BATCH
    rows.append(
        [
            "peer: store.add one by one",
            f"{rate:.2f} s",
            f"extrapolated from {len(sample)} ({rate / took:.1f}x the batch)",
            "",
            "",
        ]
    )
    for _ in sample:
        singles.undo()


def make_annotations(ws: Workspace, count: int, seed: int = 11) -> None:
    """``count`` annotations, ``PER_ARTICLE`` per article, one store operation."""
    rng = random.Random(seed)
    chosen = sorted(ws.corpus.articles)[: count // PER_ARTICLE]
    items: list[NewAnnotation] = []
    authors = ("ana", "ben", "chen")
    for article_id in chosen:
        article = ws.corpus.articles[article_id]
        for _ in range(PER_ARTICLE):
            start = rng.randrange(0, len(article.body) - 200)
            end = start + rng.randint(20, 180)
            tags = rng.sample(TAGS, rng.randint(1, 2))
            items.append(NewAnnotation(article, start, end, tags))
    for index, author in enumerate(authors):
        store = AnnotationStore(ws.store.root, articles=ws.corpus.articles.get, author=author)
        store.add_many(items[index :: len(authors)], summary=f"bench annotations by {author}")


def bench_stats(ws: Workspace, project: Path, rows: list[list[str]]) -> None:
    make_annotations(ws, STATS_ANNOTATIONS)
    corpus = ws.corpus

    def read_and_count(cold: bool = False) -> object:
        if cold:  # a first read: every TOML file parsed (and the parse cache written)
            cache_path(ws.store.root).unlink(missing_ok=True)
        store = AnnotationStore(ws.store.root, articles=corpus.articles.get)  # nothing in memory
        return compute(select(store, corpus), (), store.codebook())

    selection = select(ws.store, corpus)
    assert len(selection.items) == STATS_ANNOTATIONS, len(selection.items)
    count_only = median_of(lambda: compute(selection, ["actor", "frame", "economy"]), 5)
    cold = median_of(lambda: read_and_count(cold=True), 3)
    whole = median_of(read_and_count, 5)
    rows.append(
        [
            f"stats on {STATS_ANNOTATIONS} annotations",
            f"{whole * 1000:.0f} ms",
            f"read + re-anchor {1000 * (whole - count_only):.0f} ms, count "
            f"{count_only * 1000:.0f} ms",
            "<= 0.5 s",
            _ok(whole <= 0.5),
        ]
    )
    rows.append(
        [
            "  the first read (no parse cache)",
            f"{cold * 1000:.0f} ms",
            "every TOML file parsed, the parse cache written",
            "",
            "",
        ]
    )
    env = {**os.environ}
    gloss = [sys.executable, "-m", "tui"]
    for name, command in (
        ("gloss stats --json", [*gloss, "stats", "--json"]),
        ("peer: gloss annotations --json", [*gloss, "annotations", "--json"]),
    ):
        subprocess.run(command, cwd=project, env=env, check=True, capture_output=True)
        took = median_of(
            lambda c=command: subprocess.run(  # type: ignore[misc]
                c, cwd=project, env=env, check=True, capture_output=True
            ),
            3,
        )
        rows.append([name, f"{took:.2f} s", f"whole command; {_peak(command, project)}", "", ""])


def _peak(command: list[str], cwd: Path) -> str:
    """Peak resident memory of ``command`` (``/usr/bin/time -v``), if that tool exists."""
    if not Path("/usr/bin/time").exists():
        return "peak memory: /usr/bin/time not installed"
    done = subprocess.run(
        ["/usr/bin/time", "-v", *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return f"peak {int(found.group(1)) / 1024:.0f} MB" if found else "peak memory: unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--query", default=QUERY)
    parser.add_argument(
        "--work", type=Path, help="keep the corpus and its index here for the next run"
    )
    options = parser.parse_args()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="gloss-bench-") as folder:
        work = options.work or Path(folder)
        os.environ["GLOSS_CACHE"] = str(work / "cache")
        os.environ["GLOSS_CONFIG"] = str(work / "config")
        os.environ["GLOSS_DATA"] = str(work / "data")
        project = work / f"project-{options.articles}"
        if not (project / "corpus").is_dir():
            make_corpus(project / "corpus", options.articles)
        shutil.rmtree(project / "annotations", ignore_errors=True)
        (project / "gloss.toml").write_text('corpus = "corpus"\nannotations = "annotations"\n')
        ws = Workspace(resolve_project(project / "corpus", project / "annotations"))
        build = timed(lambda: ws.index.refresh(ws.corpus))
        print(f"{options.articles} articles indexed in {build:.0f} s", file=sys.stderr)
        bench_kwic(ws, options.query, rows)
        bench_batch(ws, options.query, rows)
        bench_stats(ws, project, rows)
    headers = ["measure", "value", "detail", "target", ""]
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {options.articles} articles")
    print_table(headers, rows)


if __name__ == "__main__":
    main()
