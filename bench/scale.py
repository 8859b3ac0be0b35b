"""Scale benchmark: Gloss at 1k, 10k and 100k articles next to SQLite FTS5, ripgrep and
tantivy, measured in the same run (issue 12's targets, printed beside each figure).

Run by hand on a quiet machine; 100k takes a while (a cold build, then warm queries)::

    .venv/bin/python -m bench.scale                          # 1k and 10k
    .venv/bin/python -m bench.scale --sizes 1000 10000 100000 --work /tmp/gloss-scale
    .venv/bin/pip install tantivy                            # optional peer

``--work`` keeps the corpora (and the peers' indexes) between runs; Gloss's own cache
folder is emptied before each cold build. Whole-process figures (a command from start
to exit) come from ``/usr/bin/time -v`` (wall time and peak RSS of the largest process);
in-process figures are medians of repeated calls. Peers: ``rg -il`` scans the files as
they are, FTS5 (Python's sqlite3, porter tokenizer) and tantivy (its Python binding, en
stemmer) index the same bodies.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synth import make_corpus  # noqa: E402
from bench.table import print_table  # noqa: E402

QUERIES = {
    "term": ("china", "china", "china"),
    "phrase": ('"economic ties"', '"economic ties"', '"economic ties"'),
    "boolean": (
        "china AND (sanctions OR semiconductors) NOT taiwan",
        "china AND (sanctions OR semiconductors) NOT taiwan",
        "+china +(sanctions semiconductors) -taiwan",
    ),
    "date range": ("putin date:[2022-01-01 TO 2022-12-31]", None, None),
}
"""kind: (Gloss query, FTS5 MATCH, tantivy query); None where the peer has no such query."""
Row = list[str]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--work", type=Path, help="keep corpora here (default: a temp folder)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per whole-process figure")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="reuse the indexes a run left in --work: skip the cold builds, measure the rest",
    )
    options = parser.parse_args()
    if options.warm and options.work is None:
        parser.error("--warm needs --work (the folder a previous run kept)")
    rows: list[Row] = []
    work = options.work or Path(tempfile.mkdtemp(prefix="gloss-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, float]] = {}
    for count in options.sizes:
        results[count] = bench_size(work, count, options.repeat, rows, options.warm)
    ratios(results, rows)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, work folder {work}")
    print_table(["size", "measure", "gloss", "peer", "ratio / note", "target", ""], rows)
    if options.work is None:
        shutil.rmtree(work, ignore_errors=True)


def bench_size(
    work: Path, count: int, repeat: int, rows: list[Row], warm: bool = False
) -> dict[str, float]:
    label = f"{count // 1000}k"
    corpus = work / f"corpus-{count}"
    if not corpus.exists():
        make_corpus(corpus, count)
    cache = work / f"cache-{count}"
    warm = warm and cache.exists() and _fts_db(work, corpus).exists()
    if not warm:
        shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "GLOSS_CACHE": str(cache)}
    gloss = [sys.executable, "-m", "tui", "--corpus", str(corpus)]
    big = count >= 100_000
    found: dict[str, float] = {}
    if not warm:
        _cold_builds(label, corpus, work, gloss, env, big, rows)  # the first row

    # -- warm whole-process search ------------------------------------------------------
    measured([*gloss, "search", "china", "--limit", "20"], env)  # warms the OS cache
    search = best_of(repeat, [*gloss, "search", "china", "--limit", "20"], env)
    rg = best_of(repeat, ["rg", "-il", "china", str(corpus)]) if shutil.which("rg") else None
    fts = best_of(
        repeat,
        [sys.executable, __file__, "--peer", "fts5-query", "china", str(_fts_db(work, corpus))],
    )
    found["search"] = search.seconds
    peer = f"rg -il {rg.seconds * 1000:.0f} ms; " if rg else ""
    peer += f"FTS5 {fts.seconds * 1000:.0f} ms"
    ratio = f"{search.seconds / rg.seconds:.2f}x rg" if rg else ""
    rows.append(
        [
            label,
            "warm `gloss search china`",
            f"{search.seconds * 1000:.0f} ms, {search.rss_mb:.0f} MB",
            peer,
            ratio,
            "<= 0.5 s, <= 250 MB, < rg" if big else ("< rg" if count >= 10_000 else ""),
            _ok(
                (not big or (search.seconds <= 0.5 and search.rss_mb <= 250))
                and (count < 10_000 or rg is None or search.seconds < rg.seconds)
            )
            if count >= 10_000
            else "",
        ]
    )

    # -- in process ----------------------------------------------------------------------
    os.environ["GLOSS_CACHE"] = str(cache)
    from tui.core.search.index import SearchIndex

    index = SearchIndex(corpus)
    index.refresh()
    peer_fts = _fts_times(_fts_db(work, corpus))
    targets = {"term": 0.06, "phrase": 0.15, "boolean": 0.15, "date range": 0.10}
    for kind, (query, fts_query, _) in QUERIES.items():
        index.search(query, limit=20)
        samples = [_timed(lambda q=query: _unranked(index, q)) for _ in range(15)]
        p50 = statistics.median(samples)
        total = index.search(query, limit=20).total
        fts_p50 = peer_fts(fts_query) if fts_query else None
        rows.append(
            [
                label,
                f"in-process {kind} p50",
                f"{p50 * 1000:.1f} ms ({total} hits)",
                f"FTS5 {fts_p50 * 1000:.1f} ms" if fts_p50 is not None else "",
                f"{p50 / fts_p50:.1f}x FTS5" if fts_p50 else "",
                f"<= {targets[kind] * 1000:.0f} ms" if big else "",
                _ok(p50 <= targets[kind]) if big else "",
            ]
        )

    # -- freshness -------------------------------------------------------------------------
    # A large corpus checked in full lately is checked by folder (Catalogue.refresh);
    # `gloss index` and the app's watcher stat every file: both are measured.
    fresh = statistics.median(_timed(lambda: SearchIndex(corpus).refresh()) for _ in range(5))
    every = statistics.median(_timed(lambda: _refresh(corpus, every_file=True)) for _ in range(3))
    found["fresh"] = fresh
    for measure, seconds in (
        ("no-change freshness (new process state)", fresh),
        ("no-change freshness, a stat per file", every),
    ):
        rows.append(
            [label, measure, f"{seconds * 1000:.0f} ms", "", "", "<= 0.5 s" if big else "",
             _ok(seconds <= 0.5) if big else ""]
        )  # fmt: skip
    edited = next(corpus.rglob("article00007.txt"))
    original = edited.read_text(encoding="utf-8")
    for measure, in_place in (
        ("one-file update (saved by rename)", False),
        ("one-file update in place (`gloss index`)", True),
    ):
        updates = []
        for round_ in range(3):
            text = original + f"\nA zebra {round_}{in_place}.\n"
            if in_place:
                edited.write_text(text, encoding="utf-8")
            else:  # how editors, downloaders and git write: a new file renamed over it
                temp = edited.with_name(".article00007.txt.tmp")
                temp.write_text(text, encoding="utf-8")
                os.replace(temp, edited)
            started = time.perf_counter()
            report = _refresh(corpus, every_file=True if in_place else None)
            updates.append(time.perf_counter() - started)
            assert report.updated == 1, f"{measure}: the edit was not seen ({report})"
        edited.write_text(original, encoding="utf-8")
        _refresh(corpus, every_file=True)
        update = statistics.median(updates)
        rows.append(
            [label, measure, f"{update * 1000:.0f} ms", "", "", "<= 0.5 s", _ok(update <= 0.5)]
        )

    # -- gloss list --json, first row --------------------------------------------------------
    first = statistics.median(_first_row([*gloss, "list", "--json"], env) for _ in range(3))
    rows.append(
        [
            label,
            "`gloss list --json` first row",
            f"{first * 1000:.0f} ms",
            "",
            "",
            "< 0.5 s" if big else "",
            _ok(first < 0.5) if big else "",
        ]
    )
    return found


def _cold_builds(
    label: str,
    corpus: Path,
    work: Path,
    gloss: list[str],
    env: dict[str, str],
    big: bool,
    rows: list[Row],
) -> None:
    """The cold build of Gloss and of each peer, one row."""
    count = sum(1 for _ in corpus.rglob("*.txt"))
    build = measured([*gloss, "index"], env)
    rate = count / build.seconds
    fts_build = measured([sys.executable, __file__, "--peer", "fts5-build", str(corpus), str(work)])
    tantivy_build = (
        measured([sys.executable, __file__, "--peer", "tantivy-build", str(corpus), str(work)])
        if _has_tantivy()
        else None
    )
    peers = f"FTS5 {fts_build.seconds:.1f} s {fts_build.rss_mb:.0f} MB"
    if tantivy_build is not None:
        peers += f"; tantivy {tantivy_build.seconds:.1f} s {tantivy_build.rss_mb:.0f} MB"
    rows.append(
        [
            label,
            "cold `gloss index`",
            f"{build.seconds:.1f} s, {rate:.0f} docs/s, {build.rss_mb:.0f} MB",
            peers,
            f"{build.seconds / fts_build.seconds:.1f}x FTS5",
            ">= 600 docs/s, <= 1 GB" if big else "",
            _ok(rate >= 600 and build.rss_mb <= 1024) if big else "",
        ]
    )


def ratios(results: dict[int, dict[str, float]], rows: list[Row]) -> None:
    """How whole-process search and freshness grow from 10k to 100k (target: < 2x)."""
    if 10_000 in results and 100_000 in results:
        small, large = results[10_000], results[100_000]
        for name in ("search", "fresh"):
            growth = large[name] / small[name]
            rows.append(
                ["10k->100k", f"{name} grows", f"{growth:.2f}x", "", "", "< 2x", _ok(growth < 2)]
            )


# -- measuring -------------------------------------------------------------------------------


class Measured:
    def __init__(self, seconds: float, rss_mb: float) -> None:
        self.seconds = seconds
        self.rss_mb = rss_mb


def measured(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Wall time and peak RSS of one whole command, from GNU time."""
    result = subprocess.run(
        ["/usr/bin/time", "-v", *command],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if result.returncode not in (0, 1, 2):
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+\.\d+)", result.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    assert wall and rss, result.stderr[-2000:]
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return Measured(total, int(rss.group(1)) / 1024)


def best_of(repeat: int, command: list[str], env: dict[str, str] | None = None) -> Measured:
    """The median run of ``repeat`` (wall time), with the largest peak RSS seen."""
    runs = [measured(command, env) for _ in range(repeat)]
    return Measured(statistics.median(run.seconds for run in runs), max(run.rss_mb for run in runs))


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _refresh(corpus: Path, every_file: bool | None) -> Any:
    """A new process's index refresh: its corpus checked by file or by folder."""
    from tui.core.corpus.catalogue import Catalogue
    from tui.core.corpus.load import Corpus
    from tui.core.search.index import SearchIndex

    fresh = Corpus(Catalogue(corpus))
    fresh.refresh(every_file=every_file)
    return SearchIndex(corpus, corpus=fresh).refresh(corpus=fresh)


def _unranked(index: object, query: str) -> None:
    """A search that ranks anew (a kept ranking only serves the same query's next page)."""
    index._rankings.clear()  # type: ignore[attr-defined]
    index.search(query, limit=20)  # type: ignore[attr-defined]


def _first_row(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    with subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        while True:
            line = process.stdout.readline()
            if not line or line.strip().startswith(b"{"):
                break
        seconds = time.perf_counter() - started
        process.kill()
    return seconds


# -- peers -------------------------------------------------------------------------------------


def _bodies(corpus: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(corpus.rglob("*.txt")):
        yield str(path.relative_to(corpus)), path.read_text(encoding="utf-8")


def fts5_build(corpus: Path, work: Path) -> None:
    db_path = _fts_db(work, corpus)
    db_path.unlink(missing_ok=True)
    db = sqlite3.connect(db_path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='porter')")
    with db:
        db.executemany("INSERT INTO docs VALUES (?, ?)", _bodies(corpus))
    db.close()


def _fts_db(work: Path, corpus: Path) -> Path:
    return work / f"fts5-{corpus.name}.sqlite"


def fts5_query(query: str, db_path: Path) -> None:
    db = sqlite3.connect(db_path)
    rows = db.execute(
        "SELECT path FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20", (query,)
    ).fetchall()
    total = db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (query,)).fetchone()
    print(len(rows), total[0])


def _fts_times(db_path: Path) -> Callable[[str], float]:
    db = sqlite3.connect(db_path)

    def p50(query: str) -> float:
        def run() -> None:
            db.execute(
                "SELECT path, snippet(docs, 1, '[', ']', '…', 12) FROM docs WHERE docs MATCH ? "
                "ORDER BY rank LIMIT 20",
                (query,),
            ).fetchall()
            db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (query,)).fetchone()

        run()
        return statistics.median(_timed(run) for _ in range(15))

    return p50


def _has_tantivy() -> bool:
    try:
        import tantivy  # noqa: F401
    except ImportError:
        return False
    return True


def tantivy_build(corpus: Path, work: Path) -> None:
    import tantivy

    folder = work / f"tantivy-{corpus.name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("path", stored=True)
    builder.add_text_field("body", tokenizer_name="en_stem")
    index = tantivy.Index(builder.build(), path=str(folder))
    writer = index.writer()
    for path, body in _bodies(corpus):
        writer.add_document(tantivy.Document(path=path, body=body))
    writer.commit()


def peer(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "fts5-build":
        fts5_build(Path(rest[0]), Path(rest[1]))
    elif kind == "fts5-query":
        fts5_query(rest[0], Path(rest[1]))
    elif kind == "tantivy-build":
        tantivy_build(Path(rest[0]), Path(rest[1]))


def _ok(good: bool) -> str:
    return "ok" if good else "MISSED"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--peer":
        peer(sys.argv[2:])
    else:
        main()
