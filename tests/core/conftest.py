"""Fixtures of the core tests: the seed corpus, and an empty store that anchors on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus


@pytest.fixture
def corpus(seeds_dir: Path) -> Corpus:
    return load_corpus(seeds_dir)


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    """Empty (its folder is made by the first write), author "ana"."""
    return AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="ana")
