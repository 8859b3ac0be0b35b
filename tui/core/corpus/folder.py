"""Walking a corpus folder: which files are articles, and their ids, from ``stat`` alone."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tui.core.corpus.formats import SUFFIXES
from tui.core.corpus.frontmatter import SIDECAR_SUFFIX, sidecar_path
from tui.core.errors import CorpusError
from tui.core.models import SourceFile

ARTICLE_SUFFIXES = SUFFIXES
OFFICE_LOCK = "~$"
"""Word and Excel keep ``~$name.docx`` beside an open file: a lock, not a document."""


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
    for entry, sidecar in _walk(str(root), excluded):
        size, mtime_ns = _combined(entry.stat(), sidecar)
        relative = entry.path[prefix:]
        src = SourceFile(
            id=os.path.splitext(relative)[0].replace(os.sep, "/"),
            path=Path(entry.path),
            size=size,
            mtime_ns=mtime_ns,
            sidecar=Path(sidecar.path) if sidecar is not None else None,
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


def source_file(article_id: str, path: Path) -> SourceFile:
    """One article file as the walk records it (raises OSError when it is gone): its
    sidecar's stat folded in, so editing ``NAME.meta.toml`` counts as a change."""
    sidecar = sidecar_path(path)
    try:
        extra: os.stat_result | None = sidecar.stat()
    except OSError:
        extra = None
    size, mtime_ns = _combined(path.stat(), extra)
    return SourceFile(article_id, path, size, mtime_ns, sidecar if extra is not None else None)


def _combined(
    stat: os.stat_result, sidecar: os.DirEntry[str] | os.stat_result | None
) -> tuple[int, int]:
    if sidecar is None:
        return stat.st_size, stat.st_mtime_ns
    extra = sidecar.stat() if isinstance(sidecar, os.DirEntry) else sidecar
    return stat.st_size + extra.st_size, max(stat.st_mtime_ns, extra.st_mtime_ns)


def _walk(
    folder: str, excluded: set[str]
) -> Iterator[tuple[os.DirEntry[str], os.DirEntry[str] | None]]:
    """Each article file with its sidecar ``NAME.meta.toml`` (if one is beside it)."""
    try:
        entries = list(os.scandir(folder))
    except OSError as exc:
        raise CorpusError(f"{folder}: cannot read folder: {exc.strerror}") from None
    sidecars = {
        e.name[: -len(SIDECAR_SUFFIX)]: e for e in entries if e.name.endswith(SIDECAR_SUFFIX)
    }
    for entry in entries:
        name = entry.name
        if name.startswith((".", OFFICE_LOCK)):
            continue
        if entry.is_dir():
            if entry.path not in excluded:
                yield from _walk(entry.path, excluded)
        elif name.lower().endswith(ARTICLE_SUFFIXES) and entry.is_file():
            yield entry, sidecars.get(os.path.splitext(name)[0]) if sidecars else None
