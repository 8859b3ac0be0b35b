"""OpenDocument text (``.odt``), read with ``zipfile`` and lxml: ``content.xml`` in
document order (headings and paragraphs as paragraphs, list items as "- " lines, table
rows as lines of " | "-joined cells), ``meta.xml`` for title, author and creation date.
Footnote and endnote bodies are out of the text's flow and are left out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tui.core.corpus.formats import Extracted
from tui.core.corpus.formats.xml import local, open_zip, parse_xml
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_SKIP = frozenset(("note", "tracked-changes", "sequence-decls", "bookmark-start"))


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    with open_zip(data, path, "OpenDocument text") as package:
        try:
            content = parse_xml(package.read("content.xml"))
        except KeyError:
            raise CorpusError(f"{path}: not an OpenDocument text: it has no content.xml") from None
        names = package.namelist()
        meta = parse_xml(package.read("meta.xml")) if "meta.xml" in names else None
    blocks: list[str] = []
    for body in content.iter(f"{{{_OFFICE}}}text"):
        _blocks(body, blocks)
    return Extracted(pages=("\n\n".join(b for b in blocks if b),), metadata=_metadata(meta))


def _blocks(element: Any, blocks: list[str]) -> None:
    for child in element:
        tag = local(child.tag)
        if tag in ("h", "p"):
            blocks.append(_inline(child).strip())
        elif tag == "list":
            items = [f"- {item}" for item in _list_items(child) if item]
            blocks.append("\n".join(items))
        elif tag == "table":
            rows = [_row(row) for row in child.iter("{*}table-row")]
            blocks.append("\n".join(row for row in rows if row))
        elif tag not in _SKIP:
            _blocks(child, blocks)  # sections, frames, text boxes


def _list_items(element: Any) -> list[str]:
    items: list[str] = []
    for item in element:
        if local(item.tag) not in ("list-item", "list-header"):
            continue
        for part in item:
            if local(part.tag) == "list":
                items.extend(_list_items(part))
            elif local(part.tag) in ("p", "h"):
                items.append(_inline(part).strip())
    return items


def _row(row: Any) -> str:
    cells = []
    for cell in row:
        if (
            local(cell.tag) in ("table-cell", "covered-table-cell")
            and local(cell.tag) != "covered-table-cell"
        ):
            cells.append(" ".join(" ".join(_inline(p) for p in cell.iter(f"{{{_TEXT}}}p")).split()))
    return " | ".join(cells) if any(cells) else ""


def _inline(element: Any) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = local(child.tag)
        if tag == "s":
            parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1") or 1))
        elif tag == "tab":
            parts.append("\t")
        elif tag == "line-break":
            parts.append("\n")
        elif tag not in _SKIP:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _metadata(meta: Any) -> Metadata:
    if meta is None:
        return Metadata()

    def first(namespace: str, name: str) -> str | None:
        for element in meta.iter(f"{{{namespace}}}{name}"):
            text = " ".join("".join(element.itertext()).split())
            if text:
                return text
        return None

    created = first(_META, "creation-date")
    date = None
    if created:
        try:
            date = dt.date.fromisoformat(created[:10])
        except ValueError:
            date = None
    return Metadata(
        title=first(_DC, "title"),
        author=first(_META, "initial-creator") or first(_DC, "creator"),
        date=date,
    )
