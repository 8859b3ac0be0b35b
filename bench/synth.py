"""Synthetic corpora for the benchmarks, made from the seeds' own sentences.

Deterministic for a given seed, so runs compare like with like.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
SOURCES = (
    "Eastern Wire",
    "ICARO Media Group",
    "Business International News",
    "Valerio Fabbri's Blog",
)


def seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) > 200:
                sentences.extend(s for s in _SENTENCE.split(line) if len(s) > 30)
    return sentences


def article_text(rng: random.Random, sentences: list[str], size: int) -> str:
    """A header block (title, source, date) and paragraphs up to ``size`` characters."""
    title = rng.choice(sentences).split(",")[0][:80].rstrip(".")
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2025)
    header = f"{title}\n\n{rng.choice(SOURCES)}\n{day:02d}/{month:02d}/{year}\n\n"
    paragraphs: list[str] = []
    length = len(header)
    while length < size:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 7)))
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return header + "\n\n".join(paragraphs) + "\n\nShare this article\n"


def make_corpus(folder: Path, count: int, size: int = 5000, seed: int = 7) -> Path:
    """Write ``count`` articles of about ``size`` characters, 100 to a sub-folder."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    for n in range(count):
        path = folder / f"batch{n // 100:03d}" / f"article{n:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(rng, sentences, size), encoding="utf-8")
    return folder


def make_html_corpus(folder: Path, count: int, seed: int = 11) -> Path:
    """``count`` saved news pages (navigation, cookie banner, JSON-LD...), 100 a folder."""
    from tests.documents import news_page

    rng = random.Random(seed)
    sentences = seed_sentences()
    for n in range(count):
        headline = rng.choice(sentences).split(",")[0][:80].rstrip(".")
        paragraphs = [
            " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(4, 9))
        ]
        date = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        path = folder / f"batch{n // 100:03d}" / f"page{n:05d}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(news_page(headline, paragraphs, date=date), encoding="utf-8")
    return folder


def make_pdf_corpus(folder: Path, count: int, pages: int = 3, seed: int = 13) -> Path:
    """``count`` PDFs of ``pages`` pages with a title and an author, 100 a folder."""
    from tests.documents import write_pdf

    rng = random.Random(seed)
    sentences = seed_sentences()
    for n in range(count):
        content = [
            [" ".join(rng.choice(sentences) for _ in range(rng.randint(2, 4))) for _ in range(3)]
            for _ in range(pages)
        ]
        title = rng.choice(sentences).split(",")[0][:60]
        write_pdf(
            folder / f"batch{n // 100:03d}" / f"report{n:05d}.pdf",
            content,
            title=title,
            author="Bench Author",
        )
    return folder
