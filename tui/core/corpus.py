"""Reading a folder of articles: ids, decoding, front matter, metadata, boilerplate."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import CorpusError, GlossError, UnknownArticleError
from tui.core.models import Article, SourceFile

ARTICLE_SUFFIXES = (".txt", ".md")


def scan(root: Path, exclude: Iterable[Path] = ()) -> list[SourceFile]:
    """Every article file under ``root``, sorted by id, from ``stat`` alone.

    An id is the path under ``root`` without its extension, ``/``-separated.

    Hidden files and folders are skipped, as is any folder in ``exclude`` (an
    annotation store kept inside the corpus). Two files with one id are an error.
    """
    root = root.resolve()
    if not root.is_dir():
        raise CorpusError(f"{root}: corpus folder not found")
    excluded = {str(path.resolve()) for path in exclude}
    # Ids come from string slicing, not Path arithmetic: the index's freshness check
    # scans the whole corpus before every search, so this loop is on the hot path.
    prefix = len(str(root)) + 1
    found: dict[str, SourceFile] = {}
    for entry in _walk(str(root), excluded):
        stat = entry.stat()
        relative = os.path.splitext(entry.path[prefix:])[0]
        src = SourceFile(
            id=relative.replace(os.sep, "/"),
            path=Path(entry.path),
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
        )
        if src.id in found:
            first, second = sorted([found[src.id].path.name, src.path.name])
            raise CorpusError(
                f"{root}: two files map to article id '{src.id}': "
                f"{Path(src.id).parent / first} and {Path(src.id).parent / second}"
            )
        found[src.id] = src
    return [found[key] for key in sorted(found)]


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
    from tui.core.text import body_sha256, count_words, decode, normalise

    front, body = split_front_matter(normalise(decode(data, src.path)), src.path)
    boilerplate = find_boilerplate(body)
    inferred = infer_metadata(body, boilerplate)
    given = front or inferred

    def pick(name: str) -> object:
        value = getattr(given, name)
        return value if value not in (None, ()) else getattr(inferred, name)

    # Words of the article proper: boilerplate lines are not counted.
    words = count_words(body) - sum(count_words(body[s:e]) for s, e in boilerplate)
    return Article(
        id=src.id,
        path=src.path,
        body=body,
        title=str(pick("title") or src.id),
        source=pick("source"),  # type: ignore[arg-type]
        date=pick("date"),  # type: ignore[arg-type]
        author=pick("author"),  # type: ignore[arg-type]
        url=pick("url"),  # type: ignore[arg-type]
        tags=pick("tags") or (),  # type: ignore[arg-type]
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


def load_corpus(root: Path, exclude: Iterable[Path] = ()) -> Corpus:
    """Load every article; a file that cannot be read is kept as a problem, not fatal."""
    sources = scan(root, exclude)
    articles: dict[str, Article] = {}
    problems: dict[str, GlossError] = {}
    for src in sources:
        try:
            articles[src.id] = read_article(src)
        except CorpusError as exc:
            problems[src.id] = exc
    return Corpus(root=root.resolve(), articles=articles, problems=problems)
