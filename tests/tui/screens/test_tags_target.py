"""Tags screen keys act on the tag being looked at, follow a rename, and undo (issue 17 #3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Label

from tests.tui.conftest import notifications, settle
from tests.tui.screens.test_tags import answer, go_to, open_tags, tree
from tests.tui.test_palette import run_command
from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.dialogs.prompt import PromptScreen
from tui.screens.help import HelpScreen
from tui.screens.tags import TagsScreen
from tui.widgets.tag_annotations import TagAnnotations


def prompt_title(app: GlossApp) -> str:
    assert isinstance(app.screen, PromptScreen)
    return str(app.screen.query_one("#prompt-title", Label).content)


def tags_in_store(project: Path) -> set[str]:
    store = Workspace(resolve_project(cwd=project)).store
    return {tag for a in store.scan() for tag in a.tags}


def test_rename_follows_the_tag_and_the_list_is_the_target(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "actor/china")
        await pilot.press("enter")  # lists its annotations; focus goes to the list
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        assert screen.query_one(TagAnnotations).has_focus
        await pilot.press("r")
        await pilot.pause()
        assert prompt_title(app) == "Rename the tag actor/china (2 annotations) to"
        await answer(pilot, "actor/prc")
        await settle(pilot)
        assert tree(app).current_tag == "actor/prc"  # not back on the first row
        assert screen.listed_tag == "actor/prc"
        details = str(screen.query_one("#tag-details", Label).content)
        assert details.startswith("actor/prc:") and "2 annotations" in details
        # From the list, after moving in it, the keys still name the listed tag, and
        # the tree's cursor elsewhere does not matter.
        tree(app).select_tag("trade")
        await pilot.pause()
        screen.query_one(TagAnnotations).focus()
        await pilot.press("down", "c")
        await pilot.pause()
        assert prompt_title(app) == "Colour of actor/prc"
        await pilot.press("escape")
        await pilot.pause()
        # A tag with sub-tags says what moves with it.
        tree(app).focus()
        await go_to(pilot, "actor")
        await pilot.press("r")
        await pilot.pause()
        assert prompt_title(app) == (
            "Rename actor and its 2 sub-tags (actor/prc, actor/russia; 4 annotations) to"
        )
        await pilot.press("escape")
        await settle(pilot)
        assert "actor/prc" in tags_in_store(annotated)

    drive(scenario)


def test_undo_and_redo_on_the_tags_screen_and_in_the_palette(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await open_tags(pilot)
        await go_to(pilot, "trade")
        await pilot.press("r")
        await answer(pilot, "commerce")
        await settle(pilot)
        assert "commerce" in tags_in_store(annotated)
        assert tree(app).current_tag == "commerce"
        await pilot.press("enter")  # list it: the list follows the undo too
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TagsScreen)
        assert tree(app).current_tag == "trade" and screen.listed_tag == "trade"
        details = str(screen.query_one("#tag-details", Label).content)
        assert details.startswith("trade: Trade and commerce")
        assert "trade" in tags_in_store(annotated) and "commerce" not in tags_in_store(annotated)
        assert told[-1] == ("Codebook", "Undone: rename tag trade to commerce")
        assert "trade" in tree(app).tags or "trade" in tree(app).totals
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert "commerce" in tags_in_store(annotated)
        await run_command(pilot, "undo")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        assert "trade" in tags_in_store(annotated)
        await run_command(pilot, "redo")
        await settle(pilot)
        assert "commerce" in tags_in_store(annotated)
        assert told[-1][1].startswith("Redone:")

    drive(scenario)


def test_a_tag_key_the_reader_uses_is_refused_and_tag_keys_are_in_the_readers_help(
    annotated: Path, drive: Callable[..., None]
) -> None:
    """Issue 17 #8: `--key n` was accepted, but `n` stayed "next match" in the reader,
    and tag keys were not listed in `?`."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "actor/china")
        await pilot.press("k")
        await pilot.pause()
        assert prompt_title(app) == "Reader key of actor/china (one character)"
        await answer(pilot, "n")
        assert isinstance(app.screen, PromptScreen)  # asked again, with the reason
        error = str(app.screen.query_one("#prompt-error", Label).content)
        assert "is the reader's Next (reader.next_match)" in error
        await answer(pilot, "z")
        store = Workspace(resolve_project(cwd=annotated)).store
        assert store.codebook().tags["actor/china"].key == "z"
        await pilot.press("escape")
        await settle(pilot)
        app.open_reader(sorted(app.workspace.corpus.articles)[0])
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert ("z", "Tag actor/china") in [(r[0].plain, r[1].plain) for r in rows]

    drive(scenario)
