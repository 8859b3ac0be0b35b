"""The shell: quitting, help, moving between screens, and the keys every screen shares."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label

from tests.tui.conftest import notifications, settle
from tui.app import GlossApp
from tui.display import display_path
from tui.keymap import APP_COMMANDS, LIBRARY_COMMANDS, TAGS_COMMANDS
from tui.screens import library
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.tags import TagsScreen
from tui.widgets.article_table import ArticleTable
from tui.widgets.search_box import PLACEHOLDERS, SearchBox


def help_rows(app: GlossApp) -> list[tuple[str, str]]:
    table = app.screen.query_one(DataTable)
    return [
        (str(table.get_row_at(i)[0]), str(table.get_row_at(i)[1])) for i in range(table.row_count)
    ]


def test_q_quits_from_the_library(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


def test_q_types_into_the_search_box_instead_of_quitting(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.is_running
        assert app.library.query_one("#search", Input).value == "q"
        await pilot.press("escape", "q")  # leave the field, then q quits
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


def test_q_quits_from_the_tags_screen_and_the_help(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


def test_help_lists_the_library_keys_then_closes(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        for key, name in [
            ("f", "Filter"),
            ("s", "Sort"),
            ("S", "Reverse"),
            ("t", "Tags"),
            ("q", "Quit"),
            ("/", "Search"),
            ("?", "Keys"),
        ]:
            assert (key, name) in rows
        # The screen's own commands come before the app's.
        assert rows.index(("f", "Filter")) < rows.index(("q", "Quit"))
        # Each says what it does, and the id that remaps it in config.toml.
        table = app.screen.query_one(DataTable)
        tip = str(table.get_row_at(rows.index(("f", "Filter")))[2])
        assert tip.startswith("Show only rows") and tip.endswith("[filter]")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)

    drive(scenario)


def test_help_on_the_tags_screen_lists_its_own_keys(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = help_rows(app)
        assert ("r", "Rename") in rows and ("c", "Colour") in rows
        assert ("f", "Filter") not in rows
        assert ("t", "Tags") not in rows  # already there: disabled, not listed
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)

    drive(scenario)


def test_t_opens_tags_and_escape_comes_back(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("t")  # no second tags screen on top of the first
        await pilot.pause()
        assert len(app.screen_stack) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)

    drive(scenario)


def test_slash_from_the_tags_screen_goes_to_the_search_box(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.focused is app.library.query_one("#search")

    drive(scenario)


def test_every_binding_has_an_id_and_a_tooltip() -> None:
    for command in (*APP_COMMANDS, *LIBRARY_COMMANDS, *TAGS_COMMANDS):
        if command.key is None:
            continue
        binding = command.binding()
        assert binding.id == command.id
        assert binding.tooltip, command.id
    keys = [c.key for c in (*APP_COMMANDS, *LIBRARY_COMMANDS) if c.key]
    assert len(keys) == len(set(keys)), "two library commands share a key"


def test_header_and_status_show_the_corpus_folder(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert app.sub_title == "seeds"  # relative to the project folder the test runs in
        assert str(app.library.query_one("#status-path", Label).content) == "seeds"

    drive(scenario)


def test_display_path_prefers_relative_then_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert display_path(tmp_path / "a" / "b") == "a/b"
    assert display_path(tmp_path) == "."


def write_config(text: str) -> None:
    folder = Path(os.environ["GLOSS_CONFIG"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")


def test_keys_and_theme_come_from_the_user_config(drive: Callable[..., None]) -> None:
    write_config('theme = "textual-light"\n[keys]\nfilter = "g"\nquit = "ctrl+q,x"\n')

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert app.theme == "textual-light"
        await pilot.press("g")
        assert app.focused is app.library.query_one("#filter")
        await pilot.press("escape", "f")  # f is no longer the filter key
        assert app.focused is not app.library.query_one("#filter")
        await pilot.press("x")
        await pilot.pause()
        assert not app.is_running

    drive(scenario)


def test_a_bad_config_is_reported_and_defaults_kept(drive: Callable[..., None]) -> None:
    write_config('theme = "no-such-theme"\n')

    recorded: dict[str, list[tuple[str, str]]] = {}

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert app.theme != "no-such-theme"
        told = recorded["told"]
        assert any(title == "Settings" and "no-such-theme" in text for title, text in told)

    drive(scenario, before=lambda app: recorded.setdefault("told", notifications(app)))


def test_keys_typed_after_q_open_nothing(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        stack = list(app.screen_stack)
        app.exit()  # what q does; a fast typist's next keys still arrive
        assert app.quitting
        assert app.check_action("tags", ()) is False
        assert app.check_action("help", ()) is False
        app.open_reader("000_1b8bce5c4f6c6391")
        assert app.screen_stack == stack

    drive(scenario)


def test_at_80x24_help_cells_and_the_search_hint_are_never_cut_without_an_ellipsis(
    drive: Callable[..., None],
) -> None:
    def check_help(app: GlossApp) -> list[str]:
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        widths = [column.width for column in table.columns.values()]  # fixed: cells wrap
        shown = []
        for row in range(table.row_count):
            cells = table.get_row_at(row)
            for column, cell in enumerate(cells):
                assert isinstance(cell, Text)
                if column == 0:  # keys are one line: they fit or end with an ellipsis
                    assert cell_len(cell.plain) <= widths[0] or cell.plain.endswith("…")
                else:  # the others wrap at spaces: no word is wider than its column
                    longest = max(cell_len(word) for word in cell.plain.split(" "))
                    assert longest <= widths[column], (cell.plain, widths[column])
            shown.append(cells[2].plain)
        return shown

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        box = app.library.query_one(SearchBox)
        assert box.placeholder in PLACEHOLDERS
        assert cell_len(box.placeholder) < box.content_size.width
        assert "tag:" in box.placeholder  # the hint shrinks, it does not vanish
        await pilot.press("question_mark")
        await pilot.pause()
        check_help(app)
        await pilot.press("escape", "enter")
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        tips = " ".join(check_help(app))
        assert "[reader.previous_annotation]" in tips  # a long id whole, on its own line

    drive(scenario, size=(80, 24))


def test_a_small_corpus_is_listed_in_the_first_frame(
    make_app: Callable[[], GlossApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No "Reading the corpus" frame before the seeds: the first frame waits briefly for them.

    The wait is raised here so a loaded test machine cannot make it flaky; what is tested
    is that the first frame waits, not how fast the seeds are read.
    """
    monkeypatch.setattr(library, "FIRST_FRAME_WAIT", 10.0)
    shown: list[int] = []

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)):
            shown.append(app.library.query_one(ArticleTable).row_count)

    asyncio.run(main())
    assert shown == [5]
