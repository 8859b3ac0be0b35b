"""Keys sent at once (a paste, a script, tmux send-keys) act as if typed one by one."""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

import tui.key_order as key_order
from tests.tui.conftest import burst, settle, until
from tui.app import GlossApp
from tui.key_order import KEY_WAIT
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.reader_view import ReaderView
from tui.widgets.search_box import SearchBox


@pytest.fixture
def patient_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keys wait longer for the one before: on a loaded machine opening the reader can take
    more than KEY_WAIT, and these tests are about the order, not the limit."""
    monkeypatch.setattr(key_order, "KEY_WAIT", 5.0)


def test_slash_and_a_query_at_once_type_the_query(drive: Callable[..., None]) -> None:
    """'/putin' at once used to open Tags: the t reached the table before / moved focus."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        burst(app, *"/putin")
        box = app.library.query_one(SearchBox)
        await until(pilot, lambda: box.value == "putin")
        assert isinstance(app.screen, LibraryScreen)
        assert box.value == "putin" and app.focused is box

    drive(scenario)


@pytest.mark.usefixtures("patient_keys")
def test_annotating_at_once_saves_the_tag_and_the_note(
    drive: Callable[..., None], project_dir: Path
) -> None:
    """'a', a tag, tab, a note and ctrl+s in one go: the dialog opens and takes them all."""
    opened: list[str] = []

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        burst(app, *"/putin")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        reader: ReaderScreen = screen  # (a lambda below reads it: narrowed for good)
        opened.append(reader.article_id)
        burst(app, "n", "a", *"actor/russia", "\t", *"seen in Harbin", "ctrl+s", "n")
        await until(pilot, lambda: app.screen is reader and bool(reader.entries))
        await settle(pilot)
        assert app.screen is reader
        assert reader.query_one(ReaderView).selected_span() == reader.matches[2]

    drive(scenario)
    path = project_dir / "annotations" / f"{opened[0]}.toml"
    (record,) = tomllib.loads(path.read_text())["annotation"]
    assert record["tags"] == ["actor/russia"] and record["note"] == "seen in Harbin"


def test_escape_then_keys_at_once_go_back_and_act_in_the_library(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader(next(iter(app.workspace.corpus.articles)))
        await settle(pilot)
        burst(app, "\x1b", "/", *"trade")
        box = app.library.query_one(SearchBox)
        await until(pilot, lambda: box.value == "trade")
        assert isinstance(app.screen, LibraryScreen) and box.value == "trade"

    drive(scenario)


@pytest.mark.usefixtures("patient_keys")
def test_a_key_after_enter_in_the_search_box_reaches_the_reader(
    drive: Callable[..., None],
) -> None:
    """enter submits through a message posted behind the key: the next key waits for it."""

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        burst(app, *"/putin")
        await settle(pilot)
        burst(app, "\r", "n")
        await until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert app.library.query_one(SearchBox).value == "putin"  # the n did not go there
        assert reader.query_one(ReaderView).selected_span() == reader.matches[1]

    drive(scenario)


def test_keys_after_the_terminal_lost_focus_keep_their_order(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.post_message(events.AppBlur())
        await settle(pilot)
        burst(app, *"/putin")
        box = app.library.query_one(SearchBox)
        await until(pilot, lambda: box.value == "putin")
        assert box.value == "putin"

    drive(scenario)


def test_keys_are_not_held_back_when_nothing_has_focus(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.screen.set_focus(None)
        started = time.monotonic()
        for key in "sSsS":
            await pilot.press(key)
        assert time.monotonic() - started < 4 * KEY_WAIT / 2  # it was KEY_WAIT a key

    drive(scenario)
