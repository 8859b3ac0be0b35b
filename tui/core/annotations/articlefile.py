"""One article's annotation file, ``<store>/<article-id>.toml``: format and validation.

::

    # Gloss annotations of article 000_1b8b... (offsets: characters of the normalised body)
    schema = 1
    memo = \"\"\"
    A note on the whole article (optional; absent when empty)\"\"\"

    [[annotation]]
    id = "3f9c0a1b2d"
    start = 120
    end = 168
    exact = "..."            # the highlighted text
    prefix = "..."           # up to 32 characters before it
    suffix = "..."           # up to 32 characters after it
    body_sha256 = "..."      # the body it was anchored on
    tags = ["actor/china"]
    note = \"\"\"
    multi-line notes stay readable\"\"\"
    author = "ana"
    created = "2026-11-23T17:41:16Z"
    modified = "2026-11-23T17:41:16Z"

Annotations are sorted by start and keys written in this order, so one change is one
small ``git diff`` hunk. ``memo`` came later: files without it read as before (no memo),
and an article with a memo but no annotation still has its file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.annotations.model import (
    MAX_ID_CHARS,
    Annotation,
    AnnotationError,
    is_valid_id,
    normalise_tags,
    sorted_annotations,
)
from tui.core.annotations.tomlfile import dumps, header_line, header_lines, parse
from tui.core.errors import StoreFileError

SCHEMA = 1
_REQUIRED = ("id", "start", "end", "exact")
_TEXT_FIELDS = ("prefix", "suffix", "body_sha256", "note", "author", "created", "modified")


def header(article_id: str) -> str:
    return (
        f"# Gloss annotations of article {article_id}\n"
        "# start/end: character offsets into the normalised body; see annotations/README.md\n"
    )


@dataclass(frozen=True, slots=True)
class ArticleFile:
    """What one article's file holds: its annotations (by start) and its memo."""

    annotations: tuple[Annotation, ...] = ()
    memo: str = ""


def dumps_annotations(article_id: str, annotations: Sequence[Annotation], memo: str = "") -> str:
    """The file's text: the memo if any, then one ``[[annotation]]`` table each, by start."""
    top: dict[str, Any] = {"schema": SCHEMA}
    if memo:
        top["memo"] = memo
    parts = [header(article_id), dumps(top)]
    # Tables are dumped one by one so a carriage return in one note only changes how
    # that table's strings are written (see tomlfile.dumps).
    for a in sorted_annotations(annotations):
        parts.append("\n" + dumps({"annotation": [a.to_record()]}))
    return "".join(parts)


def parse_annotations(text: str, path: Path, article_id: str) -> tuple[Annotation, ...]:
    """Validate a file's text; any problem names the path and the annotation's line."""
    return parse_article_file(text, path, article_id).annotations


def parse_article_file(text: str, path: Path, article_id: str) -> ArticleFile:
    """The annotations and the memo of a file's text, validated like :func:`parse_annotations`."""
    data = parse(text, path)
    schema = data.get("schema")
    if schema != SCHEMA:
        raise StoreFileError(
            path,
            f"'schema' is {schema!r}, expected {SCHEMA} (missing, or another Gloss version)",
            1,
        )
    raw = data.get("annotation", [])
    if not isinstance(raw, list):
        raise StoreFileError(
            path,
            "'annotation' must be an array of tables ([[annotation]])",
            header_line(text, "annotation", 0),
        )
    seen: set[str] = set()
    result: list[Annotation] = []
    lines = header_lines(text, "annotation")
    for index, record in enumerate(raw):
        line = lines[index] if index < len(lines) else None
        annotation = _annotation(record, article_id, path, line, index)
        if annotation.id in seen:
            raise StoreFileError(path, f"annotation id '{annotation.id}' appears twice", line)
        seen.add(annotation.id)
        result.append(annotation)
    memo = data.get("memo", "")
    if not isinstance(memo, str):
        raise StoreFileError(path, "'memo' must be a string", _key_line(text, "memo"))
    return ArticleFile(tuple(sorted_annotations(result)), memo)


def _key_line(text: str, key: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.split("=", 1)[0].strip() == key:
            return number
    return None


def _annotation(
    record: Any, article_id: str, path: Path, line: int | None, index: int
) -> Annotation:
    def bad(message: str) -> StoreFileError:
        ident = record.get("id") if isinstance(record, dict) else None
        name = f"annotation '{ident}'" if is_valid_id(ident) else f"annotation {index + 1}"
        return StoreFileError(path, f"{name}: {message}", line)

    if not isinstance(record, dict):
        raise bad("must be a table")
    for key in _REQUIRED:
        if key not in record:
            raise bad(f"'{key}' is missing")
    ident, start, end, exact = (record[k] for k in _REQUIRED)
    if not is_valid_id(ident):
        shown = f" (not {ident!r})" if isinstance(ident, str) and len(ident) <= 80 else ""
        raise bad(
            f"'id' must be letters, digits, '-' or '_' (at most {MAX_ID_CHARS}), "
            f"e.g. 3f9c0a1b2d{shown}"
        )
    for key, value in (("start", start), ("end", end)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad(f"'{key}' must be a whole number >= 0")
    if not isinstance(exact, str) or not exact:
        raise bad("'exact' must be the highlighted text (a non-empty string)")
    if end - start != len(exact):
        raise bad(f"'end' - 'start' is {end - start} but 'exact' has {len(exact)} characters")
    texts: dict[str, str] = {}
    for key in _TEXT_FIELDS:
        value = record.get(key, "")
        if not isinstance(value, str):
            raise bad(f"'{key}' must be a string")
        texts[key] = value
    for key in ("created", "modified"):
        if texts[key] and not _is_timestamp(texts[key]):
            raise bad(f"'{key}' must be an ISO 8601 time, e.g. 2026-11-23T17:41:16Z")
    tags = record.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("'tags' must be a list of strings")
    try:
        clean_tags = normalise_tags(tags)
    except AnnotationError as exc:
        raise bad(str(exc)) from None
    return Annotation(
        id=ident,
        article=article_id,
        start=start,
        end=end,
        exact=exact,
        prefix=texts["prefix"],
        suffix=texts["suffix"],
        body_sha256=texts["body_sha256"],
        tags=clean_tags,
        note=texts["note"],
        author=texts["author"],
        created=texts["created"],
        modified=texts["modified"],
    )


def _is_timestamp(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
