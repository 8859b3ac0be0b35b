"""The reader's annotation keys, end to end: keys in, TOML out, highlights on screen."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

import tui.watcher as watcher_module
from tests.tui.conftest import finished, settle, sync
from tests.tui.reader_host import ARTICLE, ReaderApp, spans_of
from tui.core.annotations.store import AnnotationStore
from tui.core.models import Article
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.dialogs.annotate import AnnotateDialog
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.reader import ReaderScreen
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.reader_view import ReaderView


def stored(project: Path, article_id: str = ARTICLE) -> list[dict[str, Any]]:
    path = project / "annotations" / f"{article_id}.toml"
    if not path.exists():
        return []
    return list(tomllib.loads(path.read_text())["annotation"])


@pytest.fixture
def article(project_dir: Path) -> Article:
    return Workspace(resolve_project(cwd=project_dir)).corpus.get(ARTICLE)


@pytest.fixture
def store(project_dir: Path) -> AnnotationStore:
    return Workspace(resolve_project(cwd=project_dir)).store


def tinted_text(view: ReaderView, start: int, end: int) -> str:
    """The characters of a row painted with a tag tint (a background not of the theme)."""
    row, _ = view.location_of(start)
    line = view.get_line(row)
    plain = line.plain
    shown = {"reader-view--match", "reader-view--boilerplate"}
    theme = {view.get_component_rich_style(name) for name in shown}
    return "".join(
        plain[s.start : s.end]
        for s in line.spans
        if s.style not in theme and getattr(s.style, "bgcolor", None) is not None
    )


@sync
async def test_search_to_saved_annotation_flow(project_dir: Path, article: Article) -> None:
    """Open on matches, walk them with n/N, annotate with a, a tag, enter: TOML written."""
    spans = spans_of(article.body, "sanctions")
    app = ReaderApp(project_dir, query="sanctions", spans=spans)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ReaderView)
        assert view.selected_span() == spans[0]
        await pilot.press("n", "n", "N")
        assert view.selected_span() == spans[1]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AnnotateDialog)
        await pilot.press(*"sanctions", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        records = stored(project_dir)
        assert len(records) == 1
        record = records[0]
        assert (record["start"], record["end"]) == spans[1]
        assert record["exact"] == "sanctions" and record["tags"] == ["sanctions"]
        # The highlight is painted at once, in the tag's colour.
        assert tinted_text(view, *spans[1]) == "sanctions"
        assert (project_dir / "annotations" / "tags.toml").exists()


@sync
async def test_keyboard_selection_then_note_saved_with_ctrl_s(
    project_dir: Path, article: Article
) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v", "ctrl+right", "ctrl+right", "a")
        await pilot.pause()
        await pilot.press(*"actor/china", "tab", *"two words", "enter", *"second line", "ctrl+s")
        await settle(pilot)
        (record,) = stored(project_dir)
        assert record["start"] == 0 and record["exact"] == article.body[: record["end"]]
        assert record["exact"].startswith("China'")  # two word moves from the start
        assert record["note"] == "two words\nsecond line"


@sync
async def test_a_needs_a_selection_and_escape_cancels(project_dir: Path) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.check_action("annotate", ()) is None  # greyed out: nothing selected
        await pilot.press("a")
        assert app.screen is screen
        await pilot.press("shift+right", "shift+right")
        assert screen.check_action("annotate", ()) is True
        await pilot.press("a", *"trade", "escape", "y")  # y: discard what was typed
        await settle(pilot)
        assert app.screen is screen
        assert stored(project_dir) == []


@sync
async def test_a_codebook_key_tags_the_selection_in_one_stroke(
    project_dir: Path, article: Article, store: AnnotationStore
) -> None:
    store.set_tag("trade", key="x")
    store.set_tag("event", key="n")  # n is the reader's: it keeps its meaning
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # no selection: nothing happens
        await pilot.press("shift+right", "shift+right", "shift+right", "n", "x")
        await settle(pilot)
        (record,) = stored(project_dir)
        assert record["tags"] == ["trade"] and (record["start"], record["end"]) == (0, 3)


@sync
async def test_open_on_annotation_then_edit_it(
    project_dir: Path, article: Article, store: AnnotationStore
) -> None:
    start = article.body.index("ExpoElectronica", 200)
    made = store.add(article, start, start + 15, ["trade"], "first")
    app = ReaderApp(project_dir, annotation_id=made.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ReaderView)
        assert view.selected_span() == (start, start + 15)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AnnotateDialog) and dialog.initial_tags == "trade"
        await pilot.press("end", *", expo", "tab", "end", *" and more", "ctrl+s")
        await settle(pilot)
        (record,) = stored(project_dir)
        assert record["tags"] == ["trade", "expo"] and record["note"] == "first and more"


@sync
async def test_delete_asks_then_undo_and_redo(
    project_dir: Path, article: Article, store: AnnotationStore
) -> None:
    made = store.add(article, 0, 7, ["trade"])
    app = ReaderApp(project_dir, annotation_id=made.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing deleted
        await settle(pilot)
        assert len(stored(project_dir)) == 1
        await pilot.press("d", "y")
        await settle(pilot)
        assert stored(project_dir) == []
        assert app.screen.query_one(AnnotationPanel).option_count == 0
        await pilot.press("u")
        await settle(pilot)
        assert [r["id"] for r in stored(project_dir)] == [made.id]
        assert app.screen.query_one(AnnotationPanel).option_count == 1
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert stored(project_dir) == []
        await pilot.press("ctrl+r")  # nothing left to redo: a warning, no crash
        await settle(pilot)
        assert app.messages[-1][1] == "warning"


@sync
async def test_brackets_jump_between_annotations(
    project_dir: Path, article: Article, store: AnnotationStore
) -> None:
    first = store.add(article, 100, 110, ["a"])
    second = store.add(article, 400, 420, ["b"])
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ReaderView)
        await pilot.press("]")
        assert view.selected_span() == (first.start, first.end)
        await pilot.press("]")
        assert view.selected_span() == (second.start, second.end)
        await pilot.press("]")  # wraps
        assert view.selected_span() == (first.start, first.end)
        await pilot.press("[")
        assert view.selected_span() == (second.start, second.end)


@sync
async def test_panel_toggles_and_reattaches_an_orphan(project_dir: Path, article: Article) -> None:
    # Annotate a passage, then rewrite the article so the passage is gone.
    store = Workspace(resolve_project(cwd=project_dir)).store
    start = article.body.index("IMAXChip Technology")
    made = store.add(article, start, start + 19, ["actor/china"])
    article.path.write_text(article.body.replace("IMAXChip Technology", "A vendor"))
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(AnnotationPanel)
        assert not panel.display  # starts hidden at 80 columns
        await pilot.press("s")
        assert panel.display
        assert [e.state for e in panel.entries] == ["orphaned"]
        assert "IMAXChip Technology" in str(panel.get_option_at_index(0).prompt)
        view = screen.query_one(ReaderView)
        body = app.workspace.corpus.get(ARTICLE).body
        new_start = body.index("A vendor")
        view.select_span(new_start, new_start + 8)
        panel.focus()
        panel.highlighted = 0
        await pilot.press("r")
        await settle(pilot)
        confirm = app.screen
        assert isinstance(confirm, ConfirmDialog)  # r asks first, naming both quotes
        assert "“IMAXChip Technology”" in confirm.message and "“A vendor”" in confirm.message
        await pilot.press("y")
        await settle(pilot)
        (record,) = stored(project_dir)
        assert record["id"] == made.id and record["exact"] == "A vendor"
        assert [e.state for e in panel.entries] == ["exact"]
        await pilot.press("s")
        assert not panel.display and app.focused is view


@sync
async def test_changes_from_another_process_appear(
    project_dir: Path, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watcher_module, "TICK", 0.05)
    monkeypatch.setattr(watcher_module, "STORE_SECONDS", 0.05)
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.option_count == 0
        other = AnnotationStore(project_dir / "annotations")  # a second process, in effect
        other.add(article, 50, 60, ["elsewhere"])
        for _ in range(40):
            await pilot.pause(0.05)
            await finished(app)
            if panel.option_count:
                break
        assert panel.option_count == 1
        # A broken file: a notification naming it, the app keeps running.
        path = project_dir / "annotations" / f"{ARTICLE}.toml"
        path.write_text(path.read_text() + "\nthis is = = not toml\n")
        for _ in range(40):
            await pilot.pause(0.05)
            await finished(app)
            if any(str(path) in m for m, _ in app.messages):
                break
        errors = [m for m, severity in app.messages if severity == "error"]
        assert errors and str(path) in errors[-1]
        assert isinstance(app.screen, ReaderScreen) and panel.option_count == 1


@sync
async def test_a_broken_codebook_is_named_and_highlights_stay(
    project_dir: Path, article: Article, store: AnnotationStore
) -> None:
    store.add(article, 0, 7, ["trade"])
    store.codebook_path.write_text("schema = 1\n[tags.trade\n")
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        errors = [m for m, severity in app.messages if severity == "error"]
        assert errors and str(store.codebook_path) in errors[0]
        assert app.screen.query_one(AnnotationPanel).option_count == 1
        assert tinted_text(app.screen.query_one(ReaderView), 0, 7) == article.body[:7]


@sync
async def test_the_quote_stored_and_shown_is_the_selection_without_surrounding_spaces(
    project_dir: Path, article: Article
) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        start = article.body.index(" has ")
        end = article.body.index(" ", start + 5) + 1  # " has <word> ", as a mouse drag takes it
        words = article.body[start + 1 : end - 1]
        screen.query_one(ReaderView).select_span(start, end)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AnnotateDialog)
        assert dialog.quote == words
        assert f"“{words}”" in str(dialog.query_one("#annotate-quote").render())
        await pilot.press(*"trade", "enter")
        await settle(pilot)
        (record,) = stored(project_dir)
        assert record["exact"] == words
        assert (record["start"], record["end"]) == (start + 1, end - 1)
        # Only spaces selected: nothing to annotate, and nothing is written.
        screen.query_one(ReaderView).select_span(start, start + 1)
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen
        assert app.messages[-1][1] == "warning"
        assert len(stored(project_dir)) == 1


@sync
async def test_a_tag_that_looks_like_markup_is_told_as_text(
    project_dir: Path, article: Article
) -> None:
    app = ReaderApp(project_dir)
    # Toasts are drawn (run_test hides them by default): markup would be parsed there.
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        screen.query_one(ReaderView).select_span(0, 5)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"[/x]", "enter")
        await settle(pilot)
        await pilot.pause(0.2)  # the toast is drawn
        assert app.is_running
        assert ("Annotated: [/x]", "information") in app.messages
        (record,) = stored(project_dir)
        assert record["tags"] == ["[/x]"]
        await pilot.press("u")  # undo tells the tag too
        await settle(pilot)
        await pilot.pause(0.2)
        assert app.is_running and stored(project_dir) == []


def test_q_quits_from_the_delete_confirmation_and_deletes_nothing(
    project_dir: Path, article: Article, store: AnnotationStore, drive: Callable[..., None]
) -> None:
    made = store.add(article, 0, 7, ["trade"])

    async def scenario(app: Any, pilot: Any) -> None:
        app.open_reader(ARTICLE, annotation_id=made.id)
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0  # the app is quitting

    drive(scenario)
    assert [r["id"] for r in stored(project_dir)] == [made.id]


@sync
async def test_a_failed_save_asks_again_with_what_was_typed(project_dir: Path) -> None:
    """A broken annotation file stops the save (and is left as it is); the dialog comes
    back with the tags and the note, so nothing the analyst typed is lost."""
    path = project_dir / "annotations" / f"{ARTICLE}.toml"
    path.write_text("this is = = not toml\n", encoding="utf-8")
    before = path.read_bytes()
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v", "ctrl+right", "a")
        await pilot.pause()
        await pilot.press(*"trade", "tab", *"a long note", "ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AnnotateDialog) and "not saved" in dialog.heading
        assert dialog.query_one("#annotate-tags", Input).value == "trade"
        assert dialog.query_one("#annotate-note", TextArea).text == "a long note"
        errors = [m for m, severity in app.messages if severity == "error"]
        assert errors and str(path) in errors[-1]
        await pilot.press("escape", "y")  # typed and not saved: esc asks first
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
    assert path.read_bytes() == before
