"""AnnotateDialog: focus, completion from the codebook, saving and cancelling by key."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App
from textual.widgets import Input, Static, TextArea

from tests.tui.conftest import burst, sync
from tui.dialogs.annotate import AnnotateDialog, AnnotationDraft, TagSuggester, parse_tags
from tui.key_order import OrderedKeysApp

CODEBOOK = ["sanctions", "trade", "actor/china", "actor/russia"]


class DialogApp(OrderedKeysApp[None]):
    """As GlossApp: keys sent at once are handed over one at a time."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__()
        self.kwargs = kwargs
        self.results: list[AnnotationDraft | None] = []

    def on_mount(self) -> None:
        dialog = AnnotateDialog("the quoted passage", codebook=CODEBOOK, **self.kwargs)  # type: ignore[arg-type]
        self.push_screen(dialog, self.results.append)


def test_parse_tags_trims_and_drops_repeats() -> None:
    assert parse_tags(" trade, ,sanctions,Trade ,actor/china") == (
        "trade",
        "sanctions",
        "actor/china",
    )
    assert parse_tags("") == ()


def test_suggester_completes_the_last_tag_only() -> None:
    suggester = TagSuggester(CODEBOOK)
    assert asyncio.run(suggester.get_suggestion("sa")) == "sanctions"
    assert asyncio.run(suggester.get_suggestion("trade, act")) == "trade, actor/china"
    assert asyncio.run(suggester.get_suggestion("trade, ")) is None
    assert suggester.matches("sanctions, ") == ["actor/china", "actor/russia", "trade"]


@sync
async def test_tag_field_has_focus_and_enter_saves_the_completed_tag() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input) and app.focused.id == "annotate-tags"
        await pilot.press("t", "r", "a", ",", "space", "s", "a")
        await pilot.pause()
        assert "sanctions" in str(app.screen.query_one("#annotate-known", Static).render())
        await pilot.press("right", "enter")
        await pilot.pause()
    assert app.results == [AnnotationDraft(tags=("tra", "sanctions"), note="")]


@sync
async def test_tab_reaches_the_note_and_ctrl_s_saves_from_there() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"trade", "tab")
        assert isinstance(app.focused, TextArea) and app.focused.id == "annotate-note"
        await pilot.press(*"first", "enter", *"second")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == [AnnotationDraft(tags=("trade",), note="first\nsecond")]


@sync
async def test_escape_cancels_from_either_field() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"trade", "tab", *"note", "escape")
        await pilot.pause()
        assert app.results == [None]


@sync
async def test_nothing_to_save_keeps_the_dialog_open() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, AnnotateDialog)


@sync
async def test_editing_starts_from_the_current_tags_and_note() -> None:
    app = DialogApp(tags=("trade",), note="kept")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", *", sanctions", "enter")
        await pilot.pause()
    assert app.results == [AnnotationDraft(tags=("trade", "sanctions"), note="kept")]


@sync
async def test_a_tag_the_core_refuses_keeps_the_dialog_open() -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"two words", "enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, AnnotateDialog)
        await pilot.press("ctrl+u", *"two/words", "enter")
        await pilot.pause()
    assert app.results == [AnnotationDraft(tags=("two/words",), note="")]


@sync
async def test_a_long_quote_is_cut_with_an_ellipsis() -> None:
    app = App[None]()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(AnnotateDialog("word " * 200 + "\x1b end"))
        await pilot.pause()
        quote = app.screen.query_one("#annotate-quote", Static)
        text = str(quote.render())
        assert text.endswith("…”") and "end" not in text
        assert quote.size.height <= 3 and len(text) <= quote.size.width * 3


@sync
async def test_tab_in_a_burst_of_keys_moves_on_before_the_next_key() -> None:
    """Keys pasted or sent by a script arrive together: the text after tab is the note's.

    Textual runs the tab binding once the key has bubbled back up to the app; by then
    the tag field had taken the keys behind it, and the note ended up in the tags.
    """
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, "x", "\t", "y", "z")  # as the driver does, no waiting
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#annotate-tags", Input).value == "x"
        assert app.screen.query_one("#annotate-note", TextArea).text == "yz"
        burst(app, "shift+tab", "w")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one("#annotate-tags", Input).value == "xw"


@sync
async def test_ctrl_s_at_the_end_of_a_burst_saves_what_came_before_it() -> None:
    """ctrl+s is a priority binding, run as it comes: it must still see the keys before it,
    and a second one (or escape) sent with it does nothing more."""
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, *"trade", "\t", *"a note", "ctrl+s", "ctrl+s")  # twice: saved once
        for _ in range(4):
            await pilot.pause()
        assert app.results == [AnnotationDraft(tags=("trade",), note="a note")]


@pytest.mark.parametrize(
    ("keys", "result"),
    [
        (["x", "escape", "ctrl+s"], None),  # cancelled first: the save finds it closed
        (["x", "ctrl+s", "escape"], AnnotationDraft(tags=("x",), note="")),
        (["x", "enter", "y"], AnnotationDraft(tags=("x",), note="")),  # y came after enter
    ],
)
@sync
async def test_a_burst_is_applied_in_the_order_it_was_typed(
    keys: list[str], result: AnnotationDraft | None
) -> None:
    app = DialogApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, *keys)
        for _ in range(4):
            await pilot.pause()
        assert app.results == [result]
