"""Test helper: which files get parsed, by recording the calls to ``read_article``."""

from __future__ import annotations

import pytest

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.corpus.parse import read_article
from tui.core.models import Article, SourceFile


def record_reads(monkeypatch: pytest.MonkeyPatch, where: str) -> list[str]:
    """From now on, the ids of the files parsed by the module ``where`` (which looks up
    ``read_article`` in its own namespace: ``tui.core.corpus.load``…)."""
    seen: list[str] = []

    def reading(source: SourceFile, options: ReadOptions = DEFAULT_OPTIONS) -> Article:
        seen.append(source.id)
        return read_article(source, options)

    monkeypatch.setattr(f"{where}.read_article", reading)
    return seen
