"""One sort order for articles, hits and tags, so `list`, `search`, `tags` and the UI agree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal, TypeVar

SortKey = Literal["title", "date", "source", "words", "id"]
SORT_KEYS: tuple[SortKey, ...] = ("title", "date", "source", "words", "id")
T = TypeVar("T")


def sort_items(items: Iterable[T], by: SortKey) -> list[T]:
    """Sort anything with the article's attributes.

    Dates and word counts are newest/longest first; text is A-Z, case-folded. Items
    missing the value (undated, no source) always come last.
    """
    present: list[T] = []
    missing: list[T] = []
    for item in items:
        (missing if getattr(item, by) in (None, "") else present).append(item)

    def key(item: Any) -> Any:
        value = getattr(item, by)
        return value.casefold() if isinstance(value, str) else value

    descending = by in ("date", "words")
    present.sort(key=key, reverse=descending)
    missing.sort(key=lambda item: str(getattr(item, "title", "")).casefold())
    return present + missing


_DIGITS = re.compile(r"(\d+)")
NaturalKey = tuple[tuple[tuple[str | int, ...], ...], str]


def natural_key(name: str) -> NaturalKey:
    """Sort key for tags and names as people read them: ``t2`` before ``t10``.

    Case-folded, numbers compared as numbers, and ``/`` levels one by one so a tag's
    subtree follows it (``actor``, ``actor/china``, ``actor2``). Ties fall back to the
    name itself, so the order is total.
    """
    levels = tuple(
        tuple(int(part) if index % 2 else part for index, part in enumerate(_DIGITS.split(level)))
        for level in name.casefold().split("/")
    )
    return levels, name


def natural_sorted(names: Iterable[str]) -> list[str]:
    return sorted(names, key=natural_key)


__all__ = ["SORT_KEYS", "SortKey", "natural_key", "natural_sorted", "sort_items"]
