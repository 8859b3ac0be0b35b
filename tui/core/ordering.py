"""One sort order for articles and hits, so `list`, `search` and the UI agree."""

from __future__ import annotations

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


__all__ = ["SORT_KEYS", "SortKey", "sort_items"]
