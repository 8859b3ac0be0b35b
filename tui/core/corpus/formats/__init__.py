"""The file formats a corpus holds, by suffix, and the one pure entry point that reads them.

:func:`read_document` turns a file's bytes into a :class:`Document`: the normalised body
(every offset in Gloss refers to it), the page start offsets for paginated formats, and
the metadata the file itself states. It touches no cache and no other file, so the
corpus loader, the extraction cache and a catalogue can all call it alike.

Each format lives in its own module (``plain``, ``html``, ``pdf``, ``docx``, ``epub``,
``odt``, ``mail``) with ``extract(data, path, options) -> Extracted``, imported only when
a file of that format is read: their libraries are heavy, and a text corpus never pays
for them. Anything a library raises becomes one :class:`CorpusError` line naming the file.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Protocol, cast

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata
from tui.core.text import normalise

PAGE_BREAK = "\n\n"
"""Between two pages of a paginated document: a blank line, as between paragraphs."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a format module returns: the text of each page (one for unpaginated formats),
    not yet normalised, and the metadata the file states."""

    pages: tuple[str, ...]
    metadata: Metadata = field(default_factory=Metadata)
    paginated: bool = False
    front_matter: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A file read into Gloss's terms: the normalised body, where each page starts in it
    (empty when the format has no pages), and the file's own metadata."""

    body: str
    pages: tuple[int, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    front_matter: bool = False


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    label: str
    """How messages name it: "PDF", "Word document"."""
    suffixes: tuple[str, ...]
    libraries: tuple[str, ...] = ()
    """The distributions that do the extraction: their versions key the extraction cache,
    so upgrading one re-extracts (and annotations re-anchor on the new text)."""

    @property
    def document(self) -> bool:
        """Extracted by a library (cached, and capped in size) rather than decoded as text."""
        return bool(self.libraries)

    @property
    def module(self) -> str:
        return f"{__name__}.{self.name}"


FORMATS = (
    Format("plain", "text file", (".txt", ".md")),
    Format("mail", "mail message", (".eml",)),
    Format("html", "web page", (".html", ".htm", ".xhtml"), ("trafilatura", "lxml")),
    Format("pdf", "PDF", (".pdf",), ("pdfminer.six",)),
    Format("docx", "Word document", (".docx",), ("python-docx",)),
    Format("epub", "EPUB book", (".epub",), ("lxml",)),
    Format("odt", "OpenDocument text", (".odt",), ("lxml",)),
)
BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
SUFFIXES = tuple(BY_SUFFIX)
"""Every suffix the corpus walk picks up (lower case; matched case-insensitively)."""


class _Extractor(Protocol):
    def __call__(self, data: bytes, path: Path, options: ReadOptions) -> Extracted: ...


def format_for(path: Path) -> Format:
    """The file's format by suffix; a suffix the walk does not pick up is read as text."""
    return BY_SUFFIX.get(path.suffix.lower(), FORMATS[0])


@cache
def extractor_label(fmt: Format) -> str | None:
    """``"pdfminer.six 20260107"``: which library versions extracted a body (None for text)."""
    if not fmt.document:
        return None
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for name in fmt.libraries:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} (missing)")
    return ", ".join(parts)


def read_document(path: Path, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Document:
    """Read one file's bytes by its suffix: pure, deterministic for a given library version."""
    fmt = format_for(path)
    module = importlib.import_module(fmt.module)
    extract = cast(_Extractor, module.extract)
    try:
        extracted = extract(data, path, options)
    except CorpusError:
        raise
    except MemoryError:
        raise CorpusError(f"{path}: cannot read this {fmt.label}: out of memory") from None
    except Exception as exc:  # a library's bug or a file it cannot take: one line, never a trace
        raise CorpusError(f"{path}: cannot read this {fmt.label}: {_one_line(exc)}") from None
    if not fmt.document:
        # Text is the body verbatim (after normalising), so offsets match the file.
        return Document(
            body=extracted.pages[0] if extracted.pages else "",
            metadata=extracted.metadata,
            front_matter=extracted.front_matter,
        )
    return assemble(extracted)


def assemble(extracted: Extracted) -> Document:
    """Normalise each page and join them with a blank line; page starts are body offsets."""
    pages = [tidy(page) for page in extracted.pages]
    starts: list[int] = []
    offset = 0
    for page in pages:
        starts.append(offset)
        offset += len(page) + len(PAGE_BREAK)
    body = PAGE_BREAK.join(pages)
    return Document(
        body=body,
        pages=tuple(starts) if extracted.paginated else (),
        metadata=extracted.metadata,
        front_matter=extracted.front_matter,
    )


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_RUN = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Extracted text as a body: NFC, ``\\n`` lines without trailing spaces, at most one
    blank line in a row, no extraction debris (form feeds, NULs), no blank edges."""
    text = _CONTROLS.sub("", normalise(text))
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or "no details"
    if len(message) > 160:
        message = message[:159] + "…"
    return f"{type(exc).__name__}: {message}"


def dehyphenate(text: str) -> str:
    """Join a word broken across lines ("negotia-\\ntions" -> "negotiations").

    Only a letter, a hyphen (or soft hyphen), a line end and a lower-case letter:
    "Franco-\\nGerman", "1990-\\n2000" and a dash at a line end stay as written. A compound
    broken at its own hyphen ("well-\\nknown") loses it: no rule tells the two apart."""
    return _HYPHENATED.sub(_join, text)


_HYPHENATED = re.compile(r"([^\W\d_])[-\u00ad]\n[ \t]*([^\W\d_])")


def _join(found: re.Match[str]) -> str:
    if found.group(2).islower():
        return found.group(1) + found.group(2)
    return found.group(0)
