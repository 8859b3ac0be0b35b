"""Long lists come a page at a time: reaching the last row adds the next page or more hits.

The seeds have five articles, so the page sizes are shrunk here to exercise the paging.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle, until
from tui.app import GlossApp
from tui.core.search.hits import SearchResult
from tui.messages import Changed
from tui.screens import library
from tui.widgets import article_table
from tui.widgets.article_table import ArticleTable
from tui.widgets.search_box import SearchBox
from tui.widgets.status_line import StatusLine


def table(app: GlossApp) -> ArticleTable:
    return app.library.query_one(ArticleTable)


def status(app: GlossApp) -> str:
    return app.library.query_one(StatusLine).text


EXTRA = 60
PAGE = 10


@pytest.fixture
def long_corpus(project_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The seeds and 60 short articles, all containing "zebra", listed 10 rows a page."""
    folder = project_dir / "seeds" / "extra"
    folder.mkdir()
    for n in range(EXTRA):
        (folder / f"{n:02}.txt").write_text(
            f"Zebra report {n:02}\n\n{n + 1} March 2020\n\nA zebra was seen, number {n}.\n",
            encoding="utf-8",
        )
    monkeypatch.setattr(library, "LIST_PAGE", PAGE)
    monkeypatch.setattr(article_table, "NEAR_END_ROWS", 2)  # less than a page
    monkeypatch.setattr(library, "PAGES", (5, PAGE))
    return folder


async def end_until_all(app: GlossApp, pilot: Pilot[None], total: int) -> list[int]:
    """Press end until every row is in the table; the row counts seen on the way."""
    table(app).focus()
    await settle(pilot)
    counts = [table(app).row_count]
    while counts[-1] < total and len(counts) < 20:
        await pilot.press("end")
        await settle(pilot)
        assert table(app).cursor_row == counts[-1] - 1  # on the last row it had
        counts.append(table(app).row_count)
    return counts


@pytest.mark.usefixtures("long_corpus")
def test_end_reaches_every_article_a_page_at_a_time(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        everything = [entry.id for entry in app.library.entries()]
        assert len(everything) == EXTRA + 5
        assert status(app).startswith(f"first {table(app).row_count} of {EXTRA + 5}")
        counts = await end_until_all(app, pilot, EXTRA + 5)
        assert counts[-1] == EXTRA + 5
        steps = [b - a for a, b in zip(counts, counts[1:], strict=False)]
        # A page, or two when the new cursor row leaves the view within a screen of the end.
        assert all(step in (PAGE, 2 * PAGE) for step in steps[:-1]) and steps[-1] > 0
        assert [entry.id for entry in table(app).entries] == everything  # in order, no gap
        assert not status(app).startswith("first")
        await pilot.press("home")
        assert table(app).cursor_row == 0

    drive(scenario, size=(100, 24))


@pytest.mark.usefixtures("long_corpus")
def test_a_redraw_keeps_the_rows_down_to_the_cursor(drive: Callable[..., None]) -> None:
    """A store change redraws the table; the user scrolled past the first page stays there."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        table(app).focus()
        for _ in range(3):
            await pilot.press("end")
            await settle(pilot)
        chosen, row = table(app).current, table(app).cursor_row
        assert chosen is not None and row >= 2 * PAGE
        app.library.show_rows()
        await settle(pilot)
        assert table(app).current == chosen and table(app).cursor_row == row

    drive(scenario, size=(100, 24))


@pytest.mark.usefixtures("long_corpus")
def test_the_last_hit_fetches_more_hits(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"zebra")
        await settle(pilot)
        hits = app.library.hits
        assert hits is not None and hits.total == EXTRA
        assert f"top {table(app).row_count}" in status(app)
        counts = await end_until_all(app, pilot, EXTRA)
        assert counts[-1] == EXTRA and len(counts) > 2
        assert "top" not in status(app)
        assert all(entry.is_hit for entry in table(app).entries)
        # Page after page (each one's offset into one ranking) = one page of every hit.
        whole = app.workspace.index.search("zebra", limit=EXTRA)
        assert [entry.id for entry in table(app).entries] == [hit.id for hit in whole.hits]

    drive(scenario, size=(100, 24))


@pytest.mark.usefixtures("long_corpus")
def test_a_redraw_keeps_a_wheel_scrolled_view_where_it_was(drive: Callable[..., None]) -> None:
    """The wheel scrolls without moving the cursor: a store change must not scroll back."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        table(app).focus()
        await settle(pilot)
        table(app).scroll_to(y=12, animate=False)
        await settle(pilot)
        assert table(app).cursor_row == 0 and table(app).scroll_y == 12
        app.library.show_rows()  # what a store or corpus change does
        await settle(pilot)
        assert table(app).cursor_row == 0 and table(app).scroll_y == 12

    drive(scenario, size=(100, 24))


@pytest.mark.usefixtures("long_corpus")
def test_a_corpus_change_keeps_the_hits_scrolled_to(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"zebra")
        await settle(pilot)
        rebuilt = 0
        rebuild = table(app)._rebuild

        def counting(keep: str | None) -> None:
            nonlocal rebuilt
            rebuilt += 1
            rebuild(keep)

        table(app)._rebuild = counting  # type: ignore[method-assign]
        counts = await end_until_all(app, pilot, 4 * PAGE)
        assert counts[-1] >= 4 * PAGE and rebuilt == 0  # more hits are appended, not rebuilt
        chosen, row = table(app).current, table(app).cursor_row
        app.library.post_message(Changed(corpus=app.workspace.corpus))
        await settle(pilot)
        hits = app.library.hits
        assert hits is not None and len(hits.hits) == counts[-1]
        assert table(app).row_count == counts[-1]
        current = table(app).current
        assert current is not None and chosen is not None
        assert (current.id, table(app).cursor_row) == (chosen.id, row)

    drive(scenario, size=(100, 24))


@pytest.mark.usefixtures("long_corpus")
def test_the_status_times_the_first_page_not_the_later_ones(
    drive: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        index = app.workspace.index
        search = index.search

        def slow_later_pages(query: str, **options: Any) -> SearchResult:
            if options.get("offset"):
                time.sleep(0.3)
            return search(query, **options)

        monkeypatch.setattr(index, "search", slow_later_pages)
        app.library.query_one(SearchBox).value = "zebra"
        await until(pilot, lambda: (h := app.library.hits) is not None and len(h.hits) == PAGE)
        hits = app.library.hits
        assert hits is not None and len(hits.hits) == PAGE  # the second page came
        assert hits.seconds < 0.3
        first = hits.seconds
        table(app).focus()
        await pilot.press("end")  # more hits, also slow: still the first page's time
        await until(pilot, lambda: (h := app.library.hits) is not None and len(h.hits) > PAGE)
        hits = app.library.hits
        assert hits is not None and len(hits.hits) > PAGE and hits.seconds == first

    drive(scenario, size=(100, 24))
