"""Metadata written by hand: front matter at the top of a text file, or a sidecar file.

Two front matter dialects, at the very top of the file: TOML between ``+++`` lines (Hugo),
and YAML between ``---`` lines (Jekyll, Hugo, Obsidian, pandoc, trafilatura), read with
PyYAML's safe loader only (plain data, never objects). Either sets ``title``, ``source``,
``date``, ``author``, ``url`` and ``tags``; other keys are ignored. A sidecar
``NAME.meta.toml`` beside any article takes the same keys (see :func:`read_sidecar`).
A value of the wrong type, or text that does not parse, is one error naming file and line.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tui.core.errors import CorpusError
from tui.core.models import Metadata

_TOML_DELIMITER = "+++"
_YAML_DELIMITER = "---"
_YAML_END = ("---", "...")
_LINE_IN_ERROR = re.compile(r"\(at line (\d+), column (\d+)\)")
_STRING_FIELDS = ("title", "source", "author", "url")
# A YAML block must open with a key: a text that merely starts with a "---" rule is prose.
_YAML_KEY = re.compile(r"^[A-Za-z_][\w -]*:(?:\s|$)")
SIDECAR_SUFFIX = ".meta.toml"


def split_front_matter(text: str, path: Path) -> tuple[Metadata | None, str]:
    """Return the front matter (if any) and the text after it, which is the body.

    ``text`` must already be normalised (``\\n`` line endings).
    """
    first, sep, rest = text.partition("\n")
    opening = first.rstrip()
    if not sep or opening not in (_TOML_DELIMITER, _YAML_DELIMITER):
        return None, text
    lines = rest.split("\n")
    if opening == _YAML_DELIMITER:
        start = next((line for line in lines if line.strip()), "")
        if not _YAML_KEY.match(start):
            return None, text
    ends = (_TOML_DELIMITER,) if opening == _TOML_DELIMITER else _YAML_END
    for index, line in enumerate(lines):
        if line.rstrip() in ends:
            source = "\n".join(lines[:index])
            body = "\n".join(lines[index + 1 :]).lstrip("\n")
            if opening == _TOML_DELIMITER:
                return _parse_toml(source, path, first_line=2), body
            return _parse_yaml(source, path), body
    raise CorpusError(f"{path}:1: bad front matter: no closing '{opening}' line")


def read_sidecar(sidecar: Path) -> Metadata | None:
    """The metadata of a sidecar ``NAME.meta.toml``; None if it has gone meanwhile."""
    try:
        data = sidecar.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CorpusError(f"{sidecar}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(f"{sidecar}:{line}: bad metadata: not UTF-8 text") from None
    return _parse_toml(text, sidecar, first_line=1, what="metadata")


def sidecar_path(article: Path) -> Path:
    return article.with_name(article.name[: -len(article.suffix) or None] + SIDECAR_SUFFIX)


def _parse_toml(source: str, path: Path, first_line: int, what: str = "front matter") -> Metadata:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = first_line
        found = _LINE_IN_ERROR.search(message)
        if found:
            line = int(found.group(1)) + first_line - 1
            message = _LINE_IN_ERROR.sub("", message).strip()
        raise CorpusError(f"{path}:{line}: bad {what}: {message}") from None
    return metadata_from(data, path, what)


def _parse_yaml(source: str, path: Path) -> Metadata:
    import yaml  # only files with YAML front matter pay for it

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(source, Loader=loader)  # noqa: S506 - a safe loader, never objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 2  # line 1 is the opening ---
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        raise CorpusError(f"{path}:{line}: bad front matter: {problem}") from None
    if data is None:
        return Metadata()
    if not isinstance(data, Mapping):
        raise CorpusError(f"{path}:2: bad front matter: expected 'key: value' lines")
    return metadata_from(data, path, "front matter")


def metadata_from(data: Mapping[str, Any], path: Path, what: str = "front matter") -> Metadata:
    """The known keys of a parsed mapping, each checked: the one place their types live."""

    def fail(key: str, expected: str) -> CorpusError:
        return CorpusError(f"{path}: bad {what}: '{key}' must be {expected}")

    values: dict[str, Any] = {}
    for key in _STRING_FIELDS:
        if key in data and data[key] is not None:
            value = data[key]
            if key == "author" and _is_string_list(value):
                value = ", ".join(str(item).strip() for item in value)  # pandoc: a list
            if not isinstance(value, str):
                raise fail(key, "a string")
            values[key] = value.strip() or None
    if data.get("date") is not None:
        values["date"] = _as_date(data["date"], fail)
    if data.get("tags") is not None:
        tags = data["tags"]
        if isinstance(tags, str):
            tags = [tags]
        if not _is_string_list(tags):
            raise fail("tags", "a list of strings")
        values["tags"] = tuple(tag.strip() for tag in tags if tag.strip())
    return Metadata(**values)


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _as_date(value: object, fail: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise fail("date", "a date like 2024-04-26")
