"""Quitting the app over an annotation dialog with typed work asks first (issue 17 #1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.dialogs.annotate import AnnotateDialog
from tui.dialogs.confirm import ConfirmDialog


@pytest.mark.parametrize("quit_key", ["ctrl+q", "q"])
def test_quit_with_typed_tags_and_note_asks_and_no_keeps_them(
    drive: Callable[..., None], quit_key: str
) -> None:
    """`ctrl+q` closed the app straight away and the note typed for five minutes was gone."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader(sorted(app.workspace.corpus.articles)[0])
        await settle(pilot)
        await app.push_screen(AnnotateDialog("harbin", codebook=["actor/china"]))
        await pilot.press(*"x/y", "tab", *"a long note I typed for five minutes")
        await pilot.press(quit_key if quit_key != "q" else "ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AnnotateDialog)
        note = app.screen.query_one("#annotate-note", TextArea).text
        assert note == "a long note I typed for five minutes"
        await pilot.press("ctrl+q")
        await pilot.pause()
        if quit_key == "q":  # the quit key again in the question answers no
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, AnnotateDialog)
            await pilot.press("ctrl+q")
            await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


def test_quit_with_an_untouched_dialog_does_not_ask(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await app.push_screen(AnnotateDialog("harbin"))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)
