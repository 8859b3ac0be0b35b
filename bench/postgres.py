"""PostgreSQL search backend benchmark: build and query times next to Whoosh, same run.

Run by hand (10k takes a few minutes, 100k most of an hour on two cores)::

    .venv/bin/python -m bench.postgres                  # 10k, then 100k (last)
    .venv/bin/python -m bench.postgres --sizes 10000    # quicker
    .venv/bin/python -m bench.postgres --url postgresql://me@host/db   # a server of yours
                                                        # (its schemas gloss_bench_* are replaced)
    .venv/bin/python -m bench.postgres --sizes 100000 --work /tmp/gloss-pg   # kept: a re-run
                                                        # reuses corpus, indexes, cluster

Without ``--url`` a throwaway cluster is started in a temporary folder (as the tests do),
with the memory a small team server would have (shared_buffers 1 GB). Corpora come from
:mod:`bench.synth` (~5 KB an article). For each size it prints: the cold build of both
engines (docs/s, peak RSS of the building process, size on disk), the no-change and
one-file ``gloss index``, a whole ``gloss search`` process against the database (wall
time, peak RSS from ``/usr/bin/time -v``), each query kind's p50/p95 in-process (each
sample ranks anew), and the same queries from 4 concurrent client processes. Targets
(issue 16, 100k): term/phrase/boolean p50 <= 50 ms, and with 4 clients <= 2x that.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.search import QUERIES, percentiles  # noqa: E402
from bench.synth import make_corpus  # noqa: E402
from bench.table import print_table  # noqa: E402

SCHEMA = "gloss_bench"
CLIENTS = 4
TARGET_MS = 50.0
SERVER = "-c shared_buffers=1GB -c effective_cache_size=4GB -c max_parallel_workers_per_gather=2"


def _corpus(root: Path) -> Any:
    from tui.core.corpus.catalogue import Catalogue
    from tui.core.corpus.load import Corpus

    corpus = Corpus(Catalogue(root))
    corpus.refresh()
    return corpus


def _whoosh(root: Path, work: Path) -> Any:
    from tui.core.search.index import SearchIndex

    return SearchIndex(root, folder=work / f"whoosh-{root.name}", corpus=_corpus(root))


def _postgres(root: Path, url: str) -> Any:
    from tui.core.search.pg.backend import PostgresIndex

    return PostgresIndex(url, root, corpus=_corpus(root))


def _build(engine: str, root: str, where: str) -> None:
    """A cold build (``--build``, in a process of its own): prints seconds and the peak
    RSS in MB of the process and, separately, of its worker processes."""
    index = _whoosh(Path(root), Path(where)) if engine == "whoosh" else _postgres(Path(root), where)
    started = time.perf_counter()
    index.refresh(publish=True)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(json.dumps([seconds, own, workers]))


def _in_child(engine: str, root: Path, where: str) -> tuple[float, int, int]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.postgres", "--build", engine, str(root), where],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, own, workers = json.loads(done.stdout.strip().splitlines()[-1])
    return float(seconds), int(own), int(workers)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _samples(index: Any, query: str, count: int) -> list[float]:
    index.search(query, limit=20)  # warm the parser, the caches, the connection
    samples = []
    for _ in range(count):
        if hasattr(index, "_rankings"):
            index._rankings.clear()  # each Whoosh sample ranks anew, as PostgreSQL does
        samples.append(_timed(lambda: index.search(query, limit=20)))
    return samples


def _client(engine: str, root: str, where: str, barrier: Any, rounds: int) -> dict[str, float]:
    """One of the concurrent clients: every query ``rounds`` times; p50 per query kind."""
    index = _whoosh(Path(root), Path(where)) if engine == "whoosh" else _postgres(Path(root), where)
    for _, query, _ in QUERIES:
        index.search(query, limit=20)
    barrier.wait()
    found: dict[str, list[float]] = {query: [] for _, query, _ in QUERIES}
    for _ in range(rounds):
        for _, query, _ in QUERIES:
            if hasattr(index, "_rankings"):
                index._rankings.clear()
            found[query].append(_timed(lambda q=query: index.search(q, limit=20)))
    return {query: statistics.median(times) for query, times in found.items()}


def _concurrent(engine: str, root: Path, where: str, rounds: int) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(CLIENTS)
    with context.Pool(CLIENTS) as pool:
        runs = [
            pool.apply_async(_client, (engine, str(root), where, barrier, rounds))
            for _ in range(CLIENTS)
        ]
        results = [run.get(timeout=3600) for run in runs]
    return {kind: statistics.median(r[kind] for r in results) for kind in results[0]}


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


@contextmanager
def _session(url: str) -> Iterator[tuple[Any, str]]:
    """A connection to the bench server (autocommit) and the schema ``url`` names."""
    import psycopg

    from tui.core.search.pg.connect import Target

    target = Target.parse(url)
    with psycopg.connect(target.conninfo, autocommit=True) as conn:
        yield conn, target.schema


def _schema_mb(url: str) -> float:
    with _session(url) as (conn, schema):
        row = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
            (schema,),
        ).fetchone()
    return float(row[0] or 0) / 1e6 if row else 0.0


def _drop(url: str) -> None:
    """Drop the bench schema, so the next build is a first load, not an update of rows
    that are already there (a ``--cold`` re-run once timed 1.4 s for 100k that way)."""
    with _session(url) as (conn, schema):
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _loaded(url: str, count: int) -> bool:
    """Whether the schema holds a finished load of ``count`` articles (a kept run's)."""
    import psycopg

    from tui.core.search.pg.schema import FORMAT

    try:
        with _session(url) as (conn, schema):
            meta = dict(conn.execute(f"SELECT key, value FROM {schema}.meta").fetchall())
    except psycopg.Error:
        return False
    return (
        meta.get("format") == FORMAT and "indexed_at" in meta and meta.get("articles") == str(count)
    )


def _gloss_search(root: Path, url: str, repeat: int = 3) -> tuple[float, float]:
    """Wall seconds (median) and peak RSS in MB (largest) of a whole ``gloss search``
    process against the database, from GNU time."""
    from bench.scale import best_of

    env = {**os.environ, "GLOSS_SEARCH": url}
    command = [sys.executable, "-m", "tui", "--corpus", str(root), "search", "china"]
    best_of(1, [*command, "--limit", "20"], env)  # warms the OS cache
    run = best_of(repeat, [*command, "--limit", "20"], env)
    return run.seconds, run.rss_mb


def bench_size(count: int, work: Path, server: str, rows: list[list[str]], cold: bool) -> None:
    """One corpus size; what a kept ``--work`` folder holds (corpus, Whoosh index, loaded
    schema) is reused unless ``cold``, so a re-run only re-measures."""
    label = f"{count // 1000}k"
    url = server + ("&" if "?" in server else "?") + f"schema={SCHEMA}_{label}"
    root = work / f"corpus-{count}"
    if not root.exists():
        make_corpus(root, count)
    _corpus(root)  # the catalogue both engines read, made once (not timed)
    folder = work / f"whoosh-{root.name}"
    done = work / f"whoosh-{root.name}.built"
    reuse = {"whoosh": not cold and done.exists(), "postgres": not cold and _loaded(url, count)}
    if not reuse["whoosh"]:
        shutil.rmtree(folder, ignore_errors=True)
    if not reuse["postgres"]:
        _drop(url)
    for engine, where in (("whoosh", str(work)), ("postgres", url)):
        size = _folder_mb(folder) if engine == "whoosh" and reuse[engine] else 0.0
        if reuse[engine]:
            size = size or _schema_mb(url)
            rows.append(
                [label, f"cold build, {engine}", "reused", f"{size:.0f} MB on disk", "", ""]
            )
            continue
        seconds, rss, workers = _in_child(engine, root, where)
        size = _folder_mb(folder) if engine == "whoosh" else _schema_mb(url)
        if engine == "whoosh":
            done.write_text(f"{count}\n", encoding="utf-8")
        rows.append(
            [
                label,
                f"cold build, {engine}",
                f"{seconds:.1f} s",
                f"{count / seconds:.0f} docs/s, peak RSS {rss} MB (workers {workers} MB), "
                f"{size:.0f} MB on disk",
                "",
                "",
            ]
        )

    postgres = _postgres(root, url)
    same = statistics.median(_timed(lambda: postgres.refresh(publish=True)) for _ in range(3))
    rows.append([label, "gloss index, no change", f"{same:.2f} s", "postgres", "", ""])
    edited = sorted(root.rglob("*.txt"))[7]
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\nA zebra.\n", encoding="utf-8")
    try:
        one = _timed(lambda: _postgres(root, url).refresh(publish=True))
    finally:  # the kept corpus and database stay as built
        edited.write_text(original, encoding="utf-8")
    _postgres(root, url).refresh(publish=True)
    rows.append([label, "gloss index, one file", f"{one:.2f} s", "postgres", "", ""])
    wall, rss = _gloss_search(root, url)
    rows.append(
        [label, "`gloss search china` process", f"{wall * 1000:.0f} ms",
         f"peak RSS {rss:.0f} MB (/usr/bin/time -v, against the database)", "", ""]
    )  # fmt: skip

    whoosh = _whoosh(root, work)
    whoosh.refresh()
    postgres = _postgres(root, url)
    samples = 20 if count >= 100_000 else 30
    for kind, query, _ in QUERIES:
        w50, _ = percentiles(_samples(whoosh, query, samples))
        p50, p95 = percentiles(_samples(postgres, query, samples))
        totals = (whoosh.search(query, limit=1).total, postgres.search(query, limit=1).total)
        targeted = kind in ("term", "phrase", "boolean")
        rows.append(
            [
                label,
                f"query {kind}" + (f" {query}" if kind == "fuzzy" else ""),
                f"{p50 * 1000:.1f} ms",
                f"p95 {p95 * 1000:.1f} ms; whoosh {w50 * 1000:.1f} ms "
                f"(= {p50 / w50:.1f}x); {totals[1]} hits"
                + ("" if totals[0] == totals[1] else f" (WHOOSH {totals[0]})"),
                f"<= {TARGET_MS:.0f} ms" if targeted else "",
                ("ok" if p50 * 1000 <= TARGET_MS else "MISSED") if targeted else "",
            ]
        )
    postgres.close()

    rounds = 5 if count >= 100_000 else 10
    single = {query: 0.0 for _, query, _ in QUERIES}
    for _, query, _ in QUERIES:
        single[query] = percentiles(_samples(_postgres(root, url), query, 10))[0]
    concurrent = _concurrent("postgres", root, url, rounds)
    concurrent_whoosh = _concurrent("whoosh", root, str(work), rounds)
    for kind, query, _ in QUERIES:
        ratio = concurrent[query] / single[query] if single[query] else 0.0
        targeted = kind in ("term", "phrase", "boolean")
        rows.append(
            [
                label,
                f"{CLIENTS} clients, {kind}" + (f" {query}" if kind == "fuzzy" else ""),
                f"{concurrent[query] * 1000:.1f} ms",
                f"{ratio:.1f}x one client; whoosh {CLIENTS} processes "
                f"{concurrent_whoosh[query] * 1000:.1f} ms",
                "<= 2x, <= 100 ms" if targeted else "",
                ("ok" if ratio <= 2 and concurrent[query] <= 2 * TARGET_MS / 1000 else "MISSED")
                if targeted
                else "",
            ]
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--url", help="an existing server (its schemas gloss_bench_* are replaced)")
    parser.add_argument(
        "--work",
        type=Path,
        help="keep the corpora, the Whoosh indexes and the cluster here; a re-run reuses them "
        "and only re-measures",
    )
    parser.add_argument("--cold", action="store_true", help="rebuild what --work holds")
    parser.add_argument("--build", nargs=3, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build:
        _build(*options.build)
        return
    work = options.work or Path(tempfile.mkdtemp(prefix="gloss-bench-pg-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("GLOSS_CACHE", str(work / "cache"))
    cluster = None
    url = options.url
    if url is None:
        from tests.postgres import start_cluster

        cluster = start_cluster(SERVER, work / "cluster" if options.work else None)
        url = cluster.url()
    rows: list[list[str]] = []
    try:
        for count in sorted(options.sizes):  # the largest last: it loads the machine most
            bench_size(count, work, url, rows, options.cold)
            print_table(["size", "measure", "value", "notes", "target", ""], rows)
            print()
    finally:
        if cluster is not None:
            cluster.stop(keep=options.work is not None)
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
