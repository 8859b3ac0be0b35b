"""Test helpers: which files get parsed (``read_article``) or opened (``Path.read_bytes``)."""

from __future__ import annotations

from pathlib import Path

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


def record_file_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """From now on, every path whose bytes are read (``Path.read_bytes``), in order."""
    seen: list[Path] = []
    original = Path.read_bytes

    def reading(self: Path) -> bytes:
        seen.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", reading)
    return seen
