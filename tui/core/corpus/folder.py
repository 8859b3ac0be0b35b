"""Which files of a corpus folder are articles, and an article file's stat.

The walk itself is the catalogue's (:meth:`Catalogue._scan`): one loop, on the hot path.
"""

from __future__ import annotations

import os
from pathlib import Path

from tui.core.corpus.formats import SUFFIXES
from tui.core.corpus.frontmatter import sidecar_path
from tui.core.models import SourceFile

ARTICLE_SUFFIXES = SUFFIXES
OFFICE_LOCK = "~$"
"""Word and Excel keep ``~$name.docx`` beside an open file: a lock, not a document."""


def source_file(article_id: str, path: Path) -> SourceFile:
    """One article file as the walk records it (raises OSError when it is gone): its
    sidecar's stat folded in, so editing ``NAME.meta.toml`` counts as a change."""
    sidecar = sidecar_path(path)
    try:
        extra: os.stat_result | None = sidecar.stat()
    except OSError:
        extra = None
    info = path.stat()
    size, mtime_ns = info.st_size, info.st_mtime_ns
    if extra is not None:  # as the catalogue's walk folds it in
        size, mtime_ns = size + extra.st_size, max(mtime_ns, extra.st_mtime_ns)
    return SourceFile(article_id, path, size, mtime_ns, sidecar if extra is not None else None)
