"""Messages that cross screens: the library watches the store and tells whoever is on top."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """Annotation files changed on disk (this app or another process wrote them)."""

    paths: tuple[str, ...]
    """The store files (relative to the store folder) that were added, changed or removed."""


__all__ = ["StoreChanged"]
