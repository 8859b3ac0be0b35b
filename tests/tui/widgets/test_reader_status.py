"""The reader's status line, as text: each part says what applies now."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len

from tests.tui.conftest import settle, sync
from tests.tui.reader_host import ARTICLE, ReaderApp, spans_of
from tui.core.annotations.model import Anchored, Annotation, State
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.widgets.reader_status import ReaderState, ReaderStatus, status_text


def entry(start: int | None, tags: tuple[str, ...] = ()) -> Anchored:
    annotation = Annotation("id", "a", 0, 5, "Alpha", "", "", "", tags=tags)
    state: State = "exact" if start is not None else "orphaned"
    return Anchored(annotation, state, start, start)


def test_nothing_to_say_shows_the_title() -> None:
    assert status_text(ReaderState("A title")) == "A title"


def test_matches_annotations_and_the_selection() -> None:
    here = entry(0, ("trade",))
    state = ReaderState(
        "A title",
        matches=24,
        match_index=1,
        query="Russia",
        entries=(here, entry(None)),
        here=here,
        selected=(10, 16),
    )
    assert status_text(state) == (
        "“Russia” match 2/24 · 2 annotations (1 orphaned) · [trade] e edit, d delete"
        " · 6 chars selected (a annotates)"
    )
    assert status_text(ReaderState("t", matches=3)) == "match -/3"
    selecting = status_text(ReaderState("t", selecting=True, selected=(0, 1)))
    assert selecting == "SELECT 1 chars: arrows extend, a annotate, v/esc stop"


def test_page_deleted_and_a_quoted_query_not_quoted_again() -> None:
    state = ReaderState("t", matches=1, match_index=0, query='"final line"', page=3)
    assert status_text(state) == 'p. 3 · "final line" match 1/1'
    gone = status_text(ReaderState("t", deleted=True, selected=(0, 4)))
    assert gone == "This article was deleted from disk (read-only)"


def test_a_narrow_line_drops_hints_then_clips_but_keeps_the_counts() -> None:
    here = entry(0, ("actor/china", "sanctions/evasion", "region/central-asia"))
    state = ReaderState(
        "t",
        matches=12,
        match_index=4,
        query='"final line mentions of the sanctions regime"',
        entries=(here, entry(None)),
        here=here,
        selected=(10, 30),
    )
    full = status_text(state)
    assert status_text(state, width=len(full)) == full  # fits: said in full
    one_less = status_text(state, width=len(full) - 1)  # the last part's hint goes first
    assert "(a annotates)" not in one_less and "20 chars selected" in one_less
    assert "e edit" in one_less
    hints_gone = status_text(state, width=len(full) - 20)
    assert "e edit" not in hints_gone and "region/central-asia" in hints_gone
    for width in (100, 80, 66):
        line = status_text(state, width=width)
        assert cell_len(line) <= width, (width, line)
        assert "match 5/12" in line and "2 annotations (1 orphaned)" in line
        assert "“" not in line  # a quoted phrase is clipped inside its own quotes
    assert status_text(state, width=66).startswith("match 5/12 · ")


@sync
async def test_the_reader_status_fits_its_width_and_follows_a_resize(project_dir: Path) -> None:
    body = Workspace(resolve_project(cwd=project_dir)).corpus.get(ARTICLE).body
    query = "Moscow OR sanctions OR electronics OR exhibition OR cooperation"
    app = ReaderApp(project_dir, query=query, spans=spans_of(body, "Moscow"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        status = app.screen.query_one(ReaderStatus)
        wide = str(status.render())
        assert query in wide and "…" not in wide
        await pilot.resize_terminal(50, 40)
        await settle(pilot)
        narrow = str(status.render())
        assert "match 2/" in narrow and query not in narrow
        assert cell_len(narrow) <= status.content_size.width


def test_the_opening_notice_is_all_the_line_says_and_fits_its_width() -> None:
    notice = "Opening “A very long title of a very long article indeed” (500 KB)…"
    state = ReaderState("t", matches=3, opening=notice)
    assert status_text(state) == notice
    assert status_text(state, 30) == notice[:29] + "…"
