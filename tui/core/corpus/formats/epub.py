"""EPUB books: the chapters in spine order, and the book's Dublin Core metadata.

Read with ``zipfile`` and lxml rather than EbookLib, which is AGPL-licensed (Gloss is
MIT): the container names the package file, whose spine orders the XHTML chapters and
whose ``<metadata>`` holds dc:title, dc:creator, dc:date, dc:publisher. A chapter's
headings, paragraphs, list items and table rows become paragraphs and lines.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tui.core.corpus.formats import Extracted
from tui.core.corpus.formats.xml import local, open_zip, parse_xml
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata

_BLOCKS = frozenset(
    ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dt", "dd", "tr")
    + ("figcaption", "caption", "div", "section", "article", "aside", "header", "footer")
    + ("ul", "ol", "dl", "table", "tbody", "thead", "body", "figure", "nav")
)
_SKIP = frozenset(("script", "style", "head", "title"))
_LINE_BLOCKS = frozenset(("li", "tr", "dt", "dd"))
_DC = "http://purl.org/dc/elements/1.1/"
_YEAR = re.compile(r"^\d{4}$")


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    with open_zip(data, path, "EPUB") as book:
        package_path = _package_path(book, path)
        package = parse_xml(book.read(package_path))
        folder = posixpath.dirname(package_path)
        manifest = {
            item.get("id"): item.get("href")
            for item in package.iter()
            if local(item.tag) == "item" and item.get("href")
        }
        chapters: list[str] = []
        for ref in package.iter():
            if local(ref.tag) != "itemref" or ref.get("linear") == "no":
                continue
            href = manifest.get(ref.get("idref"))
            if href is None:
                continue
            name = posixpath.normpath(posixpath.join(folder, unquote(href)))
            try:
                chapters.append(chapter_text(book.read(name)))
            except KeyError:
                raise CorpusError(
                    f"{path}: damaged EPUB: its spine names {name}, which is missing"
                ) from None
    text = "\n\n".join(chapter for chapter in chapters if chapter)
    if not text.strip():
        raise CorpusError(f"{path}: no text in this EPUB (its chapters are empty or images)")
    return Extracted(pages=(text,), metadata=_metadata(package))


def _package_path(book: zipfile.ZipFile, path: Path) -> str:
    try:
        container = parse_xml(book.read("META-INF/container.xml"))
    except KeyError:
        raise CorpusError(f"{path}: not an EPUB: it has no META-INF/container.xml") from None
    for element in container.iter():
        if local(element.tag) == "rootfile" and element.get("full-path"):
            return str(element.get("full-path"))
    raise CorpusError(f"{path}: damaged EPUB: its container names no package file")


def chapter_text(data: bytes) -> str:
    """One XHTML chapter as text: block elements as paragraphs, list items and rows as lines."""
    from lxml import html

    root = html.fromstring(data, parser=html.HTMLParser(no_network=True, remove_comments=True))
    blocks: list[str] = []
    _walk(root, blocks)
    return "\n\n".join(blocks)


def _walk(element: Any, blocks: list[str]) -> None:
    """Blocks in document order: a block's own text, then its nested blocks."""
    lines: list[str] = []
    own: list[str] = [element.text or ""]
    for child in element:
        tag = local(child.tag).lower()
        if tag in _SKIP:
            own.append(child.tail or "")
            continue
        if tag in _BLOCKS:
            _emit(own, blocks)
            own = []
            if tag in _LINE_BLOCKS:
                line = " ".join(_inline(child).split()) if tag != "tr" else _row(child)
                if line:
                    lines.append(line)
            else:
                _flush(lines, blocks)
                if tag == "pre":
                    blocks.append(child.text_content().strip("\n"))
                else:
                    _walk(child, blocks)
            own.append(child.tail or "")
        else:
            _flush(lines, blocks)
            own.append(_inline(child))
            own.append(child.tail or "")
    _flush(lines, blocks)
    _emit(own, blocks)


def _emit(parts: list[str], blocks: list[str]) -> None:
    text = "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n"))
    text = re.sub(r"\n{2,}", "\n", text).strip()
    if text:
        blocks.append(text)


def _flush(lines: list[str], blocks: list[str]) -> None:
    if lines:
        blocks.append("\n".join(lines))
        lines.clear()


def _inline(element: Any) -> str:
    if local(element.tag).lower() == "br":
        return "\n"
    parts = [element.text or ""]
    for child in element:
        if local(child.tag).lower() not in _SKIP:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _row(row: Any) -> str:
    cells = [
        " ".join(_inline(cell).split()) for cell in row if local(cell.tag).lower() in ("td", "th")
    ]
    return " | ".join(cells) if any(cells) else ""


def _metadata(package: Any) -> Metadata:
    def values(name: str) -> list[str]:
        found = []
        for element in package.iter(f"{{{_DC}}}{name}"):
            text = " ".join("".join(element.itertext()).split())
            if text:
                found.append(text)
        return found

    titles, creators, publishers = values("title"), values("creator"), values("publisher")
    identifiers = [i for i in values("identifier") if i.startswith(("http://", "https://"))]
    return Metadata(
        title=titles[0] if titles else None,
        author=", ".join(creators) or None,
        source=publishers[0] if publishers else None,
        date=_date(values("date")),
        url=identifiers[0] if identifiers else None,
    )


def _date(values: list[str]) -> dt.date | None:
    for value in values:
        try:
            if _YEAR.match(value):
                return dt.date(int(value), 1, 1)
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            continue
    return None
