"""The annotation model: what one highlight is, and what it looks like once re-anchored.

An :class:`Annotation` is what the store keeps; an :class:`Anchored` is that annotation
placed on the current body of its article (offsets may have moved, or be lost).
Offsets are ``str`` indices into ``Article.body`` (see :mod:`tui.core.text`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from tui.core.errors import GlossError

State = Literal["exact", "moved", "fuzzy", "orphaned", "missing"]
STATES: tuple[State, ...] = ("exact", "moved", "fuzzy", "orphaned", "missing")
"""``missing``: the article itself is no longer in the corpus (deleted or moved on disk)."""
NEEDS_REVIEW: frozenset[State] = frozenset({"fuzzy", "orphaned", "missing"})

CONTEXT_CHARS = 32
"""How much text before and after the quote is kept as ``prefix``/``suffix``."""

ID_BYTES = 5  # 10 hex digits: short to type, ~1e12 values so clashes are negligible.
MAX_ID_CHARS = 64
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_-]{{0,{MAX_ID_CHARS - 1}}}")
_TAG_SEGMENT = re.compile(r"[^\s/,\x00-\x1f\x7f]+")


class AnnotationError(GlossError):
    """An annotation or a tag that cannot be made as asked."""


def new_id() -> str:
    return secrets.token_hex(ID_BYTES)


def derived_id(taken: Collection[str], *seed: str) -> str:
    """An id made from ``seed`` (not random), not in ``taken``: the same input always
    gives the same id, so a merge or an import run twice writes the same file."""
    salt = 0
    while True:
        data = "\x1f".join((*seed, str(salt))).encode("utf-8")
        ident = hashlib.sha256(data).hexdigest()[: 2 * ID_BYTES]
        if ident not in taken:
            return ident
        salt += 1


def is_valid_id(ident: object) -> bool:
    """An annotation id: letters, digits, ``-`` and ``_`` (Gloss makes 10 hex digits).

    Nothing else, so an id read from a file can never hold an escape sequence for the
    terminal, a ``/`` or ``..`` for a path, or a space for a command line.
    """
    return isinstance(ident, str) and _ID.fullmatch(ident) is not None


def utc_now() -> str:
    """ISO 8601 UTC to the second, e.g. ``2026-11-23T17:41:16Z``."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def normalise_tag(tag: str) -> str:
    """Check a hierarchical tag (``actor/china``) and return it stripped.

    Segments may not be empty nor hold spaces, commas (CSV joins tags with them) or
    control characters.
    """
    clean = tag.strip()
    segments = clean.split("/")
    if not clean or not all(_TAG_SEGMENT.fullmatch(s) for s in segments):
        raise AnnotationError(
            f"invalid tag {tag!r}: use words joined by '/', e.g. actor/china "
            "(no spaces, commas or empty parts)"
        )
    return clean


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Checked tags, duplicates dropped, first-seen order kept."""
    return tuple(dict.fromkeys(normalise_tag(t) for t in tags))


def tag_matches(query: str, tag: str) -> bool:
    """``actor`` matches ``actor`` and its whole subtree (``actor/china``), not ``actors``."""
    return tag == query or tag.startswith(query + "/")


def has_tag(tags: Iterable[str], query: str) -> bool:
    return any(tag_matches(query, t) for t in tags)


def with_ancestors(tags: Iterable[str]) -> list[str]:
    """Each tag and its ancestors (``actor/china``: ``actor``, ``actor/china``), once each.

    What a search or a count on a parent tag must see of its whole subtree.
    """
    found: dict[str, None] = {}
    for tag in tags:
        parts = tag.split("/")
        for depth in range(1, len(parts) + 1):
            found["/".join(parts[:depth])] = None
    return list(found)


def subtree_counts(tagged: Iterable[Iterable[str]], names: Iterable[str] = ()) -> dict[str, int]:
    """Annotations under every tag and each of its ancestors (``a/b`` counts for ``a``).

    ``tagged`` holds each annotation's tags: an annotation tagged both ``a`` and ``a/b``
    counts once for ``a``. ``names`` are tags to list even when nothing is under them.
    """
    totals = dict.fromkeys(with_ancestors(names), 0)
    for tags in tagged:
        for tag in with_ancestors(tags):
            totals[tag] = totals.get(tag, 0) + 1
    return totals


@dataclass(frozen=True, slots=True)
class Annotation:
    """One highlight as stored: position plus a text-quote anchor, tags and a note."""

    id: str
    article: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    body_sha256: str
    tags: tuple[str, ...] = ()
    note: str = ""
    author: str = ""
    created: str = ""
    modified: str = ""

    def with_changes(self, **changes: Any) -> Annotation:
        """A copy with ``changes`` and ``modified`` set to now."""
        return replace(self, modified=utc_now(), **changes)

    def to_record(self) -> dict[str, Any]:
        """The TOML table, keys in the fixed file order (article is the file's name)."""
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "body_sha256": self.body_sha256,
            "tags": list(self.tags),
            "note": self.note,
            "author": self.author,
            "created": self.created,
            "modified": self.modified,
        }

    def to_json(self) -> dict[str, Any]:
        """Gloss's own model as JSON: the record with the article id."""
        return {"id": self.id, "article": self.article, **_without(self.to_record(), "id")}


def _without(record: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k != key}


def quote_at(body: str, start: int, end: int, article: str = "") -> tuple[str, str, str]:
    """``(exact, prefix, suffix)`` for a selection; the span must be inside the body."""
    if not (0 <= start < end <= len(body)):
        where = f" of article '{article}'" if article else ""
        raise AnnotationError(
            f"selection {start}-{end} is not inside the body{where} (0-{len(body)}, start < end)"
        )
    return (
        body[start:end],
        body[max(0, start - CONTEXT_CHARS) : start],
        body[end : end + CONTEXT_CHARS],
    )


def find_quote(
    body: str, quote: str, occurrence: int | None = None, article: str = ""
) -> tuple[int, int]:
    """The span of ``quote`` in the body; ambiguity is an error unless ``occurrence`` picks one.

    ``occurrence`` counts from 1 in reading order.
    """
    if not quote:
        raise AnnotationError("empty quote: give the text to highlight")
    starts: list[int] = []
    at = body.find(quote)
    while at != -1:
        starts.append(at)
        at = body.find(quote, at + 1)
    name = f"article '{article}'" if article else "the article"
    if not starts:
        raise AnnotationError(f"quote {_short(quote)} not found in {name} (0 matches)")
    if occurrence is None:
        if len(starts) > 1:
            raise AnnotationError(
                f"quote {_short(quote)} found {len(starts)} times in {name}: "
                f"pick one with --occurrence 1..{len(starts)}"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise AnnotationError(
            f"--occurrence {occurrence}: quote {_short(quote)} found {len(starts)} "
            f"time{'s' if len(starts) != 1 else ''} in {name}"
        )
    start = starts[occurrence - 1]
    return start, start + len(quote)


def _short(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


@dataclass(frozen=True, slots=True)
class Anchored:
    """An annotation placed on the current body: where it is now, and how sure we are.

    ``start``/``end`` are None when orphaned or missing: there is no place to highlight.
    For ``exact``/``moved``, ``body[start:end] == annotation.exact``; for ``fuzzy`` they
    span the edited text.
    """

    annotation: Annotation
    state: State
    start: int | None
    end: int | None
    score: float = 1.0

    @property
    def id(self) -> str:
        return self.annotation.id

    @property
    def article(self) -> str:
        return self.annotation.article

    @property
    def tags(self) -> tuple[str, ...]:
        return self.annotation.tags

    @property
    def note(self) -> str:
        return self.annotation.note

    @property
    def exact(self) -> str:
        return self.annotation.exact

    @property
    def needs_review(self) -> bool:
        return self.state in NEEDS_REVIEW

    @property
    def changed(self) -> bool:
        """Whether saving would change the stored offsets (moved or fuzzy)."""
        return self.start is not None and (self.start, self.end) != (
            self.annotation.start,
            self.annotation.end,
        )

    def text(self, body: str) -> str:
        """The text highlighted now (the stored quote when orphaned)."""
        if self.start is None or self.end is None:
            return self.annotation.exact
        return body[self.start : self.end]

    def to_json(self, body: str | None = None) -> dict[str, Any]:
        """The listing fields: the stored model with current offsets and the state."""
        data = self.annotation.to_json()
        data["start"] = self.start
        data["end"] = self.end
        data["state"] = self.state
        data["stored_start"] = self.annotation.start
        data["stored_end"] = self.annotation.end
        if body is not None and self.state == "fuzzy":
            data["text"] = self.text(body)
        return data


def sort_key(annotation: Annotation) -> tuple[int, int, str]:
    return (annotation.start, annotation.end, annotation.id)


def sorted_annotations(items: Sequence[Annotation]) -> list[Annotation]:
    return sorted(items, key=sort_key)


def from_record(record: dict[str, Any], article: str) -> Annotation:
    """An annotation from its stored table (as written by :meth:`Annotation.to_record`)."""
    return Annotation(
        id=record["id"],
        article=article,
        start=record["start"],
        end=record["end"],
        exact=record["exact"],
        prefix=record.get("prefix", ""),
        suffix=record.get("suffix", ""),
        body_sha256=record.get("body_sha256", ""),
        tags=tuple(record.get("tags", ())),
        note=record.get("note", ""),
        author=record.get("author", ""),
        created=record.get("created", ""),
        modified=record.get("modified", ""),
    )


def normalise_note(note: str) -> str:
    """Notes keep their line breaks as ``\\n`` (a pasted Windows note would else differ)."""
    return note.replace("\r\n", "\n").replace("\r", "\n")


def normalise_memo(memo: str) -> str:
    """A memo as stored: line breaks as ``\\n``, no blank lines around it ('' is no memo)."""
    return normalise_note(memo).strip()
