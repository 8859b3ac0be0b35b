"""The reader's newer keys, end to end: memo, coders side by side, find, top/bottom, the
PDF page and deleted-article states, a confirmed re-attach, and `v` over a match."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from tests.documents import write_pdf
from tests.tui.conftest import notifications, settle, sync
from tests.tui.reader_host import ARTICLE, ReaderApp, spans_of
from tui.app import GlossApp
from tui.core.annotations.model import Anchored
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.memo import MemoDialog
from tui.dialogs.prompt import PromptScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.coder_columns import CoderColumns
from tui.widgets.reader_status import ReaderStatus
from tui.widgets.reader_view import ReaderView


def status(app: ReaderApp) -> str:
    return str(app.screen.query_one(ReaderStatus).render())


def toml(project: Path, article_id: str = ARTICLE) -> dict[str, object]:
    """The article's annotation file; {} when there is none (nothing left in it)."""
    path = project / "annotations" / f"{article_id}.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


@sync
async def test_m_edits_the_memo_shown_in_the_panel(project_dir: Path) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        memo = app.screen.query_one("#reader-memo", Static)
        assert not memo.display  # no memo yet: no box
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        await pilot.press(*"Check the figures", "enter", *"against customs", "ctrl+s")
        await settle(pilot)
        assert toml(project_dir)["memo"] == "Check the figures\nagainst customs"
        assert memo.display and "against customs" in str(memo.render())
        # esc on a changed memo asks; "n" keeps the dialog and what was typed.
        await pilot.press("m")
        await pilot.pause()
        await pilot.press(*" more", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MemoDialog)
        app.screen.query_one(TextArea).text = ""  # an empty memo clears it
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "memo" not in toml(project_dir) and not memo.display
        await pilot.press("u")  # one undoable change, like any other
        await settle(pilot)
        assert toml(project_dir)["memo"] == "Check the figures\nagainst customs"


def two_coders(project: Path) -> None:
    """alice and bob on the same "sanctions", bob alone on "ExpoElectronica"."""
    workspace = Workspace(resolve_project(cwd=project))
    article = workspace.corpus.get(ARTICLE)
    store = workspace.store
    start = article.body.index("sanctions")
    store.add(article, start, start + 9, ["sanctions"])
    store.add(article, start, start + 9, ["actor/russia"])
    expo = article.body.index("ExpoElectronica")
    store.add(article, expo, expo + 15, ["event"])
    path = project / "annotations" / f"{ARTICLE}.toml"
    blocks = path.read_text().split("[[annotation]]")
    for number, block in enumerate(blocks[1:], 1):  # alice tagged "sanctions", bob the rest
        author = "alice" if '    "sanctions",' in block else "bob"
        blocks[number] = re.sub(r'(?m)^author = ".*"$', f'author = "{author}"', block)
    path.write_text("[[annotation]]".join(blocks))


@sync
async def test_o_shows_each_coders_annotations_side_by_side(project_dir: Path) -> None:
    two_coders(project_dir)
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(CoderColumns)
        assert not table.display
        await pilot.press("o")
        await pilot.pause()
        assert table.display and table.coders == ["alice", "bob"]
        rows = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [
            ["ExpoElectronica", "—", "event"],
            ["sanctions", "sanctions", "actor/russia"],
        ]
        await pilot.press("down", "enter")  # selects that passage in the article
        await pilot.pause()
        view = app.screen.query_one(ReaderView)
        assert view.selected_text == "sanctions" and app.focused is view
        await pilot.press("o")
        assert not table.display


@sync
async def test_find_then_n_and_top_bottom(project_dir: Path) -> None:
    app = ReaderApp(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        body = screen.article.body
        view = screen.query_one(ReaderView)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"RUSSIA'S", "enter")  # case ignored
        await pilot.pause()
        found = [(m.start(), m.end()) for m in re.finditer("(?i)russia's", body)]
        assert screen.matches == tuple(found) and view.selected_span() == found[0]
        await pilot.press("n")
        assert view.selected_span() == found[1]
        assert status(app).startswith(f"“RUSSIA'S” match 2/{len(found)}")
        await pilot.press("G")
        assert view.cursor_offset == len(body) and view.scroll_y > 0
        await pilot.press("g")
        assert view.cursor_offset == 0 and view.scroll_y == 0
        await pilot.press("ctrl+end")
        assert view.cursor_offset == len(body)
        await pilot.press("ctrl+home")
        assert view.cursor_offset == 0


@sync
async def test_v_extends_a_match_and_words_keep_their_apostrophes(project_dir: Path) -> None:
    body = Workspace(resolve_project(cwd=project_dir)).corpus.get(ARTICLE).body
    spans = spans_of(body, "Moscow")
    app = ReaderApp(project_dir, query="Moscow", spans=spans)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        view = app.screen.query_one(ReaderView)
        second = spans[1]
        assert body[second[0] :].startswith("Moscow's invasion")
        await pilot.press("n", "v")
        assert view.selected_span() == second  # kept, not restarted at its end
        assert "SELECT 6 chars" in status(app)  # the count stays in SELECT mode
        await pilot.press("ctrl+right", "ctrl+right")
        assert view.selected_text == "Moscow's invasion"
        assert "SELECT 17 chars" in status(app)


@sync
async def test_r_reattaches_only_orphaned_or_fuzzy_and_names_the_quote(project_dir: Path) -> None:
    workspace = Workspace(resolve_project(cwd=project_dir))
    article = workspace.corpus.get(ARTICLE)
    start = article.body.index("sanctions")
    exact = workspace.store.add(article, start, start + 9, ["sanctions"])
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        panel = screen.query_one(AnnotationPanel)
        view = screen.query_one(ReaderView)
        panel.focus()
        panel.highlighted = 0
        await pilot.pause()
        assert str(panel.get_option_at_index(0).prompt).startswith("▶ ")  # the chosen one
        assert "[sanctions]" in status(app)  # the status line follows the chosen item
        other = article.body.index("Beijing")
        view.select_span(other, other + 7)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)  # no dialog: it is exact
        assert any("only an orphaned or fuzzy" in m for m, _ in app.messages)
        assert toml(project_dir)["annotation"][0]["exact"] == "sanctions"  # type: ignore[index]
        assert exact.id == panel.highlighted_id


def test_an_open_article_deleted_on_disk_becomes_read_only(
    drive: Callable[..., None], project_dir: Path
) -> None:
    path = project_dir / "seeds" / f"{ARTICLE}.txt"
    recorded: list[list[tuple[str, str]]] = []  # what the app told, from its start

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader(ARTICLE)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        moved = path.rename(project_dir / "elsewhere.txt")
        for _ in range(60):  # the watcher looks at the corpus folder every 2.5 s
            if screen.deleted:
                break
            await pilot.pause(0.1)
        assert screen.deleted
        text = str(screen.query_one(ReaderStatus).render())
        assert text.startswith("This article was deleted from disk (read-only)")
        assert any("deleted from disk" in m for _, m in recorded[0])
        screen.query_one(ReaderView).select_span(0, 5)
        await pilot.press("a", "m")
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)  # no dialog: nothing can be written
        assert not (project_dir / "annotations" / f"{ARTICLE}.toml").exists()
        moved.rename(path)
        for _ in range(60):
            if not screen.deleted:
                break
            await pilot.pause(0.1)
        assert not screen.deleted

    drive(scenario, before=lambda app: recorded.append(notifications(app)))


@sync
async def test_a_pdf_shows_the_page_of_the_cursor(project_dir: Path) -> None:
    pages = [["Page one talks about gas."], ["Page two is about oil."], ["Page three: coal."]]
    write_pdf(project_dir / "seeds" / "report.pdf", pages, title="Energy")
    app = ReaderApp(project_dir, "report")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(ReaderView)
        assert status(app).startswith("p. 1")
        at = screen.article.body.index("oil")
        view.move_cursor(view.location_of(at))
        await pilot.pause()
        assert status(app).startswith("p. 2")
        await pilot.press("G")
        assert status(app).startswith("p. 3")


def test_panel_entry_shows_quote_and_note_and_keeps_chips_whole() -> None:
    from tui.core.annotations.model import Annotation

    note = Annotation(
        "id1", "a", 0, 5, "Alpha", "", "", "", tags=("actor/prc", "sanctions/evasion"), note="N"
    )
    panel = AnnotationPanel()
    panel.show([Anchored(note, "exact", 0, 5)], lambda _tag: None)
    prompt = str(panel.get_option_at_index(0).prompt)
    lines = prompt.split("\n")
    assert "“Alpha”" in lines and "N" in lines  # the quote, then the note
    for line in lines:
        assert not line.rstrip().endswith("■")  # a swatch never ends a line alone
