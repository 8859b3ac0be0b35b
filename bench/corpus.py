"""Corpus loading benchmark: seeds, 1k and 10k synthetic articles (~5 KB each), and
1,000 saved web pages and 200 PDFs (3 pages each).

Run by hand: ``.venv/bin/python -m bench.corpus [--sizes 1000 10000] [--html 1000]
[--pdf 200]``. Prints a table. Targets (issue 3): seeds well under 100 ms; 10k loads
reading every file exactly once. Issue 13: warm load of 1,000 HTML pages <= 0.5 s.
Rows marked "cached" load through the parsed-article cache (tui/core/corpus/cache.py), as
every start after the first does: no file is read, only stat-ed. For documents, "first"
extracts every file (empty caches), "extracted" has only the per-file extraction cache
(tui/core/corpus/extracted.py: what a parser change, or a catalogue reading bodies one
at a time, gets), "cached" is a normal warm start.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

from bench.synth import SEEDS, make_corpus, make_html_corpus, make_pdf_corpus
from tui.core.corpus import load as corpus_module
from tui.core.corpus.cache import cache_path, load_cached, save_cached
from tui.core.corpus.extracted import cache_root
from tui.core.corpus.formats import SUFFIXES
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
            if self.suffix.lower() in SUFFIXES:  # article files, not cache entries
                reads += 1
            return original(self)

        with mock.patch.object(corpus_module.Path, "read_bytes", counting):
            start = time.perf_counter()
            corpus = corpus_module.load_corpus(folder)
            times.append(time.perf_counter() - start)
    return times, len(corpus), reads


def timed_cached_load(folder: Path, repeat: int) -> tuple[list[float], int, int]:
    """As ``timed_load``, through a warm article cache (files aged past its racy window)."""
    for path in folder.rglob("*.*"):
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - HOUR_NS))
    save_cached(folder, load_corpus(folder).articles)

    def load(root: Path) -> Corpus:
        return load_corpus(root, previous=Corpus(root, load_cached(root)))

    with mock.patch.object(corpus_module, "load_corpus", load):
        return timed_load(folder, repeat)


def document_rows(name: str, folder: Path) -> list[tuple[str, int, list[float], int]]:
    """First load (extracting), extraction cache only, and warm (parsed-article cache)."""
    rows = []
    shutil.rmtree(cache_root(), ignore_errors=True)
    times, count, reads = timed_load(folder, repeat=1)
    rows.append((f"{name} first", count, times, reads))
    times, count, reads = timed_load(folder, repeat=3)
    rows.append((f"  {name} extracted", count, times, reads))
    times, count, reads = timed_cached_load(folder, repeat=5)
    rows.append((f"  {name} cached", count, times, reads))
    cache_path(folder).unlink(missing_ok=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--html", type=int, default=1000, help="web pages (0: none)")
    parser.add_argument("--pdf", type=int, default=200, help="PDFs of 3 pages (0: none)")
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
        if args.html:
            folder = make_html_corpus(Path(tmp) / "html", args.html)
            rows += document_rows(f"html {args.html}", folder)
        if args.pdf:
            folder = make_pdf_corpus(Path(tmp) / "pdf", args.pdf)
            rows += document_rows(f"pdf {args.pdf}", folder)
    print(
        f"{'corpus':<22}{'articles':>9}{'median s':>10}{'best s':>9}{'art/s':>9}{'reads/file':>11}"
    )
    for name, count, times, reads in rows:
        median = statistics.median(times)
        print(
            f"{name:<22}{count:>9}{median:>10.3f}{min(times):>9.3f}"
            f"{count / median:>9.0f}{reads / max(count, 1):>11.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
