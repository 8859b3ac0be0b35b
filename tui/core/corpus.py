"""Reading a folder of articles: ids, decoding, front matter, metadata, boilerplate."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.errors import CorpusError, GlossError, UnknownArticleError
from tui.core.models import Article, SourceFile

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


def read_article(src: SourceFile) -> Article:
    """Read one file once and build its article."""
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{src.path}: cannot read: {exc.strerror}") from None
    return parse_article(src, data)


def parse_article(src: SourceFile, data: bytes) -> Article:
    # Imported here: metadata inference pulls in dateutil and charset-normalizer, which
    # a `gloss search` with nothing changed should not pay for at start-up.
    from tui.core.boilerplate import find_boilerplate
    from tui.core.frontmatter import split_front_matter
    from tui.core.metadata import infer_metadata
    from tui.core.text import body_sha256, count_words, decode, neutralise_controls, normalise

    front, body = split_front_matter(normalise(decode(data, src.path)), src.path)
    boilerplate = find_boilerplate(body)
    inferred = infer_metadata(body, boilerplate)
    given = front or inferred

    def pick(name: str) -> Any:
        """The front matter's value, else the inferred one; control characters made
        visible, since metadata is shown in headers and tables, never used by offset."""
        value = getattr(given, name)
        if value in (None, ()):
            value = getattr(inferred, name)
        if isinstance(value, str):
            return neutralise_controls(value)
        if isinstance(value, tuple):
            return tuple(neutralise_controls(item) for item in value)
        return value

    # Words of the article proper: boilerplate lines are not counted.
    words = count_words(body) - sum(count_words(body[s:e]) for s, e in boilerplate)
    return Article(
        id=src.id,
        path=src.path,
        body=body,
        title=str(pick("title") or neutralise_controls(src.id)),  # an id is a file name
        source=pick("source"),
        date=pick("date"),
        author=pick("author"),
        url=pick("url"),
        tags=pick("tags") or (),
        boilerplate=boilerplate,
        words=words,
        sha256=body_sha256(body),
        size=src.size,
        mtime_ns=src.mtime_ns,
        front_matter=front is not None,
    )


@dataclass
class Corpus:
    """The articles of one folder, with the files that could not be read (by id)."""

    root: Path
    articles: dict[str, Article]
    problems: dict[str, GlossError] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles.values())

    def __len__(self) -> int:
        return len(self.articles)

    def get(self, article_id: str) -> Article:
        try:
            return self.articles[article_id]
        except KeyError:
            if article_id in self.problems:
                raise self.problems[article_id] from None
            raise UnknownArticleError(f"unknown article id '{article_id}' in {self.root}") from None


def load_corpus(root: Path, exclude: Iterable[Path] = (), previous: Corpus | None = None) -> Corpus:
    """Load every article; a file that cannot be read is kept as a problem, not fatal.

    With ``previous`` (an earlier load of the same folder), articles whose file, size
    and time are unchanged are reused rather than read again.
    """
    scanned = scan_folder(root, exclude)
    known = previous.articles if previous is not None else {}
    articles: dict[str, Article] = {}
    problems: dict[str, GlossError] = dict(scanned.problems)
    for src in scanned.sources:
        old = known.get(src.id)
        if old is not None and (old.path, old.size, old.mtime_ns) == (
            src.path,
            src.size,
            src.mtime_ns,
        ):
            articles[src.id] = old
            continue
        try:
            articles[src.id] = read_article(src)
        except CorpusError as exc:
            problems[src.id] = exc
    return Corpus(root=root.resolve(), articles=articles, problems=problems)
