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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 mars 2024", dt.date(2024, 3, 12)),
        ("mardi 12 mars 2024 à 10h30", dt.date(2024, 3, 12)),
        ("Publié le 1er avril 2024", dt.date(2024, 4, 1)),
        ("3 février 2023", dt.date(2023, 2, 3)),
        ("12. März 2024", dt.date(2024, 3, 12)),
        ("Dienstag, 12. März 2024, 10:30 Uhr", dt.date(2024, 3, 12)),
        ("Veröffentlicht am 5. Mai 2022", dt.date(2022, 5, 5)),
        ("12 de marzo de 2024", dt.date(2024, 3, 12)),
        ("martes, 12 de marzo de 2024", dt.date(2024, 3, 12)),
        ("12 марта 2024 г.", dt.date(2024, 3, 12)),
        ("Опубликовано 12 марта 2024 года, 10:30", dt.date(2024, 3, 12)),
        ("2024年5月16日", dt.date(2024, 5, 16)),
        ("2024年5月16日 星期四", dt.date(2024, 5, 16)),
        ("2024年5月16日（木）", dt.date(2024, 5, 16)),
        ("2024년 5월 16일", dt.date(2024, 5, 16)),
    ],
)
def test_datelines_in_other_languages(text: str, expected: dt.date) -> None:
    assert is_dateline(text), text
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("line", "source", "date"),
    [
        ("Le Monde — 12 mars 2024", "Le Monde", dt.date(2024, 3, 12)),
        ("新华社 2024年5月16日", "新华社", dt.date(2024, 5, 16)),
        ("Der Spiegel | 12. März 2024", "Der Spiegel", dt.date(2024, 3, 12)),
        ("El País · 12 de marzo de 2024", "El País", dt.date(2024, 3, 12)),
        ("Paris, 12 mars 2024", None, dt.date(2024, 3, 12)),
        ("ТАСС — 12 марта 2024", "ТАСС", dt.date(2024, 3, 12)),
    ],
)
def test_source_and_date_on_one_line(line: str, source: str | None, date: dt.date) -> None:
    meta = infer(f"{line}\n\nA Headline Worth Reading\n\n{PARAGRAPH}\n")
    assert (meta.source, meta.date) == (source, date)
    assert meta.title == "A Headline Worth Reading"


@pytest.mark.parametrize(
    ("line", "owner"),
    [
        ("Copyright © 2018 BBC. All rights reserved.", "BBC"),
        ("Copyright (c) 1993 by Larry Klaes", "Larry Klaes"),
        ("© 2024 Eastern Wire. All rights reserved.", "Eastern Wire"),
        ("(c) 2010-2015 The Example Times | Privacy | Terms", "The Example Times"),
        ("Copyright 2003 Larry Klaes <larry@example.com>", "Larry Klaes"),
        ("Copyright © 2021, Reuters", "Reuters"),
    ],
)
def test_copyright_footer_gives_the_owner_only(line: str, owner: str) -> None:
    assert infer(f"{PARAGRAPH}\n\n{line}\n").source == owner


@pytest.mark.parametrize(
    "text",
    [
        # "(c)" in prose (issue 18, item 6)
        "The full squad is: Steve Waugh(c), Adam Gilchrist(vc), Matthew Hayden and Justin "
        "Langer, and the selectors named two more players for the tour of India next month.",
        # licence text and manuals (item 8, issue 17 item 7)
        "Copyright (C) <update years> <name of copyright owner>",
        "Copyright {yyyy} {name of copyright owner}",
        "The above copyright notice and this permission notice appear in all copies.",
        "THE SOFTWARE IS PROVIDED AS IS. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT "
        "HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY.",
        "Copyright: Richard Verhoeven",
        "copyright holders",
        "Copyright (c) in the",
    ],
)
def test_no_source_is_invented(text: str) -> None:
    assert infer(f"{PARAGRAPH}\n\n{text}\n").source is None


@pytest.mark.parametrize(
    "header",
    ["update years of the news", "notice and this permission notice appear in all copies"],
)
def test_a_header_line_must_look_like_a_name(header: str) -> None:
    assert infer(f"{header}\n\n{PARAGRAPH}\n").source is None


def test_many_generated_footers_name_their_owner() -> None:
    """Every combination of mark, years, 'by' and tail gives the owner and nothing else."""
    owners = ["BBC", "Eastern Wire", "Valerio Fabbri's Blog", "ICARO Media Group", "新华社"]
    marks = ["Copyright ©", "©", "(c)", "Copyright (c)", "Copyright"]
    years = [" 2018", " 1999-2024", " 2020, 2021", ""]
    tails = ["", ".", ". All rights reserved.", " | Privacy"]
    for owner in owners:
        for mark in marks:
            for year in years:
                if mark == "Copyright" and not year:
                    continue  # neither a mark nor a year: a heading, not a notice
                for by in ("", " by"):
                    for tail in tails:
                        line = f"{mark}{year}{by} {owner}{tail}"
                        assert infer(f"{PARAGRAPH}\n\n{line}\n").source == owner, line
