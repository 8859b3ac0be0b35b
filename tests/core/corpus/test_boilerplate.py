"""Boilerplate lines are recognised as spans and never removed."""

from __future__ import annotations

import pytest

from tui.core.corpus.boilerplate import find_boilerplate

PROSE = (
    "This is a long paragraph of real article text that talks about trade, sanctions and "
    "diplomacy between Moscow and Beijing for many words, well past the forty word mark that "
    "tells prose from a widget, so it must never be taken for boilerplate by the detector here."
)


def marked(body: str) -> list[str]:
    return [body[s:e] for s, e in find_boilerplate(body)]


@pytest.mark.parametrize(
    "line",
    [
        "Share",
        "Share.",
        "Share this article",
        "Share on Facebook",
        "Print",
        "Related",
        "Related articles",
        "Exit mobile version",
        "Advertisement",
        "Read more: the full story",
        "photo_2024-01-01.JPG",
        "Source: tamilguardian.com",
        "Photo: Reuters/John Doe",
        "(Photo by Jane Roe/Getty Images)",
        "© 2024 Some News. All rights reserved.",
        "Copyright 2023 The Daily",
        "olivia wang Contributed to the report.",
        "The views expressed in this article do not necessarily reflect those of the editors.",
    ],
)
def test_furniture_lines(line: str) -> None:
    body = f"{PROSE}\n{line}\n{PROSE}"
    assert marked(body) == [line]


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply on Monday.",
        "Related talks continued in Geneva.",
        "The source of the leak is unknown.",
        "Print media is struggling.",
    ],
)
def test_sentences_that_start_like_furniture_are_text(line: str) -> None:
    assert marked(f"{PROSE}\n{line}\n") == []


def test_a_single_dateline_is_metadata_but_a_list_of_dates_is_boilerplate() -> None:
    assert marked(f"16 Oct, 2023\n{PROSE}\n") == []
    assert marked(f"{PROSE}\n20 Nov, 2024\n18 Nov, 2024\n") == ["20 Nov, 2024", "18 Nov, 2024"]


def test_poll_widget_runs_until_prose_resumes() -> None:
    body = f"Poll\n  1. Which is right?\n    Yes \u00a0\n    \u00a030 (28%)\n\n{PROSE}\n"
    assert marked(body) == ["Poll", "  1. Which is right?", "    Yes \u00a0", "    \u00a030 (28%)"]


def test_spans_are_whole_lines_in_order() -> None:
    body = f"Print\n{PROSE}\nRelated\n"
    spans = find_boilerplate(body)
    assert spans == ((0, 5), (len(body) - 8, len(body) - 1))
