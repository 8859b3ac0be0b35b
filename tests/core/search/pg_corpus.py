"""The corpus both search engines are compared on: the seeds, synthetic news from
``bench/synth.py``, and articles written to hit every edge of the analyzers (accents,
Cyrillic, CJK, dotted abbreviations, over-long tokens, front matter with tags and
authors, no date, and a body longer than one PostgreSQL tsvector holds), with
annotations, notes and memos in a store."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.synth import make_corpus
from tests.conftest import SEEDS
from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.catalogue import Catalogue
from tui.core.corpus.load import Corpus

SYNTHETIC = 240
LONG_ID = "extra/long"
LONG_PHRASE = "zebra crossing quietly"
"""Written only past the 16,383rd word of the long article: beyond a tsvector's positions."""

UNICODE = """\
Müller visits Genève and Zürich

Valerio Fabbri's Blog
03/05/2023

Müller met officials in Genève. Путин встретился с Си Цзиньпином в Москве.
习近平 访问 莫斯科 并会见 普京。 The U.S. and the U.K. signed; China's ties grew.
A snake_case_word, 2024 figures and 1,000 tonnes. An overlong token follows:
supercalifragilisticexpialidociousandevenmoreletters here.
Naïve café owners sold crème brûlée. The semiconductors were chips; chipset.
中华人民共和国主席习近平与普京会谈。习近平 普京 会晤。西方制裁推动了贸易。
制裁の影響。제재를 받았다, 제재는.
Negotiations went on: they negotiated and will negotiate; the goverment (sic) agreed.
Ｕ.Ｓ. officials and ２０２４ figures.
"""

FRONT = """\
+++
title = "Sanctions and the chip trade"
source = "Reuters"
author = "John Smith"
date = 2024-02-29
tags = ["actor/china", "Econ Ties", "trade"]
+++

Sanctions on semiconductors changed the chip trade. Economic ties held.
Exports of machinery rose while sanctions tightened.
"""

UNDATED = """\
An undated note on the Arctic

The Arctic route matters to both Russia and China; shipping grows each year.
"""


def _long_body() -> str:
    sentence = "the market rose and the market fell while traders watched the screens"
    words = (sentence + ". ") * 1400  # 16,800 words, "the" 4,200 times
    return (
        "A very long market diary\n\nEastern Wire\n01/01/2020\n\n"
        + words
        + f"At the very end a {LONG_PHRASE} appeared, then the market closed.\n"
    )


@dataclass
class Compared:
    root: Path
    annotations: Path
    corpus: Corpus
    store: AnnotationStore


def build(folder: Path) -> Compared:
    """Write the corpus and its annotations under ``folder``."""
    root = folder / "corpus"
    shutil.copytree(SEEDS, root / "seeds")
    make_corpus(root / "synth", SYNTHETIC)
    extra = root / "extra"
    extra.mkdir()
    (extra / "unicode.txt").write_text(UNICODE, encoding="utf-8")
    (extra / "front.md").write_text(FRONT, encoding="utf-8")
    (extra / "undated.txt").write_text(UNDATED, encoding="utf-8")
    (extra / "long.txt").write_text(_long_body(), encoding="utf-8")
    annotations = folder / "annotations"
    corpus = Corpus(Catalogue(root, exclude=[annotations], path=folder / "catalogue.sqlite"))
    corpus.refresh()
    store = AnnotationStore(annotations, articles=corpus.articles.get, author="ana")
    seeds = sorted(key for key in corpus.catalogue.ids() if key.startswith("seeds/"))
    first = corpus.get(seeds[0])
    start = first.body.index("ExpoElectronica")
    store.add(first, start, start + len("ExpoElectronica"), ["event/fair"], "Annual tech fair")
    second = corpus.get(seeds[1])
    start = second.body.index("Russia")
    store.add(second, start, start + 6, ["actor/russia"], "Sanctions review pending")
    store.set_memo(seeds[2], "Revisit the sourcing of this one.")
    return Compared(root, annotations, corpus, store)
