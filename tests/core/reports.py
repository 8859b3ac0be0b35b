"""Test helper: a report export as text (md, csv, json and w3c are text; qdpx is a zip)."""

from __future__ import annotations

from tui.core.annotations.selection import Selection
from tui.core.export import Format, export


def export_text(selection: Selection, fmt: Format) -> str:
    text = export(selection, fmt)
    assert isinstance(text, str)
    return text
