"""Optional TOML front matter between ``+++`` lines at the very top of an article."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from pathlib import Path

from tui.core.errors import CorpusError
from tui.core.models import Metadata

_DELIMITER = "+++"
_LINE_IN_ERROR = re.compile(r"\(at line (\d+), column (\d+)\)")
_STRING_FIELDS = ("title", "source", "author", "url")


def split_front_matter(text: str, path: Path) -> tuple[Metadata | None, str]:
    """Return the front matter (if any) and the text after it, which is the body.

    ``text`` must already be normalised (``\\n`` line endings).
    """
    first, sep, rest = text.partition("\n")
    if first.rstrip() != _DELIMITER or not sep:
        return None, text
    lines = rest.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip() == _DELIMITER:
            source = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1 :]).lstrip("\n")
            return _parse(source, path), body
    raise CorpusError(f"{path}:1: bad front matter: no closing '+++' line")


def _parse(source: str, path: Path) -> Metadata:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = 2
        found = _LINE_IN_ERROR.search(message)
        if found:
            # Line 1 of the file is the opening delimiter.
            line = int(found.group(1)) + 1
            message = _LINE_IN_ERROR.sub("", message).strip()
        raise CorpusError(f"{path}:{line}: bad front matter: {message}") from None

    def fail(key: str, expected: str) -> CorpusError:
        return CorpusError(f"{path}: bad front matter: '{key}' must be {expected}")

    values: dict[str, object] = {}
    for key in _STRING_FIELDS:
        if key in data:
            if not isinstance(data[key], str):
                raise fail(key, "a string")
            values[key] = data[key].strip() or None
    if "date" in data:
        values["date"] = _as_date(data["date"], fail)
    if "tags" in data:
        tags = data["tags"]
        if isinstance(tags, str):
            tags = [tags]
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise fail("tags", "a list of strings")
        values["tags"] = tuple(tag.strip() for tag in tags if tag.strip())
    return Metadata(**values)  # type: ignore[arg-type]


def _as_date(value: object, fail: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise fail("date", "a date like 2024-04-26")  # type: ignore[operator]
