"""TUI benchmark: first paint, keystroke-to-results, opening a 500 KB article.

Run by hand: ``.venv/bin/python -m bench.tui [--size 10000] [--repeat 5]``. Prints a table.
Each measure is compared, in the same run, with a minimal Textual app (Header,
DataTable, TextArea, Footer). Targets (issue 6): startup on the seeds <= 1.5x the
minimal app; results <= 100 ms after the last keystroke at 10k; open 500 KB <= 300 ms.
The same article with 300 annotations (issue 17, item 9) is timed until its side panel
has painted every entry, next to the plain open and a bare TextArea with the same text.

Startup is measured from process start (a fresh interpreter, imports included) to the
first frame painted with the table's rows, in headless mode, median of ``--repeat``.
Gloss's own modules are byte-compiled first, as Textual's are by pip: otherwise a machine
with PYTHONDONTWRITEBYTECODE set compiles them from source on every start (~10 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.synth import SEEDS, article_text, make_corpus, seed_sentences

REPO = Path(__file__).resolve().parent.parent
QUERIES = [
    "china",
    "trade sanctions",
    "putin",
    "belt and road",
    "semiconductor",
    "economic",
    "military ties",
    "beijing moscow",
    "energy",
    "technology",
]

KEYS = {" ": "space"}
ANNOTATIONS = 300
"""On the 500 KB article: as many as the walkthrough of issue 17 (item 9) left there."""

MINIMAL_APP = """
import time
from textual.app import App
from textual.widgets import DataTable, Footer, Header, TextArea

class Minimal(App[None]):
    def compose(self):
        yield Header()
        yield DataTable()
        yield TextArea()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Title", "Date", "Source", "Words", "Notes")
        for n in range(5):
            table.add_row(f"Article {n}", "2024-01-01", "Source", "500", "0")
        self.call_after_refresh(self.painted)

    def painted(self):
        print(f"PAINTED {time.perf_counter()}", flush=True)
        self.exit()

Minimal().run(headless=True)
"""

GLOSS_APP = """
import time
from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.widgets.article_table import ArticleTable

app = GlossApp(resolve_project())

def check():
    if app.library.corpus is not None and app.library.query_one(ArticleTable).row_count:
        timer.stop()
        app.call_after_refresh(painted)

def painted():
    print(f"PAINTED {time.perf_counter()}", flush=True)
    app.exit()

def first_frame():
    print(f"FRAME {time.perf_counter()}", flush=True)

def started():
    global timer
    timer = app.set_interval(0.002, check)
    app.call_after_refresh(first_frame)

app.call_later(started)
app.run(headless=True)
"""


def startup(code: str, cwd: Path, env: dict[str, str]) -> dict[str, float]:
    """Seconds from spawning the interpreter to each mark the child prints."""
    probe = "import time,sys; sys.stdout.write(f'START {time.perf_counter()}\\n');"
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", probe + code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    # perf_counter is CLOCK_MONOTONIC on Linux: the same clock in parent and child.
    marks = {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if " " in line}
    return {name: value - started for name, value in marks.items() if name != "START"}


def median_startup(code: str, cwd: Path, env: dict[str, str], repeat: int, mark: str) -> float:
    return statistics.median(startup(code, cwd, env)[mark] for _ in range(repeat))


def project(folder: Path, corpus: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotations").mkdir(exist_ok=True)
    (folder / "gloss.toml").write_text(
        f'corpus = "{corpus.as_posix()}"\nannotations = "annotations"\n', encoding="utf-8"
    )
    return folder


async def keystroke_latency(folder: Path, queries: list[str]) -> list[float]:
    """Seconds from the last keystroke of each query to the first frame showing its hits.

    A watcher task runs beside the key presses: ``Pilot.press`` itself returns only once
    the app is idle again, which would add its own wait to the measure.
    """
    from tui.app import GlossApp
    from tui.core.project import resolve_project
    from tui.widgets.search_box import SearchBox

    app = GlossApp(resolve_project(cwd=folder))
    latencies: list[float] = []

    async def shown(query: str) -> float:
        while app.library.hits is None or app.library.hits.query != query:
            await asyncio.sleep(0.0005)
        painted = asyncio.Event()
        app.screen.call_after_refresh(painted.set)
        await painted.wait()
        return time.perf_counter()

    async with app.run_test(size=(120, 40)) as pilot:
        while not app.library.index_ready:
            await asyncio.sleep(0.05)
        box = app.library.query_one(SearchBox)
        box.focus()
        for query in queries:
            box.value = ""
            await app.workers.wait_for_complete()
            await pilot.pause()
            # Type the query as fast as keys come; time from the last keystroke.
            await pilot.press(*(KEYS.get(c, c) for c in query[:-1]))
            watcher = asyncio.create_task(shown(query))
            started = time.perf_counter()
            await pilot.press(KEYS.get(query[-1], query[-1]))
            latencies.append(await watcher - started)
    return latencies


async def open_article(
    folder: Path, article_id: str, repeat: int, annotations: int = 0, every: bool = False
) -> list[float]:
    """Seconds from asking for the reader to the first frame with the article's text in
    the pane and, with ``annotations``, its side panel saying that many (the panel lays
    out its first screen of entries, then the rest); ``every``: until all of them are
    laid out in the panel, and painted."""
    from tui.app import GlossApp
    from tui.core.project import resolve_project
    from tui.screens.reader import ReaderScreen

    app = GlossApp(resolve_project(cwd=folder))
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.library.index_ready:
            await asyncio.sleep(0.05)
        for _ in range(repeat):
            painted = asyncio.Event()
            started = time.perf_counter()
            app.open_reader(article_id)
            while app.screen is app.library or not app.screen.is_mounted:
                await asyncio.sleep(0.001)
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            panel = reader.panel
            while not (
                reader.view.loaded
                and len(panel.entries) >= annotations
                and (not every or panel.option_count >= annotations)
            ):
                await asyncio.sleep(0.001)
            reader.call_after_refresh(painted.set)
            await painted.wait()
            times.append(time.perf_counter() - started)
            await pilot.press("escape")
            await pilot.pause()
    return times


async def minimal_text_area(text: str, repeat: int) -> list[float]:
    """The baseline: a plain TextArea loading the same text, to its first frame."""
    from textual.app import App
    from textual.widgets import TextArea

    app: App[None] = App()
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(repeat):
            painted = asyncio.Event()
            started = time.perf_counter()
            area = TextArea(text, read_only=True, soft_wrap=True)
            await app.screen.mount(area)
            app.screen.call_after_refresh(painted.set)
            await painted.wait()
            times.append(time.perf_counter() - started)
            await area.remove()
            await pilot.pause()
    return times


def big_article(folder: Path, size: int = 500_000) -> str:
    rng = random.Random(11)
    text = article_text(rng, seed_sentences(), size)
    (folder / "big.txt").write_text(text, encoding="utf-8")
    return "big"


def annotate(folder: Path, article_id: str, count: int) -> None:
    """``count`` annotations spread over the article, as an analyst leaves them: a few
    tags with colours, most with a note, some overlapping the one before."""
    from tui.core.annotations.store import NewAnnotation
    from tui.core.project import resolve_project
    from tui.core.workspace import Workspace

    workspace = Workspace(resolve_project(cwd=folder))
    store = workspace.store
    if len(store.load(article_id)) >= count:
        return
    article = workspace.article(article_id)
    rng = random.Random(5)
    tags = ["actor/china", "actor/russia", "sanctions/evasion", "trade", "perf"]
    for tag, colour in zip(
        tags, ("#bf616a", "#98c379", "#d08770", "#61afef", "#c678dd"), strict=True
    ):
        store.set_tag(tag, colour=colour)
    step = len(article.body) // count
    items = []
    for n in range(count):
        start = n * step + rng.randint(0, step // 2)
        if n % 7 == 6:  # overlaps the previous one
            start = max(0, items[-1].end - 10)
        end = min(len(article.body), start + rng.randint(20, 200))
        note = "" if n % 4 == 0 else f"Note {n}: " + article.body[start:end][:60]
        items.append(NewAnnotation(article, start, end, rng.sample(tags, rng.randint(1, 3)), note))
    store.add_many(items)


def row(name: str, value: float, baseline: float | None, target: str) -> tuple[str, ...]:
    ratio = f"{value / baseline:.2f}x" if baseline else ""
    return (name, f"{value * 1000:.0f} ms", ratio, target)


def table(rows: list[tuple[str, ...]]) -> str:
    headers = ("measure", "time", "vs minimal", "target")
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True))
        for r in [headers, tuple("-" * w for w in widths), *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles in the big corpus")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--work",
        type=Path,
        default=None,
        help="keep the generated corpus and index here (default: a temp dir)",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="gloss-bench-"))
    env = {
        **os.environ,
        "GLOSS_CACHE": str(work / "cache"),
        "GLOSS_DATA": str(work / "data"),
        "GLOSS_CONFIG": str(work / "config"),
        "PYTHONPATH": str(REPO),
    }
    os.environ.update({k: env[k] for k in ("GLOSS_CACHE", "GLOSS_DATA", "GLOSS_CONFIG")})
    say: Callable[[str], None] = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731

    seeds_copy = work / "seeds"
    if not seeds_copy.exists():
        shutil.copytree(SEEDS, seeds_copy)
    seeds = project(work / "p-seeds", seeds_copy)
    big = work / f"corpus-{args.size}"
    if not big.exists():
        say(f"generating {args.size} articles in {big} …")
        make_corpus(big, args.size)
    large = project(work / f"p-{args.size}", big)
    with_big = work / "seeds-and-big"
    if not with_big.exists():
        shutil.copytree(SEEDS, with_big)
    article = big_article(with_big)
    reading = project(work / "p-big", with_big)
    annotated = project(work / "p-big-annotated", with_big)
    annotate(annotated, article, ANNOTATIONS)

    compileall.compile_dir(REPO / "tui", quiet=1)
    say("startup: minimal app, then Gloss on the seeds (index warmed first) …")
    minimal = median_startup(MINIMAL_APP, seeds, env, args.repeat, "PAINTED")
    startup(GLOSS_APP, seeds, env)  # builds the seeds' index once
    gloss_frame = median_startup(GLOSS_APP, seeds, env, args.repeat, "FRAME")
    gloss_rows = median_startup(GLOSS_APP, seeds, env, args.repeat, "PAINTED")
    say(f"startup on {args.size} articles (first run builds the index) …")
    cold = startup(GLOSS_APP, large, env)["PAINTED"]
    warm = median_startup(GLOSS_APP, large, env, max(1, args.repeat // 2), "PAINTED")

    say("keystroke-to-results …")
    latencies = asyncio.run(keystroke_latency(large, QUERIES))
    say("opening a 500 KB article …")
    opened = asyncio.run(open_article(reading, article, args.repeat))
    say(f"opening it with {ANNOTATIONS} annotations …")
    opened_annotated = asyncio.run(open_article(annotated, article, args.repeat, ANNOTATIONS))
    every = asyncio.run(open_article(annotated, article, args.repeat, ANNOTATIONS, every=True))
    body = (with_big / f"{article}.txt").read_text(encoding="utf-8")
    baseline_open = asyncio.run(minimal_text_area(body, args.repeat))

    p50 = statistics.median(latencies)
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    rows = [
        row("minimal app: first paint with rows", minimal, None, ""),
        row("library on the seeds: first frame", gloss_frame, minimal, ""),
        row("library on the seeds: rows painted", gloss_rows, minimal, "<= 1.5x minimal"),
        row(f"library on {args.size}: rows painted, cold index", cold, minimal, ""),
        row(f"library on {args.size}: rows painted, warm index", warm, minimal, ""),
        row(f"search p50 after last key ({args.size})", p50, None, "<= 100 ms"),
        row(f"search p95 after last key ({args.size})", p95, None, ""),
        row("minimal TextArea: 500 KB to first frame", statistics.median(baseline_open), None, ""),
        row(
            "reader: open 500 KB article",
            statistics.median(opened),
            statistics.median(baseline_open),
            "<= 300 ms",
        ),
        row(
            f"reader: open it with {ANNOTATIONS} annotations, panel painted",
            statistics.median(opened_annotated),
            statistics.median(baseline_open),
            "<= 300 ms",
        ),
        row(
            f"reader: the same, all {ANNOTATIONS} entries laid out",
            statistics.median(every),
            statistics.median(baseline_open),
            "",
        ),
    ]
    print(table(rows))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
