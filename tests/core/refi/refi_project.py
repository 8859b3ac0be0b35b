"""Test helper: a small annotated project for the REFI-QDA tests (two coders, Unicode)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tui.core.annotations.model import find_quote
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus

FIRST, SECOND, UNICODE = "000_1b8bce5c4f6c6391", "002_02e842533f2f6168", "unicode"
UNICODE_TEXT = (
    '+++\ntitle = "Signs and scripts"\nsource = "Test desk"\ndate = 2024-05-01\n'
    'tags = ["sample"]\n+++\n'
    "Emoji first: 😀 and 👍🏽 (a skin tone is two code points).\n"
    "CJK: 北京与莫斯科的关系 deepened.\n"
    "Combining accents: q\u0307 has no precomposed form; the file writes Cafe\u0301 decomposed.\n"
)
QUOTES = ("😀 and 👍🏽", "北京与莫斯科", "q\u0307 has no precomposed form", "Café")
UNANNOTATED = "003_5a4e13669b936add"
MEMOS = {
    FIRST: "Why it matters: <trade> & “energy”.\n\n  Check the figures.",
    UNICODE: "北京 memo 😀 with q\u0307",
    UNANNOTATED: "Only a memo here.",
}
"""Memos on an annotated article, a Unicode one and one with no annotation."""


def make_corpus(seeds: Path, root: Path) -> Corpus:
    shutil.copytree(seeds, root)
    (root / f"{UNICODE}.txt").write_text(UNICODE_TEXT, encoding="utf-8")
    return load_corpus(root)


def add_memos(store: AnnotationStore) -> dict[str, str]:
    """:data:`MEMOS` set through the store; what it keeps, by article."""
    return {article: store.set_memo(article, memo) for article, memo in MEMOS.items()}


def annotate(corpus: Corpus, store_root: Path) -> AnnotationStore:
    """Annotations by ana and ben: nested tags, notes, shared and unicode passages."""
    ana = AnnotationStore(store_root, articles=corpus.articles.get, author="ana")
    ben = AnnotationStore(store_root, articles=corpus.articles.get, author="Ben Coder")
    first, second, uni = corpus.get(FIRST), corpus.get(SECOND), corpus.get(UNICODE)
    ana.add(first, 300, 360, tags=["actor/china", "tech"], note="Para one.\n\nPara two.")
    ben.add(first, 310, 360, tags=["actor/china"])
    ana.add(second, 10, 40, tags=["actor/russia"])
    ben.add(second, 500, 520, tags=["economy"], note="a \x1b[31m control and <xml> & “quotes”")
    for index, quote in enumerate(QUOTES):
        start, end = find_quote(uni.body, quote)
        (ana if index % 2 else ben).add(uni, start, end, tags=[f"script/s{index}"], note=quote)
    ana.set_tag("actor", description="Who acts")
    ana.set_tag("actor/china", description="The Chinese state", colour="#FF0000")
    return ana
