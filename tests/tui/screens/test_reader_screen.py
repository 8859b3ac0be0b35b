"""ReaderScreen driven by keys: matches, keyboard selection, back."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.conftest import sync
from tests.tui.reader_host import ARTICLE, ReaderApp, spans_of
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.reader import ReaderScreen
from tui.widgets.reader_view import ReaderView


@pytest.fixture
def body(project_dir: Path) -> str:
    return Workspace(resolve_project(cwd=project_dir)).corpus.get(ARTICLE).body


@sync
async def test_first_match_is_selected_and_n_N_walk_the_matches(
    project_dir: Path, body: str
) -> None:
    spans = spans_of(body, "sanctions")
    assert len(spans) >= 3
    app = ReaderApp(project_dir, query="sanctions", spans=spans)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        assert app.focused is view
        assert view.selected_span() == spans[0]
        assert view.selected_text == "sanctions"
        await pilot.press("n")
        assert view.selected_span() == spans[1]
        await pilot.press("n", "n")
        assert view.selected_span() == spans[3 % len(spans)]
        await pilot.press("N")
        assert view.selected_span() == spans[2]
        status = str(app.screen.query_one("#reader-status", Static).render())
        assert f"match 3/{len(spans)}" in status
        # The selected match is on screen: its row lies within the scrolled window.
        row = view.location_of(spans[2][0])[0]
        assert (
            view.scroll_offset.y
            <= view.wrapped_document.location_to_offset((row, 0)).y
            < view.scroll_offset.y + view.size.height
        )


@sync
async def test_N_from_the_first_match_wraps_to_the_last(project_dir: Path, body: str) -> None:
    spans = spans_of(body, "Russia")
    app = ReaderApp(project_dir, query="Russia", spans=spans)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("N")
        assert app.screen.query_one(ReaderView).selected_span() == spans[-1]


@sync
async def test_v_starts_a_selection_that_arrows_and_words_extend(
    project_dir: Path, body: str
) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        assert view.selected_span() is None
        await pilot.press("v", "right", "right", "ctrl+right")
        assert view.select_mode
        span = view.selected_span()
        assert span is not None and span[0] == 0
        assert view.selected_text == body[: span[1]] and span[1] > 2
        await pilot.press("down")
        assert view.selected_span() is not None and view.selected_span()[1] > span[1]  # type: ignore[index]
        await pilot.press("escape")  # leaves select mode, keeps the selection, stays here
        assert not view.select_mode and view.selected_span() is not None
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("right")  # plain movement again collapses the selection
        assert view.selected_span() is None


@sync
async def test_shift_arrows_select_and_selection_backwards_is_sorted(
    project_dir: Path, body: str
) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        view.move_cursor(view.location_of(10))
        await pilot.press("shift+left", "shift+left", "shift+left")
        assert view.selected_span() == (7, 10)
        assert view.selected_text == body[7:10]


@sync
async def test_mouse_drag_selects(project_dir: Path, body: str) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        await pilot.mouse_down(view, offset=(1, 0))
        await pilot.hover(view, offset=(8, 0))
        await pilot.mouse_up(view, offset=(8, 0))
        span = view.selected_span()
        assert span is not None and span[1] - span[0] == 7


@sync
async def test_escape_goes_back(project_dir: Path) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReaderScreen)


@sync
async def test_boilerplate_lines_are_dimmed(project_dir: Path) -> None:
    workspace = Workspace(resolve_project(cwd=project_dir))
    article = next(a for a in workspace.corpus.articles.values() if a.boilerplate)
    app = ReaderApp(project_dir, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        start, end = article.boilerplate[0]
        row, column = view.location_of(start)
        line = view.get_line(row)
        dim = view.get_component_rich_style("reader-view--boilerplate")
        assert any(
            s.style == dim and s.start <= column and s.end >= column + (end - start)
            for s in line.spans
        )


@sync
async def test_the_gloss_app_opens_the_reader_and_escape_returns(
    project_dir: Path, body: str
) -> None:
    """Through the real shell: GlossApp.open_reader pushes this screen, escape pops it."""
    from tui.app import GlossApp

    app = GlossApp(resolve_project(cwd=project_dir))
    spans = spans_of(body, "Russia")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_reader(ARTICLE, query="Russia", spans=spans)
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        assert screen.query_one(ReaderView).selected_span() == spans[0]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.screen_stack[0] and not isinstance(app.screen, ReaderScreen)
