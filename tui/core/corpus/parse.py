"""One article file to an :class:`Article`: its format's document, a sidecar, metadata
inferred from the text, boilerplate lines.

Metadata is layered, strongest first: the sidecar ``NAME.meta.toml``, then what the file
states (front matter, mail headers, a document's properties), then what the header block
of the text suggests (:mod:`tui.core.corpus.metadata`).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from tui.core.corpus.formats import Document, Format, extractor_label, format_for
from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Article, Metadata, SourceFile

PARSER_MODULES = (
    "corpus/parse",
    "corpus/decoding",
    "corpus/frontmatter",
    "corpus/metadata",
    "corpus/boilerplate",
    "corpus/dates",
    "corpus/folder",
    "corpus/options",
    "corpus/formats/__init__",
    "corpus/formats/xml",
    "corpus/formats/plain",
    "corpus/formats/mail",
    "corpus/formats/html",
    "corpus/formats/pdf",
    "corpus/formats/docx",
    "corpus/formats/epub",
    "corpus/formats/odt",
    "text",
    "models",
)
"""The modules an article's fields come from: a change to any of them re-reads the corpus.
An extracted document also records its extractor's library versions: one whose versions
are not the installed ones is read (and extracted) again."""
_CORE = Path(__file__).parent.parent


@cache
def parser_version() -> str:
    """A digest of the parsing code, so a new Gloss never reuses an old parse."""
    digest = hashlib.sha256()
    for name in PARSER_MODULES:
        digest.update((_CORE / f"{name}.py").read_bytes())
    return digest.hexdigest()


def read_body(
    src: SourceFile, options: ReadOptions = DEFAULT_OPTIONS
) -> tuple[str, tuple[int, ...]]:
    """The file's normalised body and page starts alone: what a reader or a hit needs.

    Cheaper than :func:`read_article` (no metadata inference, no boilerplate: those come
    from the catalogue); a document's body comes from the extraction cache. The caller
    checks the body against the catalogue's sha256.
    """
    fmt = format_for(src.path)
    if not fmt.document:
        from tui.core.corpus.formats import read_document

        return read_document(src.path, _read(src.path), options).body, ()
    _check_size(src, fmt, options)
    from tui.core.corpus.extracted import cached_document

    document = cached_document(src, fmt, options, lambda: _read(src.path))
    return document.body, document.pages


def read_article(src: SourceFile, options: ReadOptions = DEFAULT_OPTIONS) -> Article:
    """Read one file once and build its article; documents go through the extraction cache."""
    fmt = format_for(src.path)
    if not fmt.document:
        return parse_article(src, _read(src.path), options)
    _check_size(src, fmt, options)
    from tui.core.corpus.extracted import cached_document

    document = cached_document(src, fmt, options, lambda: _read(src.path))
    return build_article(src, document, extractor_label(fmt))


def parse_article(src: SourceFile, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Article:
    """The article for a file's bytes, without any cache."""
    from tui.core.corpus.formats import read_document

    fmt = format_for(src.path)
    if fmt.document:
        _check_size(src, fmt, options, len(data))
    return build_article(src, read_document(src.path, data, options), extractor_label(fmt))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror}") from None


def _check_size(src: SourceFile, fmt: Format, options: ReadOptions, size: int = -1) -> None:
    size = size if size >= 0 else src.size
    if size > options.max_document_bytes:
        raise CorpusError(
            f"{src.path}: not read: this {fmt.label} is {size / 1048576:.0f} MB, over the "
            f"{options.max_document_mb:g} MB cap (extraction holds it all in memory and can "
            "take minutes; raise max_document_mb in gloss.toml to read it)"
        )


def build_article(src: SourceFile, document: Document, extractor: str | None = None) -> Article:
    # Imported here: metadata inference pulls in dateutil, which a `gloss search` with
    # nothing changed should not pay for at start-up.
    from tui.core.corpus.boilerplate import find_boilerplate
    from tui.core.corpus.frontmatter import read_sidecar
    from tui.core.corpus.metadata import infer_metadata
    from tui.core.text import body_sha256, count_words, neutralise_controls

    body = document.body
    boilerplate = find_boilerplate(body)
    sidecar = read_sidecar(src.sidecar) if src.sidecar is not None else None
    layers: list[Metadata] = [
        *([sidecar] if sidecar else []),
        document.metadata,
        infer_metadata(body, boilerplate),
    ]

    def pick(name: str) -> Any:
        """The strongest layer's value; control characters made visible, since metadata
        is shown in headers and tables, never used by offset."""
        value: Any = None
        for layer in layers:
            value = getattr(layer, name)
            if value not in (None, ()):
                break
        if isinstance(value, str):
            return neutralise_controls(value)
        if isinstance(value, tuple):
            return tuple(neutralise_controls(item) for item in value)
        return value

    # Words of the article proper: boilerplate lines are not counted.
    words = count_words(body) - sum(count_words(body[s:e]) for s, e in boilerplate)
    title = str(pick("title") or neutralise_controls(src.id))  # an id is a file name
    source = pick("source")
    stated = any(layer.source for layer in layers[:-1])
    if not stated and source is not None and source.casefold() == title.casefold():
        source = None  # inferred from a heading with a hint word ("Quarterly Review of ...")
    return Article(
        id=src.id,
        path=src.path,
        body=body,
        title=title,
        source=source,
        date=pick("date"),
        author=pick("author"),
        url=pick("url"),
        tags=pick("tags") or (),
        boilerplate=boilerplate,
        words=words,
        sha256=body_sha256(body),
        size=src.size,
        mtime_ns=src.mtime_ns,
        front_matter=document.front_matter,
        pages=document.pages,
        extractor=extractor,
    )
