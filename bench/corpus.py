"""Corpus loading benchmark: seeds, 1k and 10k synthetic articles (~5 KB each).

Run by hand: ``.venv/bin/python -m bench.corpus [--sizes 1000 10000]``. Prints a table.
Targets (issue 3): seeds well under 100 ms; 10k loads reading every file exactly once.
Rows marked "cached" load through the parsed-article cache (tui/core/corpus/cache.py), as
every start after the first does: no file is read, only stat-ed.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.synth import SEEDS, make_corpus
from tui.core.corpus import load as corpus_module
from tui.core.corpus.cache import load_cached, save_cached
from tui.core.corpus.load import Corpus, load_corpus

HOUR_NS = 3600 * 1_000_000_000


def timed_load(folder: Path, repeat: int) -> tuple[list[float], int, int]:
    """Load times (s), articles loaded, and how many file reads the last load made."""
    times: list[float] = []
    reads = 0
    original = Path.read_bytes
    for _ in range(repeat):
        reads = 0

        def counting(self: Path) -> bytes:
            nonlocal reads
            reads += 1
            return original(self)

        with mock.patch.object(corpus_module.Path, "read_bytes", counting):
            start = time.perf_counter()
            corpus = corpus_module.load_corpus(folder)
            times.append(time.perf_counter() - start)
    return times, len(corpus), reads


def timed_cached_load(folder: Path, repeat: int) -> tuple[list[float], int, int]:
    """As ``timed_load``, through a warm article cache (files aged past its racy window)."""
    for path in folder.rglob("*.txt"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - HOUR_NS))
    save_cached(folder, load_corpus(folder).articles)

    def load(root: Path) -> Corpus:
        return load_corpus(root, previous=Corpus(root, load_cached(root)))

    with mock.patch.object(corpus_module, "load_corpus", load):
        return timed_load(folder, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    args = parser.parse_args()
    rows = []
    times, count, reads = timed_load(SEEDS, repeat=20)
    rows.append(("seeds", count, times, reads))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GLOSS_CACHE"] = str(Path(tmp) / "cache")
        for size in args.sizes:
            folder = make_corpus(Path(tmp) / f"c{size}", size)
            times, count, reads = timed_load(folder, repeat=3 if size <= 1000 else 2)
            rows.append((f"synthetic {size}", count, times, reads))
            times, count, reads = timed_cached_load(folder, repeat=5)
            rows.append((f"  cached {size}", count, times, reads))
    print(
        f"{'corpus':<18}{'articles':>9}{'median s':>10}{'best s':>9}{'art/s':>9}{'reads/file':>11}"
    )
    for name, count, times, reads in rows:
        median = statistics.median(times)
        print(
            f"{name:<18}{count:>9}{median:>10.3f}{min(times):>9.3f}"
            f"{count / median:>9.0f}{reads / max(count, 1):>11.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
