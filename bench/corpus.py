"""Corpus loading benchmark: seeds, 1k and 10k synthetic articles (~5 KB each), and
1,000 saved web pages and 200 PDFs (3 pages each).

Run by hand: ``.venv/bin/python -m bench.corpus [--sizes 1000 10000] [--html 1000]
[--pdf 200]``. Prints a table. Targets (issue 3): seeds well under 100 ms; 10k loads
reading every file exactly once. Issue 13: warm load of 1,000 HTML pages <= 0.5 s.
Rows marked "cached" are a warm start: the corpus's catalogue (tui/core/corpus/catalogue.py)
is there, so files are only stat-ed, none read. For documents, "first" extracts every file
(empty caches), "extracted" has only the per-file extraction cache
(tui/core/corpus/extracted.py: what a parser change gets, the catalogue being rebuilt),
"cached" is a normal warm start. "reads/file" counts the files the catalogue read (in
this process or its reading workers).
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

from bench.synth import SEEDS, make_corpus, make_html_corpus, make_pdf_corpus
from tui.core.corpus.catalogue import Catalogue
from tui.core.corpus.extracted import cache_root
from tui.core.corpus.load import Corpus


def timed_load(folder: Path, repeat: int, cold: bool) -> tuple[list[float], int, int]:
    """Load times (s), articles loaded, and how many files the last load read;
    ``cold``: the catalogue removed before each load."""
    times: list[float] = []
    reads = count = 0
    for _ in range(repeat):
        if cold:
            Catalogue(folder)._remove()
        start = time.perf_counter()
        corpus = Corpus(Catalogue(folder))
        report = corpus.refresh()
        times.append(time.perf_counter() - start)
        reads, count = report.added + report.updated, corpus.count()
        corpus.catalogue.close()
    return times, count, reads


def document_rows(name: str, folder: Path) -> list[tuple[str, int, list[float], int]]:
    """First load (extracting), extraction cache only, and warm (parsed-article cache)."""
    rows = []
    shutil.rmtree(cache_root(), ignore_errors=True)
    times, count, reads = timed_load(folder, repeat=1, cold=True)
    rows.append((f"{name} first", count, times, reads))
    times, count, reads = timed_load(folder, repeat=3, cold=True)
    rows.append((f"  {name} extracted", count, times, reads))
    times, count, reads = timed_load(folder, repeat=5, cold=False)
    rows.append((f"  {name} cached", count, times, reads))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--html", type=int, default=1000, help="web pages (0: none)")
    parser.add_argument("--pdf", type=int, default=200, help="PDFs of 3 pages (0: none)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["GLOSS_CACHE"] = str(Path(tmp) / "cache")
        times, count, reads = timed_load(SEEDS, repeat=20, cold=True)
        rows.append(("seeds", count, times, reads))
        for size in args.sizes:
            folder = make_corpus(Path(tmp) / f"c{size}", size)
            times, count, reads = timed_load(folder, repeat=3 if size <= 1000 else 2, cold=True)
            rows.append((f"synthetic {size}", count, times, reads))
            times, count, reads = timed_load(folder, repeat=5, cold=False)
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
