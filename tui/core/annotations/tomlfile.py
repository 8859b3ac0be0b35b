"""The store's TOML files: parsing with the line of an error, and writing that diffs well.

Reading reports a broken file with its path and line and never touches it; writing goes
through :func:`tui.core.fileio.write_atomic`. Reading uses ``tomli``, the parser the
standard library's ``tomllib`` was made from (same values, same error messages), because
its compiled wheels parse a store three times faster.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import tomli
import tomli_w

from tui.core.errors import StoreFileError


def parse(text: str, path: Path) -> dict[str, Any]:
    """The file's tables; a :class:`StoreFileError` with the line when it is not TOML.

    ``tomli`` is the parser the standard library's ``tomllib`` is made from, compiled:
    a file of 300 annotations parses in a third of the time (bench/anchoring.py).
    """
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError as exc:
        raise StoreFileError(path, f"not valid TOML: {exc.msg}", exc.lineno) from None


def header_line(text: str, header: str, index: int) -> int | None:
    """Line number of the ``index``-th ``[[header]]`` (or ``[header]``) line, for errors."""
    lines = header_lines(text, header)
    return lines[index] if index < len(lines) else None


def header_lines(text: str, header: str) -> list[int]:
    """Line numbers of every ``[[header]]`` (or ``[header]``) line, in one pass."""
    pattern = re.compile(rf"^[ \t]*\[\[?[ \t]*{re.escape(header)}[ \t]*\]\]?", re.MULTILINE)
    result: list[int] = []
    line, last = 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        result.append(line)
    return result


def dumps(data: dict[str, Any]) -> str:
    """TOML with readable multi-line strings, except where that would change the value.

    TOML folds ``\\r\\n`` inside multi-line strings to ``\\n``; a table holding a carriage
    return is written with escaped one-line strings instead.
    """
    return tomli_w.dumps(data, multiline_strings=not _has_carriage_return(data))


def _has_carriage_return(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_carriage_return(v) for v in value)
    return False
