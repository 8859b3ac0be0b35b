"""Inferring title, source and date; and the date lines they come from."""

from __future__ import annotations

import datetime as dt

import pytest

from tui.core.corpus.boilerplate import find_boilerplate
from tui.core.corpus.dates import is_dateline, parse_date
from tui.core.corpus.metadata import first_sentence, infer_metadata
from tui.core.models import Metadata

PARAGRAPH = (
    "Officials in Moscow and Beijing said on Tuesday that trade between the two countries "
    "grew again last year, despite sanctions and payment delays at several large banks."
)


def infer(text: str) -> Metadata:
    return infer_metadata(text, find_boilerplate(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26/04/2024 17h18", dt.date(2024, 4, 26)),
        ("16 Oct, 2023", dt.date(2023, 10, 16)),
        ("December 17, 2021", dt.date(2021, 12, 17)),
        ("2024-04-26", dt.date(2024, 4, 26)),
        ("Published: 3 March 2022 10:15 GMT", dt.date(2022, 3, 3)),
        ("Tue, 20 Nov 2024", dt.date(2024, 11, 20)),
    ],
)
def test_datelines(text: str, expected: dt.date) -> None:
    assert is_dateline(text)
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["Politics", "The 2021 plan", "31/02/2024", "In 2023, only 119 firms"]
)
def test_not_datelines(text: str) -> None:
    assert not is_dateline(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Putin met Mr. Xi in Beijing. They talked.", "Mr. Putin met Mr. Xi in Beijing"),
        ("President Vladimir V. Putin left. Then.", "President Vladimir V. Putin left"),
        ("The U.S. Senate voted. Then.", "The U.S. Senate voted"),
        ("Is it over? Nobody knows.", "Is it over?"),
        ("short", "short"),
        ("", ""),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


def test_first_sentence_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    title = first_sentence(PARAGRAPH)
    assert (
        title
        == "Officials in Moscow and Beijing said on Tuesday that trade between the two countries…"
    )
    assert len(title) <= 90


def test_header_block_gives_title_source_and_date() -> None:
    meta = infer(
        f"Reuters News\n\nSanctions Bite Harder Than Expected\n\n5 May 2023\n\n{PARAGRAPH}\n"
    )
    assert (meta.title, meta.source, meta.date) == (
        "Sanctions Bite Harder Than Expected",
        "Reuters News",
        dt.date(2023, 5, 5),
    )


def test_dates_in_the_body_are_never_taken_for_the_article_date() -> None:
    meta = infer(f"{PARAGRAPH} The deal was signed on 12 March 2022 in Moscow.\n\n26/04/2024\n")
    assert meta.date is None and meta.source is None


def test_copyright_footer_names_the_source() -> None:
    meta = infer(f"{PARAGRAPH}\n\n© 2021-2024 Eastern Wire. All rights reserved.\n")
    assert meta.source == "Eastern Wire"


def test_no_paragraph_means_no_header_guesses() -> None:
    meta = infer("Just a short note\nAnother line\n")
    assert meta.title == "Just a short note" and meta.source is None and meta.date is None
