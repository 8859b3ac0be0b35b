"""Exports: what leaves Gloss for reports and other tools.

Owns the report formats (``markdown``: a report to paste; ``records``: JSON and CSV rows)
and the W3C Web Annotation collection (``w3c``). Every export works on a
:class:`~tui.core.annotations.selection.Selection`, so ``--tag`` and ``--article`` mean
the same as in ``gloss annotations``; :func:`export` picks the format by name.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from tui.core.annotations.selection import Selection

Format = Literal["md", "csv", "json", "w3c"]
FORMATS: tuple[Format, ...] = ("md", "csv", "json", "w3c")


def export(selection: Selection, fmt: Format) -> str:
    if fmt == "md":
        from tui.core.export.markdown import to_markdown

        return to_markdown(selection)
    from tui.core.export.records import to_csv, to_json

    if fmt == "csv":
        return to_csv(selection)
    if fmt == "json":
        return _json(to_json(selection))
    from tui.core.export.w3c import collection

    return _json(collection(selection))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
