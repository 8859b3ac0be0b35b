"""What a search index takes from the annotation store: notes, tags, memo, per article.

Both engines index the same fields (``note:``, ``memo:``, ``annotated:``), read the same
way: the store is opened only when its folder holds annotation files (which saves its
imports on a corpus nobody annotated), and a broken file counts as "no annotations".
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.errors import GlossError

if TYPE_CHECKING:
    from tui.core.annotations.store import AnnotationStore

Annotations = tuple[list[str], list[str], bool, str]
"""An article's notes, annotation tags, whether it has any annotation, and its memo."""
NO_ANNOTATIONS: Annotations = ([], [], False, "")


def has_annotation_files(folder: Path | None) -> bool:
    """Whether ``folder`` holds annotation files (``<id>.toml``, or sub-folders for ids
    with a ``/``; a README is not one)."""
    if folder is None:
        return False
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return False
    return any(
        not entry.name.startswith(".") and (entry.name.endswith(".toml") or entry.is_dir())
        for entry in entries
    )


def open_store(
    folder: Path | None, factory: Callable[[], AnnotationStore] | None
) -> AnnotationStore | None:
    """The store, opened only when its folder holds something."""
    if factory is None or not has_annotation_files(folder):
        return None
    return factory()


def annotation_fields(store: AnnotationStore | None, key: str) -> Annotations:
    """Notes, tags, whether the article has any annotation, and its memo."""
    if store is None:
        return NO_ANNOTATIONS
    try:
        items = store.load(key)
        memo = store.memo(key)
    except GlossError:
        return NO_ANNOTATIONS
    notes = [item.note for item in items if item.note]
    tags = [tag for item in items for tag in item.tags]
    return notes, tags, bool(items), memo
