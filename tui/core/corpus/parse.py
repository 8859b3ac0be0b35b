"""One article file to an :class:`Article`: decoding, front matter, metadata, boilerplate."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from tui.core.errors import CorpusError
from tui.core.models import Article, SourceFile

PARSER_MODULES = (
    "corpus/parse",
    "corpus/decoding",
    "corpus/frontmatter",
    "corpus/metadata",
    "corpus/boilerplate",
    "corpus/dates",
    "text",
    "models",
)
"""The modules an article's fields come from: a change to any of them re-reads the corpus."""
_CORE = Path(__file__).parent.parent


@cache
def parser_version() -> str:
    """A digest of the parsing code, so a new Gloss never reuses an old parse."""
    digest = hashlib.sha256()
    for name in PARSER_MODULES:
        digest.update((_CORE / f"{name}.py").read_bytes())
    return digest.hexdigest()


def read_article(src: SourceFile) -> Article:
    """Read one file once and build its article."""
    try:
        data = src.path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{src.path}: cannot read: {exc.strerror}") from None
    return parse_article(src, data)


def read_body(path: Path) -> str:
    """The file's normalised body alone: what a reader or a hit's snippet needs.

    Cheaper than :func:`read_article` (no metadata, no boilerplate): those come from the
    catalogue. The caller checks the body against the catalogue's sha256.
    """
    from tui.core.corpus.decoding import decode
    from tui.core.corpus.frontmatter import split_front_matter
    from tui.core.text import normalise

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror}") from None
    return split_front_matter(normalise(decode(data, path)), path)[1]


def parse_article(src: SourceFile, data: bytes) -> Article:
    # Imported here: metadata inference pulls in dateutil and charset-normalizer, which
    # a `gloss search` with nothing changed should not pay for at start-up.
    from tui.core.corpus.boilerplate import find_boilerplate
    from tui.core.corpus.decoding import decode
    from tui.core.corpus.frontmatter import split_front_matter
    from tui.core.corpus.metadata import infer_metadata
    from tui.core.text import body_sha256, count_words, neutralise_controls, normalise

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
