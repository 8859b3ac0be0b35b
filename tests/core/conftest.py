"""Fixtures of the core tests: the seed corpus, and an empty store that anchors on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tui.core.annotations.store import AnnotationStore
from tui.core.corpus.load import Corpus, load_corpus


@pytest.fixture
def corpus(seeds_dir: Path, tmp_path: Path) -> Corpus:
    """A copy of the seeds (a test may edit or remove an article on disk)."""
    shutil.copytree(seeds_dir, tmp_path / "seeds")
    return load_corpus(tmp_path / "seeds")


@pytest.fixture
def store(tmp_path: Path, corpus: Corpus) -> AnnotationStore:
    """Empty (its folder is made by the first write), author "ana"."""
    return AnnotationStore(tmp_path / "store", articles=corpus.articles.get, author="ana")
