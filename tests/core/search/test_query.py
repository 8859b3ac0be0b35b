"""The query language on its own: what is refused, and what the accepted text becomes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from whoosh import query as wq
from whoosh.util.times import datetime_to_long

from tui.core.search.query import EmptyQueryError, QueryError, check_syntax, parse_query, phrases


def bounds(text: str) -> tuple[int | None, int | None]:
    """The range as Whoosh holds it: longs (datetime_to_long), None for an open end."""
    parsed = parse_query(text)
    assert isinstance(parsed, wq.NumericRange) and parsed.fieldname == "date"
    return parsed.start, parsed.end


def at(*parts: int) -> int:
    return int(datetime_to_long(dt.datetime(*parts)))  # type: ignore[arg-type]


def test_brackets_and_quotes_inside_quotes_are_text() -> None:
    assert check_syntax('"(not a group" china') == '"(not a group" china'
    assert check_syntax("date:[2024 TO 2025}") == "date:[2024 TO 2025}"


def test_field_names_are_case_insensitive() -> None:
    assert check_syntax("Title:Putin AND SOURCE:icaro") == "title:Putin AND source:icaro"
    assert check_syntax('"Colour:red"') == '"Colour:red"'


@pytest.mark.parametrize(
    "text", ["(a", "a)", "[a TO b", "a]", '"a', 'a "b" "c', "((a) OR b", "{a TO b"]
)
def test_unbalanced_text_is_refused(text: str) -> None:
    with pytest.raises(QueryError, match="unbalanced"):
        check_syntax(text)


def test_empty_queries_have_their_own_error() -> None:
    for text in ("", " \t", "!!", "-- ,"):
        with pytest.raises(EmptyQueryError):
            parse_query(text)


def test_date_forms_become_inclusive_day_ranges() -> None:
    assert bounds("date:2023") == (at(2023, 1, 1), at(2023, 12, 31, 23, 59, 59, 999999))
    assert bounds("date:2024-02") == (at(2024, 2, 1), at(2024, 2, 29, 23, 59, 59, 999999))
    assert bounds("date:[2024-01-01 TO 2024-12-31]") == (
        at(2024, 1, 1),
        at(2024, 12, 31, 23, 59, 59, 999999),
    )
    assert bounds("date:>2023-06-01") == (at(2023, 6, 2), None)
    assert bounds("date:>=2023-06-01") == (at(2023, 6, 1), None)
    assert bounds("date:<2023") == (None, at(2022, 12, 31, 23, 59, 59, 999999))
    assert bounds("date:<=2023-06") == (None, at(2023, 6, 30, 23, 59, 59, 999999))


@pytest.mark.parametrize("text", ["date:2023-6-1x", "date:20230601", "date:23", "date:2023/06/01"])
def test_dates_must_be_iso(text: str) -> None:
    with pytest.raises(QueryError, match="invalid date"):
        parse_query(text)


def test_words_are_stemmed_and_fields_aliased() -> None:
    assert "semiconductor" in str(parse_query("semiconductors"))
    assert str(parse_query("tag:Actor/China")) == "tags:actor/china"
    assert "note:sanction" in str(parse_query("note:sanctions"))


def test_phrases_under_not_are_not_highlighted() -> None:
    parsed = parse_query('"economic ties"~2 NOT "trade war"')
    assert phrases(parsed) == [(("econom", "ti"), 2)]


def test_single_quotes_are_part_of_words() -> None:
    parsed = parse_query("China's Russia's")
    assert "china" in str(parsed) and "russia" in str(parsed)


def test_phrase_runs_follow_whooshs_rule() -> None:
    from tui.core.search.phrase import phrase_runs

    assert phrase_runs([[0, 5], [1, 7], [2]], 1) == [(0, 2)]
    assert phrase_runs([[3], [2]], 1) == []  # order matters
    # The nearest second word is not always the one that completes the phrase.
    assert phrase_runs([[0], [1, 2], [4]], 2) == [(0, 4)]
    assert phrase_runs([[0], [3]], 2) == []
    assert phrase_runs([[], [1]], 3) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("china OR", "OR at column 7 has nothing after it"),
        ("AND china", "AND at column 1 has nothing before it"),
        ("NOT", "NOT at column 1 has nothing after it"),
        ("china AND OR russia", "AND at column 7 has nothing after it"),
        ("(OR china)", "OR at column 2 has nothing before it"),
        ("china (russia NOT)", "NOT at column 15 has nothing after it"),
        ("title: putin", "'title:' at column 1 has no value"),
    ],
)
def test_dangling_operators_and_empty_fields_are_refused(text: str, problem: str) -> None:
    with pytest.raises(QueryError, match=re.escape(problem)):
        check_syntax(text)


def test_operators_inside_phrases_and_ranges_are_text() -> None:
    for text in ('"war AND peace"', "date:[2024 TO 2025] OR china", 'a "b"~2 OR (c NOT d)'):
        assert check_syntax(text) == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"china russia"~x', "a phrase takes ~ and a number"),
        ("china~x", "write ~ right after a word"),
        ("Putn~9", "at most 2 different letters"),
        ("title:Putn~3", "at most 2 different letters"),
    ],
)
def test_malformed_tildes_are_refused(text: str, problem: str) -> None:
    """Whoosh would read these as plain words and silently find nothing (or everything)."""
    with pytest.raises(QueryError, match=problem):
        parse_query(text)


@pytest.mark.parametrize("text", ["Putn~", "Putn~1", "Putn~2", "china~1/2", '"china russia"~3'])
def test_well_formed_tildes_parse(text: str) -> None:
    parse_query(text)


@pytest.mark.parametrize(("text", "example"), [("date:", "date:2024"), ("tag:", "tag:actor")])
def test_empty_field_errors_suggest_a_value_of_that_field(text: str, example: str) -> None:
    with pytest.raises(QueryError, match=example):
        parse_query(text)


def test_a_huge_query_is_refused_at_once_naming_it() -> None:
    """Issue 17 F4: a 1,000,000-character query took 10 s to fail."""
    from tui.core.search.query import MAX_QUERY_CHARS

    huge = "(china " * (1_000_000 // 7)
    with pytest.raises(QueryError) as caught:
        parse_query(huge)
    message = str(caught.value)
    assert message.startswith("query '(china (china (china")
    assert f"is {len(huge):,} characters long: at most {MAX_QUERY_CHARS:,}" in message
    assert len(message) < 120 and "\n" not in message
    longest = ("china " * MAX_QUERY_CHARS)[: MAX_QUERY_CHARS - 1] + "x"
    assert len(longest) == MAX_QUERY_CHARS
    parse_query(longest)  # the longest allowed still parses


def test_wildcards_and_fuzzy_terms_keep_the_word_as_written() -> None:
    """Not stemmed: ``negotiat*`` stemmed would be ``negotiat``, a stem no word has."""
    from tui.core.search.forms import WordPattern

    patterns = [
        leaf
        for leaf in parse_query("negotiat* attack? goverment~").leaves()
        if isinstance(leaf, WordPattern)
    ]
    assert {leaf.written for leaf in patterns} == {"negotiat*", "attack?", "goverment~1"}
    assert {leaf.fieldname for leaf in patterns} == {"title", "body", "boiler", "source", "author"}


@pytest.mark.parametrize("text", ["制*", "制裁~", "title:习?"])
def test_wildcards_on_cjk_are_refused(text: str) -> None:
    with pytest.raises(QueryError, match="wildcards and ~ are for alphabetic words"):
        parse_query(text)


def test_a_cjk_word_is_a_phrase_of_character_pairs() -> None:
    assert ("习近", "近平") in [words for words, _ in phrases(parse_query("习近平"))]
    assert "body:制裁" in str(parse_query("制裁"))
