"""Word documents (``.docx``), by python-docx: paragraphs and tables in document order.

Headings and paragraphs are paragraphs (a blank line between), consecutive list items
are lines starting with "- ", and a table is a line per row with its cells joined by
" | " (a merged cell once). Title, author and created date come from the core properties.
Headers, footers, footnotes and comments are not part of the body.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

from tui.core.corpus.formats import Extracted
from tui.core.corpus.formats.xml import bad_zip
from tui.core.corpus.options import ReadOptions
from tui.core.models import Metadata

_TEMPLATE_AUTHOR = "python-docx"
"""The author python-docx's blank template carries, with its 2013 date: not the user's."""


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError):
        raise bad_zip(path, "Word document") from None
    blocks: list[str] = []
    items: list[str] = []
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            _flush(blocks, items)
            blocks.append(_table(block))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        if "List" in style:
            items.append(f"- {text}")
        else:
            _flush(blocks, items)
            blocks.append(text)
    _flush(blocks, items)
    return Extracted(pages=("\n\n".join(b for b in blocks if b),), metadata=_metadata(document))


def _flush(blocks: list[str], items: list[str]) -> None:
    if items:
        blocks.append("\n".join(items))
        items.clear()


def _table(table: Any) -> str:
    rows: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is listed once per grid column
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


def _metadata(document: Any) -> Metadata:
    props = document.core_properties
    author = (props.author or "").strip() or None
    if author == _TEMPLATE_AUTHOR:
        return Metadata(title=(props.title or "").strip() or None)
    created = props.created
    return Metadata(
        title=(props.title or "").strip() or None,
        author=author,
        date=created.date() if isinstance(created, dt.datetime) else None,
    )
