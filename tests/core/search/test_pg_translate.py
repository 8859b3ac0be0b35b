"""The SQL a date range becomes beside words: which index may lead (no server needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.core.search.pg.translate import DATED_ROWS, Translator
from tui.core.search.query import parse_query


class _NoWords:
    """A vocabulary with no word in it (these queries expand nothing)."""

    def fuzzy(self, field: str, text: str, maxdist: int, prefix: int) -> list[str]:
        return []

    def like(self, field: str, pattern: str) -> list[str]:
        return []

    def between(
        self, field: str, start: str | None, end: str | None, startexcl: bool, endexcl: bool
    ) -> list[str]:
        return []

    def prefixed(self, field: str, prefix: str) -> list[str]:
        return []


def translate(query: str, dated: int) -> tuple[str, list[tuple[dt.date | None, dt.date | None]]]:
    asked: list[tuple[dt.date | None, dt.date | None]] = []

    def count(first: dt.date | None, last: dt.date | None) -> int:
        asked.append((first, last))
        return dated

    plan = Translator("gloss", _NoWords(), dated=count).translate(parse_query(query))
    return plan.where, asked


@pytest.mark.parametrize(
    ("dated", "lead"), [(DATED_ROWS, "a.date >= %s"), (DATED_ROWS + 1, "(a.date + 0) >= %s")]
)
def test_a_wide_range_beside_words_lets_the_words_lead(dated: int, lead: str) -> None:
    where, asked = translate("putin date:[2022-01-01 TO 2022-12-31]", dated)
    assert asked == [(dt.date(2022, 1, 1), dt.date(2022, 12, 31))]
    assert "a.doc @@ %s::tsquery" in where
    assert lead in where


def test_an_open_range_counts_from_its_one_bound() -> None:
    _, asked = translate("putin date:>=2023-06-01", DATED_ROWS)
    assert asked == [(dt.date(2023, 6, 1), None)]


@pytest.mark.parametrize("query", ["date:[2022-01-01 TO 2022-12-31]", "putin OR date:2022"])
def test_a_range_not_beside_words_keeps_its_index(query: str) -> None:
    """Alone, or ORed with words, the range's rows are wanted whatever they hold: only
    its index can find them."""
    where, _ = translate(query, 10 * DATED_ROWS)
    assert "+ 0" not in where
    assert "a.date >= %s" in where
