"""Insights: the numbers of ``gloss stats`` (and ``gloss agreement``) as tables and charts.

One worker counts with the core (:mod:`tui.core.analysis.stats`, ``agreement``), so every
number equals ``gloss stats --json`` for the same query and tag; the tabs show tag
frequencies (subtrees rolled up), the co-occurrence matrix (heat-coloured; `p` or enter
lists a cell's passages), the timeline per month, sources, coders, and the agreement
between coders when there are two or more. Charts are drawn by textual-plotext, which
follows the app's theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Color
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Header, Input, TabbedContent, TabPane
from textual_plotext import PlotextPlot

from tui.core.errors import GlossError
from tui.display import clip, plural
from tui.keymap import INSIGHTS_COMMANDS, bindings
from tui.messages import Changed
from tui.screens.base import GlossScreen
from tui.widgets.key_footer import KeyFooter
from tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from tui.core.analysis.agreement import AgreementReport
    from tui.core.analysis.stats import GroupRow, Passage, Stats
    from tui.core.annotations.selection import Selection

BAR_LIMIT = 20
"""Bars a chart draws at most (the table lists every row)."""


class InsightsScreen(GlossScreen):
    CSS_PATH = "insights.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(INSIGHTS_COMMANDS)
    COMMAND_LIST = INSIGHTS_COMMANDS
    AUTO_FOCUS = "#tags-table"

    @dataclass
    class Counted(Message):
        """The stats of one filter, and the agreement table when two coders or more coded."""

        query: str
        tag: str
        selection: Selection
        stats: Stats
        agreement: AgreementReport | None
        coders: int

    @dataclass
    class Failed(Message):
        error: str

    def __init__(self, query: str = "", tag: str = "") -> None:
        super().__init__(id="insights")
        self.filter_query = query
        self.filter_tag = tag
        self.counted: InsightsScreen.Counted | None = None
        self._passages: list[Passage] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="insights-filter"):
            yield Input(self.filter_query, placeholder="Query  f", id="insights-query")
            yield Input(self.filter_tag, placeholder="Tag subtree", id="insights-tag")
        with TabbedContent(id="insights-tabs"):
            with TabPane("Tags", id="tab-tags"), Horizontal(classes="pane"):
                yield _table("tags-table")
                yield PlotextPlot(id="tags-chart")
            with TabPane("Co-occurrence", id="tab-cooc"), Vertical(classes="pane"):
                yield _table("cooc-table", cursor="cell")
                yield _table("cooc-passages")
            with TabPane("Timeline", id="tab-timeline"), Vertical(classes="pane"):
                yield PlotextPlot(id="timeline-chart")
                yield _table("timeline-table")
            with TabPane("Sources", id="tab-sources"), Horizontal(classes="pane"):
                yield _table("sources-table")
                yield PlotextPlot(id="sources-chart")
            with TabPane("Coders", id="tab-coders"), Horizontal(classes="pane"):
                yield _table("coders-table")
                yield PlotextPlot(id="coders-chart")
            with TabPane("Agreement", id="tab-agreement"):
                yield _table("agreement-table")
        yield StatusLine(id="insights-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = "Insights"
        self.recount()

    def recount(self) -> None:
        self.query_one(StatusLine).show("Counting…")
        self.count(self.filter_query, self.filter_tag)

    @work(thread=True, exclusive=True, group="insights", exit_on_error=False)
    def count(self, query: str, tag: str) -> None:
        """Select, filter by the query, count: what ``gloss stats --query --tag`` does."""
        from tui.core.analysis.agreement import AgreementError, agreement_table, coders
        from tui.core.analysis.stats import compute_matching
        from tui.core.annotations.model import normalise_tags
        from tui.core.annotations.selection import select

        workspace = self.shell.workspace
        try:
            tags = list(normalise_tags([tag])) if tag else []
            selection = select(workspace.store, workspace.corpus, tags=tags)
            if query:
                among = selection.article_ids()
                selection = selection.only(workspace.index.matching(query, among))
            stats = compute_matching(selection, tags, workspace.store.codebook())
        except GlossError as exc:
            self.post_message(self.Failed(str(exc)))
            return
        found = coders(selection)
        report = None
        if len(found) >= 2:
            try:
                report = agreement_table(selection)
            except AgreementError:
                report = None
        self.post_message(self.Counted(query, tag, selection, stats, report, len(found)))

    def on_insights_screen_failed(self, message: Failed) -> None:
        self.query_one(StatusLine).show(message.error, error=True)

    def on_insights_screen_counted(self, message: Counted) -> None:
        self.counted = message
        stats = message.stats
        self._show_tags(stats)
        self._show_cooccurrence(stats)
        self._show_timeline(stats)
        self._show_groups("sources", stats.sources, stats.chosen)
        self._show_groups("coders", stats.authors, stats.chosen)
        self._show_agreement(message)
        parts = [
            f"{plural(stats.annotations, 'annotation')} in {plural(stats.articles, 'article')}"
        ]
        if message.query:
            parts.append(f"query {message.query}")
        if message.tag:
            parts.append(f"tag {message.tag}")
        parts.append(plural(message.coders, "coder"))
        self.query_one(StatusLine).show(" · ".join(parts))

    # Tables and charts ---------------------------------------------------------------

    def _show_tags(self, stats: Stats) -> None:
        table = self._reset("tags-table", "tag", "annotations", "articles")
        for row in stats.tags:
            table.add_row(row.tag, _number(row.annotations), _number(row.articles), key=row.tag)
        top = sorted(stats.tags, key=lambda r: -r.annotations)[:BAR_LIMIT]
        _bars(
            self.query_one("#tags-chart", PlotextPlot),
            [r.tag for r in top],
            [r.annotations for r in top],
            "annotations per tag",
        )

    def _show_cooccurrence(self, stats: Stats) -> None:
        matrix = stats.cooccurrence
        chosen = matrix.tags
        table = self._reset("cooc-table", "passages/articles", *chosen)
        top = max((c.passages for c in matrix.cells() if c.first != c.second), default=0)
        for first in chosen:
            cells: list[str | Text] = [first]
            for second in chosen:
                cell = matrix.cell(first, second)
                label = f"{cell.passages}/{cell.articles}"
                cells.append(label if first == second else self._heat(label, cell.passages, top))
            table.add_row(*cells, key=first)
        self._reset("cooc-passages", "article", "passage")
        self._passages = []

    def _heat(self, label: str, value: int, top: int) -> Text:
        """The cell's label on a background from the panel's colour (0) to the accent (top)."""
        variables = self.app.theme_variables
        low = Color.parse(variables.get("panel", "#333333"))
        high = Color.parse(variables.get("accent", "#ffa62b"))
        background = low.blend(high, value / top if top else 0.0)
        return Text(
            f" {label} ",
            style=f"{background.get_contrast_text().hex} on {background.hex}",
            justify="right",
        )

    def _show_timeline(self, stats: Stats) -> None:
        timeline = stats.timeline
        table = self._reset("timeline-table", "month", *timeline.tags)
        for month in timeline.months:
            table.add_row(month, *(_number(timeline.count(t, month)) for t in timeline.tags))
        chart = self.query_one("#timeline-chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        months = list(timeline.months)
        for tag in timeline.tags:
            plt.plot(list(range(len(months))), timeline.series(tag), label=tag, marker="braille")
        if months:
            step = max(1, len(months) // 6)
            ticks = [float(i) for i in range(0, len(months), step)]
            plt.xticks(ticks, [months[int(i)] for i in ticks])
        plt.title("annotations per month of the article's date")
        chart.refresh()

    def _show_groups(self, name: str, rows: list[GroupRow], chosen: tuple[str, ...]) -> None:
        table = self._reset(f"{name}-table", name[:-1], "annotations", "articles", *chosen)
        for row in rows:
            table.add_row(
                row.name or "(unknown)",
                _number(row.annotations),
                _number(row.articles),
                *(_number(row.tags[t]) for t in chosen),
            )
        top = rows[:BAR_LIMIT]
        _bars(
            self.query_one(f"#{name}-chart", PlotextPlot),
            [r.name or "(unknown)" for r in top],
            [r.annotations for r in top],
            f"annotations per {name[:-1]}",
        )

    def _show_agreement(self, message: Counted) -> None:
        from tui.core.analysis.agreement import formatted

        table = self._reset("agreement-table", *AGREEMENT_HEADERS)
        report = message.agreement
        tabs = self.query_one(TabbedContent)
        if report is None:
            tabs.hide_tab("tab-agreement")
            return
        tabs.show_tab("tab-agreement")
        for row in report.rows:
            table.add_row(*formatted(row), key=row.tag)
        table.border_title = f"coders: {', '.join(report.coders)}"

    def _reset(self, table_id: str, *headers: str) -> DataTable[str | Text]:
        table: DataTable[str | Text] = self.query_one(f"#{table_id}", DataTable)
        table.clear(columns=True)
        table.add_columns(*headers)
        return table

    # Passages of a co-occurrence cell --------------------------------------------------

    @on(DataTable.CellSelected, "#cooc-table")
    def _cell_chosen(self) -> None:
        self.action_passages()

    def action_passages(self) -> None:
        counted = self.counted
        if counted is None:
            return
        table = self.query_one("#cooc-table", DataTable)
        row, column = table.cursor_coordinate
        chosen = counted.stats.cooccurrence.tags
        if not (0 <= row < len(chosen) and 1 <= column <= len(chosen)):
            return
        first, second = chosen[row], chosen[column - 1]
        if first == second:
            self.notify("Pick a cell off the diagonal: two tags.", severity="warning")
            return
        self._passages = counted.stats.cooccurrence.passages(first, second)
        listed = self._reset("cooc-passages", "article", f"passages with {first} and {second}")
        titles = counted.selection.articles
        for passage in self._passages:
            body = counted.selection.body(passage.article) or ""
            article = titles.get(passage.article)
            listed.add_row(
                clip(article.title if article else passage.article, 30),
                clip(" ".join(body[passage.start : passage.end].split()), 200),
            )
        self.tab = "tab-cooc"
        listed.focus()

    @on(DataTable.RowSelected, "#cooc-passages")
    def _passage_chosen(self, event: DataTable.RowSelected) -> None:
        row = event.cursor_row
        if 0 <= row < len(self._passages):
            passage = self._passages[row]
            self.shell.open_reader(passage.article, annotation_id=passage.annotations[0].id)

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active

    @tab.setter
    def tab(self, value: str) -> None:
        self.query_one(TabbedContent).active = value

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_previous_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        shown = [
            pane.id for pane in tabs.query(TabPane) if pane.id and tabs.get_tab(pane.id).display
        ]
        if self.tab in shown:
            self.tab = shown[(shown.index(self.tab) + step) % len(shown)]
            pane = tabs.active_pane
            if pane is not None:
                pane.query(DataTable).first().focus()

    # Filters ---------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#insights-query", Input).focus()

    @on(Input.Submitted)
    def _filtered(self) -> None:
        self.filter_query = self.query_one("#insights-query", Input).value.strip()
        self.filter_tag = self.query_one("#insights-tag", Input).value.strip()
        self.recount()

    def on_changed(self, message: Changed) -> None:
        if message.annotations or message.codebook or message.corpus is not None:
            self.recount()


AGREEMENT_HEADERS = ("tag", "articles", "chars", "alpha", "kappa", "agree")


def _table(table_id: str, cursor: Literal["row", "cell"] = "row") -> DataTable[str | Text]:
    table: DataTable[str | Text] = DataTable(id=table_id, cursor_type=cursor)
    return table


def _number(value: int) -> str:
    return str(value)


def _bars(chart: PlotextPlot, names: list[str], values: list[int], title: str) -> None:
    plt = chart.plt
    plt.clear_data()
    plt.clear_figure()
    if names:
        plt.bar(
            [clip(n, 18) for n in names][::-1], values[::-1], orientation="horizontal", width=0.4
        )
    plt.title(title)
    chart.refresh()


__all__ = ["InsightsScreen"]
