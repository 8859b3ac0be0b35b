"""Walking a corpus folder: which files are articles, and their ids, from ``stat`` alone."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import CorpusError
from tui.core.models import SourceFile

ARTICLE_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True, slots=True)
class Scan:
    """A corpus folder from ``stat`` alone: its files, and the ids two files claim."""

    sources: list[SourceFile]
    problems: dict[str, CorpusError]


def scan_folder(root: Path, exclude: Iterable[Path] = ()) -> Scan:
    """Every article file under ``root``, sorted by id, from ``stat`` alone.

    An id is the path under ``root`` without its extension, ``/``-separated.
    Hidden files and folders are skipped, as is any folder in ``exclude`` (an
    annotation store kept inside the corpus). Files that share an id are a problem of
    that id, naming them all; the rest of the corpus is unaffected.
    """
    root = root.resolve()
    if not root.is_dir():
        raise CorpusError(f"{root}: corpus folder not found")
    excluded = {str(path.resolve()) for path in exclude}
    # Ids come from string slicing, not Path arithmetic: the index's freshness check
    # scans the whole corpus before every search, so this loop is on the hot path.
    prefix = len(str(root)) + 1
    claims: dict[str, list[SourceFile]] = {}
    for entry in _walk(str(root), excluded):
        stat = entry.stat()
        relative = entry.path[prefix:]
        src = SourceFile(
            id=os.path.splitext(relative)[0].replace(os.sep, "/"),
            path=Path(entry.path),
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
        )
        claims.setdefault(src.id, []).append(src)
    sources: list[SourceFile] = []
    problems: dict[str, CorpusError] = {}
    for key in sorted(claims):
        if len(claims[key]) == 1:
            sources.append(claims[key][0])
            continue
        names = " and ".join(sorted(src.path.relative_to(root).as_posix() for src in claims[key]))
        problems[key] = CorpusError(f"{root}: two files map to article id '{key}': {names}")
    return Scan(sources, problems)


def _walk(folder: str, excluded: set[str]) -> Iterator[os.DirEntry[str]]:
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise CorpusError(f"{folder}: cannot read folder: {exc.strerror}") from None
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if entry.path not in excluded:
                yield from _walk(entry.path, excluded)
        elif entry.is_file() and entry.name.lower().endswith(ARTICLE_SUFFIXES):
            yield entry
