"""Exports: what leaves Gloss for reports and other tools.

Owns the report formats (``markdown``: a report to paste; ``records``: JSON and CSV rows)
and the W3C Web Annotation collection (``w3c``). Every export works on a
:class:`~tui.core.annotations.selection.Selection`, so ``--tag`` and ``--article`` mean
the same as in ``gloss annotations``; :func:`export` picks the format by name. Memos go
with their articles in every format; the Markdown report can add the stats tables.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from tui.core.annotations.selection import Selection

if TYPE_CHECKING:
    from tui.core.analysis.stats import Stats

Format = Literal["md", "csv", "json", "w3c"]
FORMATS: tuple[Format, ...] = ("md", "csv", "json", "w3c")


def export(selection: Selection, fmt: Format, stats: Stats | None = None) -> str:
    """The selection in ``fmt``; ``stats`` (Markdown only) adds the stats tables."""
    if fmt == "md":
        from tui.core.export.markdown import to_markdown

        return to_markdown(selection, stats)
    from tui.core.export.records import export_json, to_csv

    if fmt == "csv":
        return to_csv(selection)
    if fmt == "json":
        return _json(export_json(selection))
    from tui.core.export.w3c import collection

    return _json(collection(selection))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
