"""The insights screen: its numbers are `gloss stats --json`'s, the agreement table is
`gloss agreement`'s, and both screens look right at 80x24 and 120x40."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from tests.conftest import Gloss
from tests.tui.conftest import SnapCompare, loaded, settle, until
from tui.app import GlossApp
from tui.core.annotations.store import AnnotationStore
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.insights import InsightsScreen


@pytest.fixture
def coded(project_dir: Path) -> Path:
    """The seeds coded by two coders, ana and ben, who agree on some passages."""
    workspace = Workspace(resolve_project(cwd=project_dir))
    articles = sorted(workspace.corpus.articles.values(), key=lambda a: a.id)
    for author, extra in (("ana", ["trade"]), ("ben", ["event"])):
        store = AnnotationStore(project_dir / "annotations", workspace.corpus.articles.get, author)
        for index, (quote, tags) in enumerate(
            [("Russia", ["actor/russia"]), ("China", ["actor/china"]), ("Putin", ["actor/russia"])]
        ):
            article = articles[index]
            start = article.body.index(quote)
            store.add(article, start, start + len(quote), [*tags, *extra[: index % 2]])
        article = articles[3]
        start = article.body.index("China")
        store.add(article, start, start + len("China") + (20 if author == "ben" else 0), ["actor"])
    return project_dir


def cells(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell).strip() for cell in table.get_row_at(row)] for row in range(table.row_count)]


async def insights(app: GlossApp, pilot: Pilot[None], query: str = "") -> InsightsScreen:
    if query:
        app.library.focus_search(query)
        await settle(pilot)
        await pilot.press("escape")
    await pilot.press("i")
    screen = app.screen
    assert isinstance(screen, InsightsScreen)
    await until(pilot, lambda: screen.counted is not None)
    await settle(pilot)
    return screen


@pytest.mark.parametrize("query", ["", "putin"])
def test_numbers_equal_gloss_stats_json(
    coded: Path, gloss: Gloss, drive: Callable[..., None], query: str
) -> None:
    result = gloss("stats", "--json", *(["--query", query] if query else []))
    assert result.code == 0, result.err
    expected = json.loads(result.out)

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        screen = await insights(app, pilot, query)
        tags = cells(screen.query_one("#tags-table", DataTable))
        assert tags == [
            [t["tag"], str(t["annotations"]), str(t["articles"])] for t in expected["tags"]
        ]
        chosen = expected["chosen"]
        matrix = cells(screen.query_one("#cooc-table", DataTable))
        by_pair = {(c["first"], c["second"]): c for c in expected["cooccurrence"]}
        for row, first in zip(matrix, chosen, strict=True):
            assert row[0] == first
            for value, second in zip(row[1:], chosen, strict=True):
                cell = by_pair.get((first, second)) or by_pair[(second, first)]
                assert value == f"{cell['passages']}/{cell['articles']}"
        timeline = cells(screen.query_one("#timeline-table", DataTable))
        months, series = expected["timeline"]["months"], expected["timeline"]["series"]
        assert timeline == [
            [month, *(str(series[t][i]) for t in chosen)] for i, month in enumerate(months)
        ]
        for table, key in (("#sources-table", "sources"), ("#coders-table", "authors")):
            assert cells(screen.query_one(table, DataTable)) == [
                [
                    g["name"] or "(unknown)",
                    str(g["annotations"]),
                    str(g["articles"]),
                    *(str(g["tags"][t]) for t in chosen),
                ]
                for g in expected[key]
            ]

    drive(scenario)


def test_agreement_table_equals_gloss_agreement(
    coded: Path, gloss: Gloss, drive: Callable[..., None]
) -> None:
    result = gloss("agreement")
    assert result.code == 0, result.err
    expected = [line.split() for line in result.out.splitlines()[2:]]

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        screen = await insights(app, pilot)
        assert cells(screen.query_one("#agreement-table", DataTable)) == expected

    drive(scenario)


def test_a_cell_lists_its_passages_and_opens_one(coded: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        screen = await insights(app, pilot)
        counted = screen.counted
        assert counted is not None
        chosen = counted.stats.cooccurrence.tags
        assert chosen == ("actor", "event", "trade")
        screen.tab = "tab-cooc"
        table = screen.query_one("#cooc-table", DataTable)
        table.focus()
        table.move_cursor(row=0, column=2)  # actor x event
        await pilot.press("p")
        await settle(pilot)
        passages = screen.query_one("#cooc-passages", DataTable)
        want = counted.stats.cooccurrence.passages("actor", "event")
        assert passages.row_count == len(want) > 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == want[0].article

    drive(scenario)


def test_one_coder_has_no_agreement_tab(annotated: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from textual.widgets import TabbedContent

        screen = await insights(app, pilot)
        assert screen.counted is not None and screen.counted.agreement is None
        tab = screen.query_one(TabbedContent).get_tab("tab-agreement")
        assert not tab.display

    drive(scenario)


async def insights_shown(pilot: Pilot[None]) -> None:
    await loaded(pilot)
    app = pilot.app
    assert isinstance(app, GlossApp)
    # The same state on a loaded machine: the load job done (index built, its notices
    # shown) before the screen is opened, so nothing lands on it mid-snapshot.
    await until(pilot, lambda: app.library.index_ready)
    await insights(app, pilot)


async def cooccurrence_shown(pilot: Pilot[None]) -> None:
    await insights_shown(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, InsightsScreen)
    screen.tab = "tab-cooc"
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("shown", [insights_shown, cooccurrence_shown], ids=["tags", "cooc"])
def test_insights_screen(
    size: tuple[int, int],
    shown: Callable[[Pilot[None]], object],
    coded: Path,
    make_app: Callable[[], GlossApp],
    snap_compare: SnapCompare,
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=shown)


def test_insights_light_theme(
    coded: Path, make_app: Callable[[], GlossApp], snap_compare: SnapCompare
) -> None:
    async def light(pilot: Pilot[None]) -> None:
        pilot.app.theme = "textual-light"
        await insights_shown(pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=light)


def test_brackets_walk_the_tabs(coded: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        screen = await insights(app, pilot)
        seen = [screen.tab]
        for _ in range(6):
            await pilot.press("right_square_bracket")
            await pilot.pause()
            seen.append(screen.tab)
        assert seen == [
            "tab-tags",
            "tab-cooc",
            "tab-timeline",
            "tab-sources",
            "tab-coders",
            "tab-agreement",
            "tab-tags",
        ]
        await pilot.press("left_square_bracket")
        assert screen.tab == "tab-agreement"

    drive(scenario)
