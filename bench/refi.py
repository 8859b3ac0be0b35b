"""Teams and other tools: QDPX export/import, the merge driver and agreement, timed.

Run by hand from the project root: ``.venv/bin/python -m bench.refi`` (under
``/usr/bin/time -v`` for the process's peak memory). A synthetic corpus of 1,000 articles
of about 5,000 characters; three coders each make 10 annotations on the first 200 (a
reliability sample of 1 M characters). Prints one table: each step's time, its peak
Python allocation (tracemalloc, which numpy reports to), and a peer where one exists
(the W3C export of the same annotations; ``git merge-file`` on the same three files).
"""

from __future__ import annotations

import random
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import make_corpus  # noqa: E402
from tui.core.analysis.agreement import agreement_table  # noqa: E402
from tui.core.annotations.articlefile import dumps_annotations  # noqa: E402
from tui.core.annotations.merge import Side, merge_files  # noqa: E402
from tui.core.annotations.model import Annotation, new_id, quote_at  # noqa: E402
from tui.core.annotations.selection import select  # noqa: E402
from tui.core.annotations.store import AnnotationStore  # noqa: E402
from tui.core.corpus.load import load_corpus  # noqa: E402
from tui.core.export import export  # noqa: E402
from tui.core.export.qdpx import ProjectExport  # noqa: E402
from tui.core.models import Article  # noqa: E402
from tui.core.refi.importer import import_qdpx  # noqa: E402

ARTICLES, SAMPLE, PER_CODER = 1000, 200, 10
CODERS = ("ana", "ben", "cho")
TAGS = ("actor/china", "actor/russia", "economy", "tech", "frame/pragmatism")


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds of a plain run, then peak MB of a second run under tracemalloc (which
    slows Python down several times, so it is not timed)."""
    began = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def annotation(rng: random.Random, article: Article, coder: str, near: int) -> Annotation:
    start = max(0, min(len(article.body) - 200, near + rng.randint(-30, 30)))
    end = start + rng.randint(40, 180)
    exact, prefix, suffix = quote_at(article.body, start, end)
    return Annotation(
        new_id(), article.id, start, end, exact, prefix, suffix, article.sha256,
        (rng.choice(TAGS),), "", coder, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z",
    )  # fmt: skip


def main() -> None:
    rng = random.Random(11)
    work = Path(tempfile.mkdtemp(prefix="gloss-bench-refi-"))
    try:
        corpus = load_corpus(make_corpus(work / "corpus", ARTICLES))
        store_root = work / "store"
        store_root.mkdir()
        for article in list(corpus)[:SAMPLE]:
            spots = [rng.randint(0, len(article.body) - 200) for _ in range(PER_CODER)]
            items = [annotation(rng, article, c, at) for c in CODERS for at in spots]
            path = store_root / f"{article.id}.toml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(dumps_annotations(article.id, items), encoding="utf-8")
        store = AnnotationStore(store_root, articles=corpus.articles.get)
        chosen = select(store, corpus)
        project = ProjectExport("bench", list(corpus), store.codebook())
        rows: list[tuple[str, float, float, str]] = []

        t, m, data = measure(lambda: export(chosen, "qdpx", project))
        w, _, _ = measure(lambda: export(chosen, "w3c"))
        rows.append(
            (
                f"export qdpx ({len(chosen.items)} annotations, {ARTICLES} articles, "
                f"{len(data) / 2**20:.1f} MB)",
                t,
                m,
                f"w3c export {w:.2f} s: {t / w:.1f}x",
            )
        )
        (work / "p.qdpx").write_bytes(data)
        targets = iter(work / f"back{n}" for n in range(2))
        t, m, done = measure(lambda: import_qdpx(work / "p.qdpx", next(targets)))
        rows.append(
            (f"import qdpx ({done.articles} articles, {done.annotations} annotations)", t, m, "")
        )
        t, m, report = measure(lambda: agreement_table(chosen))
        units = report.rows[0].units
        rows.append(
            (
                f"agreement, {len(report.rows)} tags x {units / 1e6:.1f} M characters, 3 coders",
                t,
                m,
                "",
            )
        )
        t2, m2, pair = measure(lambda: agreement_table(chosen, among=("ana", "ben")))
        rows.append((f"agreement, {len(pair.rows)} tags, 2 coders (with kappa)", t2, m2, ""))

        article = list(corpus)[SAMPLE]
        base = [annotation(rng, article, "ana", rng.randint(0, 4000)) for _ in range(1000)]
        ours = base[:900] + [annotation(rng, article, "ana", 100) for _ in range(100)]
        theirs = [a.with_changes(note="edited") if i % 10 == 0 else a for i, a in enumerate(base)]
        texts = [dumps_annotations(article.id, s) for s in (base, ours, theirs)]
        sides = [
            Side(text, f"{label}.toml", label)
            for text, label in zip(texts, ("base", "our", "their"), strict=True)
        ]
        t, m, merged = measure(lambda: merge_files(*sides, path=f"annotations/{article.id}.toml"))
        peer = ""
        if shutil.which("git"):
            for name, text in zip(("b", "o", "t"), texts, strict=True):
                (work / name).write_text(text, encoding="utf-8")
            began = time.perf_counter()
            subprocess.run(
                ["git", "merge-file", "-p", str(work / "o"), str(work / "b"), str(work / "t")],
                capture_output=True,
                check=False,
            )
            g = time.perf_counter() - began
            peer = f"git merge-file {g:.3f} s (textual, conflicts): {t / g:.1f}x"
        rows.append(("merge driver, 1,000 annotations a side, 100 edits + 100 adds", t, m, peer))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'step':<72} {'seconds':>8} {'peak MB':>8}  peer")
    for name, seconds, peak, note in rows:
        print(f"{name:<72} {seconds:>8.2f} {peak:>8.1f}  {note}")


if __name__ == "__main__":
    main()
