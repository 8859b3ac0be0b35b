"""The codebook (``<store>/tags.toml``): what each tag means, its colour and shortcut key.

Every tag used has an entry; unknown tags are added on first use with the next palette
colour, so the reader can colour highlights before anyone describes the tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tui.core.annotations.model import AnnotationError, normalise_tag, tag_matches
from tui.core.annotations.tomlfile import dumps, header_line
from tui.core.errors import StoreFileError
from tui.core.ordering import natural_sorted

SCHEMA = 1
CODEBOOK_FILE = "tags.toml"
PALETTE: tuple[str, ...] = (
    "#e5c07b",
    "#61afef",
    "#98c379",
    "#e06c75",
    "#c678dd",
    "#56b6c2",
    "#d19a66",
    "#be5046",
    "#7f848e",
    "#a3be8c",
)
"""Highlight colours handed out in turn to new tags (readable on dark and light themes)."""
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
HEADER = '# Gloss codebook: one [tags."name"] table per tag (description, colour, key).\n'


@dataclass(frozen=True, slots=True)
class TagInfo:
    name: str
    description: str = ""
    colour: str = ""
    key: str = ""
    """Optional one-character shortcut the reader uses to apply the tag."""

    def to_record(self) -> dict[str, str]:
        record = {"description": self.description, "colour": self.colour}
        if self.key:
            record["key"] = self.key
        return record

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, **self.to_record(), "key": self.key}


@dataclass(frozen=True, slots=True)
class Codebook:
    tags: dict[str, TagInfo] = field(default_factory=dict)

    def __contains__(self, name: object) -> bool:
        return name in self.tags

    def get(self, name: str) -> TagInfo | None:
        return self.tags.get(name)

    def names(self) -> list[str]:
        """Every tag in natural order (``t2`` before ``t10``), as listings show them."""
        return natural_sorted(self.tags)

    def subtree(self, query: str) -> list[str]:
        """``query`` and every tag below it."""
        return [n for n in self.names() if tag_matches(query, n)]

    def with_tags(self, names: Iterable[str]) -> Codebook:
        """The codebook with an entry for each of ``names`` (new ones get the next colour)."""
        tags = dict(self.tags)
        for name in names:
            if name not in tags:
                tags[name] = TagInfo(name, colour=PALETTE[len(tags) % len(PALETTE)])
        return Codebook(tags) if len(tags) != len(self.tags) else self

    def with_info(self, info: TagInfo) -> Codebook:
        return Codebook({**self.tags, info.name: info})

    def without(self, name: str) -> Codebook:
        return Codebook({k: v for k, v in self.tags.items() if k != name})

    def dumps(self) -> str:
        # Plain code-point order in the file, as it always was: no diff churn in git.
        records = {name: self.tags[name].to_record() for name in sorted(self.tags)}
        return HEADER + dumps({"schema": SCHEMA, "tags": records})


def tag_info(name: str, record: dict[str, Any] | None) -> TagInfo | None:
    """A TagInfo from its JSON/TOML record (None stays None: the tag had no entry)."""
    if record is None:
        return None
    return TagInfo(
        name,
        str(record.get("description", "")),
        str(record.get("colour", "")),
        str(record.get("key", "")),
    )


def parse_codebook(text: str, data: dict[str, Any], path: Path) -> Codebook:
    """Validate a parsed tags.toml; errors name the file and the tag's line."""
    _check_schema(data, path)
    raw = data.get("tags", {})
    if not isinstance(raw, dict):
        raise StoreFileError(
            path, "'tags' must be a table of tag tables", header_line(text, "tags", 0)
        )
    tags: dict[str, TagInfo] = {}
    keys: dict[str, str] = {}
    for index, (name, record) in enumerate(raw.items()):
        line = _tag_line(text, name) or header_line(text, "tags", index)
        if not isinstance(record, dict):
            raise StoreFileError(path, f"tag {name!r}: must be a table", line)
        try:
            clean = normalise_tag(name)
        except AnnotationError as exc:
            raise StoreFileError(path, str(exc), line) from None
        info = TagInfo(
            clean, *(_string(record, k, path, name, line) for k in ("description", "colour", "key"))
        )
        if info.colour and not _COLOUR.fullmatch(info.colour):
            raise StoreFileError(path, f"tag {name!r}: colour must look like #61afef", line)
        if len(info.key) > 1:
            raise StoreFileError(path, f"tag {name!r}: key must be one character", line)
        if info.key and info.key in keys:
            raise StoreFileError(
                path, f"tags {keys[info.key]!r} and {name!r} share key {info.key!r}", line
            )
        if info.key:
            keys[info.key] = name
        tags[clean] = info
    return Codebook(tags)


def _string(record: dict[str, Any], key: str, path: Path, name: str, line: int | None) -> str:
    value = record.get(key, "")
    if not isinstance(value, str):
        raise StoreFileError(path, f"tag {name!r}: '{key}' must be a string", line)
    return value


def _tag_line(text: str, name: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("[tags.") and (
            f'"{name}"' in stripped or f"'{name}'" in stripped or stripped == f"[tags.{name}]"
        ):
            return number
    return None


def _check_schema(data: dict[str, Any], path: Path) -> None:
    schema = data.get("schema", SCHEMA)
    if schema != SCHEMA:
        raise StoreFileError(
            path, f"schema {schema!r} is not {SCHEMA}: written by another Gloss version", 1
        )


def rename_entries(book: Codebook, old: str, new: str) -> Codebook:
    """Move ``old`` and its subtree under ``new``; an existing entry at the target wins."""
    tags = {k: v for k, v in book.tags.items() if not tag_matches(old, k)}
    for name, info in book.tags.items():
        if tag_matches(old, name):
            target = new + name[len(old) :]
            existing = tags.get(target)
            if existing is None:
                tags[target] = replace(info, name=target)
            elif not existing.description and info.description:
                tags[target] = replace(existing, description=info.description)
    return Codebook(tags)
