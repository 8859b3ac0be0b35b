"""Annotations that need review: marked in the library, queued on their own screen
(issue 17 #20 and #21)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label
from textual.widgets.data_table import ColumnKey

from tests.tui.conftest import notifications, settle
from tests.tui.test_palette import run_command
from tui.app import GlossApp
from tui.core.annotations.review import needing_review
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.anchors import AnchorsScreen
from tui.screens.help import HelpScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article_table import COLUMNS, ArticleTable

EDITED = "000_1b8bce5c4f6c6391"


@pytest.fixture
def drifted(annotated: Path) -> Path:
    """The annotated project with article 000 edited under two of its annotations: one
    becomes fuzzy (a changed digit), the other orphaned (the name is gone everywhere)."""
    path = annotated / "seeds" / f"{EDITED}.txt"
    text = path.read_text(encoding="utf-8")
    text = text.replace("348 Chinese counterparts", "349 Chinese counterpart")
    path.write_text(text.replace("ExpoElectronica", "the fair"), encoding="utf-8")
    return annotated


def states(project: Path) -> dict[str, str]:
    workspace = Workspace(resolve_project(cwd=project))
    review = needing_review(workspace.store, workspace.corpus)
    return {p.exact: p.state for items in review.values() for p in items}


def test_needing_review_reads_only_what_changed(drifted: Path) -> None:
    assert states(drifted) == {"348 Chinese counterparts": "fuzzy", "ExpoElectronica": "orphaned"}


def test_the_library_says_annots_and_marks_articles_to_review(
    drifted: Path, drive: Callable[..., None]
) -> None:
    """#20: the column said "Notes" and nothing marked an article with a fuzzy and an
    orphaned annotation."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert dict(COLUMNS)["notes"] == "Annots"
        table = app.library.query_one(ArticleTable)
        header = table.columns[ColumnKey("notes")].label
        assert str(header).startswith("Annots")
        assert app.library.review == {EDITED: 2}
        row = table.get_row(EDITED)
        cell = row[-1]
        assert isinstance(cell, Text) and cell.plain == "! 2"
        others = [e for e in table.entries if e.notes and e.id != EDITED]
        assert others and all(not e.review for e in others)
        plain = table.get_row(others[0].id)[-1]
        assert isinstance(plain, Text) and "!" not in plain.plain
        await pilot.press("f", "!")  # `!` alone in the filter: only what needs review
        await settle(pilot)
        assert [e.id for e in table.entries] == [EDITED]
        await pilot.press("backspace")
        await settle(pilot)
        assert len(table.entries) == 5
        await pilot.press("escape", "slash", *"china")
        await settle(pilot)
        assert app.library.hits is not None and len(table.entries) > 1
        app.library.query_one("#filter", Input).value = "!"  # on the hits too
        await settle(pilot)
        assert [e.id for e in table.entries] == [EDITED]

    drive(scenario)


def test_the_review_queue_accepts_a_fuzzy_match_and_opens_an_orphan(
    drifted: Path, drive: Callable[..., None]
) -> None:
    """#21: no way to accept a fuzzy match from the app; the CLI's `gloss reattach ID`."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await run_command(pilot, "fuzzy and orphaned")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AnchorsScreen)
        assert [i.placed.state for i in screen.items] == ["fuzzy", "orphaned"] or [
            i.placed.state for i in screen.items
        ] == ["orphaned", "fuzzy"]
        summary = str(screen.query_one("#anchors-summary", Label).content)
        assert summary.startswith("2 annotations to review")
        table = screen.query_one(DataTable)
        fuzzy = next(i for i, item in enumerate(screen.items) if item.placed.state == "fuzzy")
        orphan = 1 - fuzzy
        table.move_cursor(row=orphan)
        await pilot.press("a")  # an orphan has nothing to accept: said, nothing written
        await settle(pilot)
        assert "nothing was found to accept" in told[-1][1]
        table.move_cursor(row=fuzzy)
        assert screen.items[fuzzy].found == "349 Chinese counterpart"
        await pilot.press("a")
        await settle(pilot)
        assert told[-1][0] == "Review" and "349 Chinese counterpart" in told[-1][1]
        assert states(drifted) == {"ExpoElectronica": "orphaned"}
        assert [i.placed.state for i in screen.items] == ["orphaned"]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = {
            str(row[1].plain)
            for row in map(
                app.screen.query_one(DataTable).get_row_at,
                range(app.screen.query_one(DataTable).row_count),
            )
        }
        assert {"Accept", "Re-attach", "Open"} <= keys
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article_id == EDITED
        assert "press r to re-attach" in told[-1][1]
        await pilot.press("u")  # the accept is undoable like any change
        await settle(pilot)
        assert states(drifted)["348 Chinese counterparts"] == "fuzzy"

    drive(scenario)
