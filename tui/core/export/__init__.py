"""Exports: what leaves Gloss for reports and other tools.

Owns the report formats (``markdown``: a report to paste; ``records``: JSON and CSV rows),
the W3C Web Annotation collection (``w3c``) and the REFI-QDA exchange formats (``qdpx``:
the whole project as a zip; ``qdc``: the codebook). Every export works on a
:class:`~tui.core.annotations.selection.Selection`, so ``--tag`` and ``--article`` mean
the same as in ``gloss annotations``; the REFI-QDA ones also need the project's articles
and codebook (a :class:`~tui.core.export.qdpx.ProjectExport`). :func:`export` picks the
format by name; ``qdpx`` is binary (``bytes``), every other format is text. Memos go with
their articles in every format; the Markdown report can add the stats tables.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from tui.core.annotations.selection import Selection

if TYPE_CHECKING:
    from tui.core.analysis.stats import Stats
    from tui.core.export.qdpx import ProjectExport

Format = Literal["md", "csv", "json", "w3c", "qdpx", "qdc"]
FORMATS: tuple[Format, ...] = ("md", "csv", "json", "w3c", "qdpx", "qdc")
PROJECT_FORMATS: frozenset[Format] = frozenset({"qdpx", "qdc"})
"""Formats that need a ProjectExport (the articles and the codebook)."""


def export(
    selection: Selection,
    fmt: Format,
    project: ProjectExport | None = None,
    stats: Stats | None = None,
) -> str | bytes:
    """The selection in ``fmt``; ``stats`` (Markdown only) adds the stats tables."""
    if fmt in PROJECT_FORMATS:
        if project is None:
            raise ValueError(f"the {fmt} export needs the project (a ProjectExport)")
        if fmt == "qdpx":
            from tui.core.export.qdpx import to_qdpx

            return to_qdpx(selection, project)
        from tui.core.export.qdc import to_qdc

        return to_qdc(project.codebook, (t for item in selection.items for t in item.tags))
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
