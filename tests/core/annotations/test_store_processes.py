"""Two Gloss processes writing to one article at once lose nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import load_corpus

ARTICLE = "000_1b8bce5c4f6c6391"
EACH = 50

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui.core.corpus.load import load_corpus
    from tui.core.annotations.store import AnnotationStore

    corpus = load_corpus(Path(sys.argv[1]))
    store = AnnotationStore(Path(sys.argv[2]), articles=corpus.articles.get, author=sys.argv[3])
    article = corpus.get(sys.argv[4])
    offset = int(sys.argv[5])
    for i in range(int(sys.argv[6])):
        who = sys.argv[3]
        store.add(article, offset + i, offset + i + 10, tags=[who], note=f"{who} {i}")
    """
)


def test_two_processes_fifty_each(tmp_path: Path, seeds_dir: Path) -> None:
    store_dir = tmp_path / "store"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    repo = Path(__file__).resolve().parents[3]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(script),
                str(seeds_dir),
                str(store_dir),
                who,
                ARTICLE,
                str(offset),
                str(EACH),
            ],
            cwd=repo,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who, offset in (("ana", 0), ("bo", 200))
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    corpus = load_corpus(seeds_dir)
    store = AnnotationStore(store_dir, articles=corpus.articles.get)
    stored = store.load(ARTICLE)
    assert len(stored) == 2 * EACH
    assert len({a.id for a in stored}) == 2 * EACH
    assert sorted(a.note for a in stored if a.author == "ana") == sorted(
        f"ana {i}" for i in range(EACH)
    )
    assert store.tag_counts() == {"ana": EACH, "bo": EACH}
    assert [a.start for a in stored] == sorted(a.start for a in stored)
    assert not list(store_dir.glob(".*.tmp"))
