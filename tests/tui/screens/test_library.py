"""The library: listing, sorting, filtering, searching as you type, opening, watching the store."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Callable
from pathlib import Path

from rich.style import Style
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import loaded, notifications, settle
from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.display import one_line
from tui.widgets.article_table import ArticleTable, focus_snippet
from tui.widgets.search_box import SearchBox
from tui.widgets.status_line import StatusLine


def table(app: GlossApp) -> ArticleTable:
    return app.library.query_one(ArticleTable)


def status(app: GlossApp) -> str:
    return app.library.query_one(StatusLine).text


def titles(app: GlossApp) -> list[str]:
    return [entry.title for entry in table(app).entries]


async def search(pilot: Pilot[None], query: str) -> None:
    await pilot.press("slash", *query)
    await settle(pilot)


def test_lists_every_article_newest_first(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        rows = table(app).entries
        assert len(rows) == table(app).row_count == 5
        dates = [e.date for e in rows if e.date]
        assert dates == sorted(dates, reverse=True)
        assert rows[-1].date is None  # undated last
        assert status(app).startswith("5 articles · 0 annotations")

    drive(scenario)


def test_s_cycles_the_sort_and_shift_s_reverses(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("s")  # date -> source
        assert app.library.sorted_by == "source"
        await pilot.press("s")  # -> words
        words = [e.words for e in table(app).entries]
        assert words == sorted(words, reverse=True)
        await pilot.press("S")
        assert [e.words for e in table(app).entries] == sorted(words)
        assert status(app).endswith("by words reversed")
        await pilot.press("s", "s")  # notes, then relevance (listing order)
        assert app.library.sorted_by is None
        await pilot.press("s")
        assert app.library.sorted_by == "title"
        shown = titles(app)
        assert shown == sorted(shown, key=str.casefold)

    drive(scenario)


def test_clicking_a_header_sorts_by_that_column(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.click(ArticleTable, offset=(3, 0))  # the Title header
        await pilot.pause()
        assert app.library.sorted_by == "title"
        await pilot.click(ArticleTable, offset=(3, 0))
        await pilot.pause()
        assert app.library.reverse
        shown = titles(app)
        assert shown == sorted(shown, key=str.casefold, reverse=True)

    drive(scenario)


def test_filter_keeps_matching_titles_and_sources(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("f", *"icaro")
        await pilot.pause()
        assert [e.source for e in table(app).entries] == ["ICARO Media Group"]
        assert "1 match the filter" in status(app)
        await pilot.press("escape", "escape")  # leave the field, then clear everything
        await pilot.pause()
        assert table(app).row_count == 5
        assert app.library.query_one("#filter", Input).value == ""

    drive(scenario)


def test_typing_searches_and_rows_show_highlighted_snippets(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "putin")
        hits = table(app).entries
        assert hits and all(e.is_hit for e in hits)
        assert {"001_6f77d67fd69055e2", "004_bb928d6639fb2ab5"} <= {e.id for e in hits}
        body = app.workspace.corpus.get(hits[0].id).body
        assert all(body[s:e].casefold().startswith("putin") for s, e in hits[0].spans)
        # Two lines per hit: the title, then the snippet with the match styled.
        first = table(app).get_row_at(0)[0]
        title, snippet = first.plain.split("\n")
        assert title == hits[0].title or title.endswith("…")
        styled = [first.plain[s.start : s.end] for s in first.spans if s.start > len(title)]
        assert any("putin" in part.casefold() for part in styled)
        assert "hits in" in status(app) or "1 hit in" in status(app)

    drive(scenario)


def test_clearing_the_query_lists_articles_again(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "putin")
        assert app.library.hits is not None
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert app.library.hits is None
        assert table(app).row_count == 5

    drive(scenario)


def test_a_query_with_no_hits_says_so(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "zzzqqqxxy")
        assert table(app).row_count == 0
        assert status(app).startswith("0 hits")

    drive(scenario)


def test_a_bad_query_is_shown_inline_not_raised(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, '"unbalanced')
        assert app.is_running
        box = app.library.query_one(SearchBox)
        assert box.unreadable
        assert app.library.query_one(StatusLine).has_class("-error")
        await pilot.press('"')  # close the quote: the error goes away
        await settle(pilot)
        assert not box.unreadable

    drive(scenario)


def test_stale_results_are_dropped(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "china")
        library = app.library
        answer = library.Searched("chi", [], 0, None, 0.0)  # an older query answering late
        library.post_message(answer)
        await pilot.pause()
        assert library.hits is not None and library.hits.query == "china"

    drive(scenario)


def test_enter_in_the_search_box_opens_the_top_hit_with_its_spans(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        await search(pilot, "putin")
        top = table(app).entries[0]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.article_id == top.id
        assert reader.search_query == "putin"
        assert reader.matches == tuple(sorted(set(top.spans)))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.library

    drive(scenario)


def test_enter_on_a_row_opens_that_article(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article_id == table(app).entries[2].id
        assert app.screen.matches == ()

    drive(scenario)


def test_annotation_counts_and_changes_by_another_process(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        notes = {e.id: e.notes for e in table(app).entries}
        assert notes["000_1b8bce5c4f6c6391"] == 2
        assert "5 annotations" in status(app)
        # Another process adds an annotation: the count follows without a restart.
        other = Workspace(resolve_project(cwd=annotated))
        article = other.corpus.get("004_bb928d6639fb2ab5")
        other.store.add(article, 0, 9, ["event"])
        app.watcher.look_now()
        await settle(pilot)
        notes = {e.id: e.notes for e in table(app).entries}
        assert notes["004_bb928d6639fb2ab5"] == 1
        assert "6 annotations" in status(app)

    drive(scenario)


def test_a_broken_store_file_is_named_in_a_notification(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        broken = annotated / "annotations" / "001_6f77d67fd69055e2.toml"
        before = b"schema = 1\n[[annotation]\nid = 'x'\n"
        broken.write_bytes(before)
        later = time.time() + 5  # a distinct mtime even on coarse clocks
        os.utime(broken, (later, later))
        told = notifications(app)
        app.watcher.look_now()
        await settle(pilot)
        assert app.is_running
        assert any(broken.name in title for title, _ in told), told
        # The other articles keep their counts, and the broken file is left as it was.
        notes = {e.id: e.notes for e in table(app).entries}
        assert notes["000_1b8bce5c4f6c6391"] == 2
        assert broken.read_bytes() == before

    drive(scenario)


def test_control_characters_in_titles_are_neutralised(
    project_dir: Path, drive: Callable[..., None]
) -> None:
    (project_dir / "seeds" / "zz_escape.txt").write_text(
        "Bad \x1b[31mred\x1b[0m title\n\nBody text with \x07 a bell.\n", encoding="utf-8"
    )

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        table(app).select_article("zz_escape")
        row = table(app).get_row("zz_escape")
        shown = row[0].plain
        assert "\x1b" not in shown and "␛[31mred" in shown

    drive(scenario)


def test_eighty_columns_cut_long_titles_with_an_ellipsis(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        svg_text = app.export_screenshot()
        assert "…" in svg_text  # long titles end with an ellipsis, not a cut

    drive(scenario, size=(80, 24))


def test_one_line_and_focus_snippet_keep_offsets() -> None:
    assert one_line("a\nb\x1bc") == "a b␛c"
    snippet = "x" * 100 + "MATCH" + "y" * 20
    text, spans = focus_snippet(snippet, [(100, 105)], 40)
    assert text.startswith("…")
    assert [text[s:e] for s, e in spans] == ["MATCH"]
    assert spans[0][1] <= 40
    assert focus_snippet("short MATCH", [(6, 11)], 40) == ("short MATCH", [(6, 11)])


def test_wide_characters_keep_the_columns_aligned(
    project_dir: Path, drive: Callable[..., None]
) -> None:
    (project_dir / "seeds" / "zz_cjk.txt").write_text(
        "中国与俄罗斯的经济关系日益密切，双方在能源和技术领域合作不断加深，贸易额再创新高\n\n正文。\n",
        encoding="utf-8",
    )

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from rich.cells import cell_len

        articles = table(app)
        await pilot.pause()
        width = articles.scrollable_content_region.width
        columns: dict[str, int] = {}
        for row_id in ("zz_cjk", "003_5a4e13669b936add"):  # both undated: "—" in Date
            y = articles.get_row_index(row_id) + 1  # below the header
            line = articles.render_line(y)
            text = line.text
            assert line.cell_length == width, text
            columns[row_id] = cell_len(text[: text.index("  —")])
        assert columns["zz_cjk"] == columns["003_5a4e13669b936add"]
        assert "…" in articles.render_line(articles.get_row_index("zz_cjk") + 1).text

    drive(scenario)


def test_down_from_the_search_box_moves_to_the_results(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "china")
        focused = app.focused
        assert focused is app.library.query_one(SearchBox)
        await pilot.press("down")
        assert app.focused is table(app)
        await pilot.press("down")  # now the table's own cursor key
        assert table(app).cursor_row == 1
        assert app.focused is table(app)

    drive(scenario)


def test_keep_end_cuts_paths_from_the_left() -> None:
    from tui.display import keep_end

    assert keep_end("seeds", 10) == "seeds"
    assert keep_end("/very/long/path/to/the/corpus", 12) == "…/the/corpus"
    assert keep_end("/路径/语料库", 7) == "…语料库"


def test_snippets_are_muted_and_follow_a_theme_change(drive: Callable[..., None]) -> None:
    def snippet_colour(app: GlossApp) -> str:
        first = table(app).get_row_at(0)[0]
        title_end = first.plain.index("\n")
        styles = [s.style for s in first.spans if s.start > title_end]
        style = next(s for s in styles if isinstance(s, Style) and not s.bold)
        assert isinstance(style, Style) and style.color is not None
        assert style.color.triplet is not None
        return str(style.color.triplet.hex)

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, "putin")
        dark = snippet_colour(app)
        assert dark != "#ffffff"  # muted, not plain white
        app.theme = "textual-light"
        await settle(pilot)
        light = snippet_colour(app)
        assert light != dark
        r, g, b = (int(light[i : i + 2], 16) for i in (1, 3, 5))
        assert r + g + b < 3 * 160  # dark enough to read on a light background

    drive(scenario)


def test_file_names_that_look_like_markup_are_shown_as_text(
    project_dir: Path, make_app: Callable[[], GlossApp]
) -> None:
    folder = project_dir / "seeds" / "[" / "x]"  # the path reads "[/x]": a closing tag
    folder.mkdir(parents=True)
    (folder / "broken.txt").write_bytes(b"\xff\x00\xfe")

    async def main() -> None:
        app = make_app()
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await loaded(pilot)
            await pilot.pause(0.2)
            assert app.is_running
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            assert any("[/x]/broken.txt" in text for text in toasts), toasts

    asyncio.run(main())


def test_an_article_edited_on_disk_is_searchable_without_reindexing(
    drive: Callable[..., None], project_dir: Path
) -> None:
    path = next((project_dir / "seeds").glob("003_*.txt"))

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await search(pilot, '"administration believes"')
        assert table(app).entries == []
        stat = path.stat()
        path.write_text(
            path.read_text().replace("The White House believes", "The administration believes")
        )
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        (project_dir / "seeds" / "zzz_new.txt").write_text(
            "A brand new article\n\nThe administration believes nothing.\n"
        )
        waited = 0.0
        while len(table(app).entries) < 2 and waited < 8:
            await pilot.pause(0.2)
            waited += 0.2
        await settle(pilot)
        assert {e.id for e in table(app).entries} == {path.stem, "zzz_new"}
        assert app.library.query_one(SearchBox).value == '"administration believes"'
        await pilot.press("escape", "escape")  # the table, then clear the query
        await settle(pilot)
        assert "A brand new article" in titles(app)
        assert status(app).startswith("6 articles")

    drive(scenario)


def test_enter_on_a_query_that_cannot_be_read_opens_nothing(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        for query in ('"unclosed', "china AND"):
            await pilot.press("slash", *query, "enter")  # enter before the search ended
            await settle(pilot)
            assert app.screen is app.library
            assert app.library.query_one(SearchBox).unreadable
            assert app.library.query_one(StatusLine).has_class("-error")
            error = status(app)
            await pilot.press("enter")  # and once the error is shown
            await settle(pilot)
            assert app.screen is app.library
            assert status(app) == error
            assert app.library.query_one(SearchBox).unreadable  # the red border stays
            app.library.query_one(SearchBox).value = ""
            await pilot.press("escape")  # to the table, so / is a key again
            await settle(pilot)
        await pilot.press("slash", *"putin", "enter")  # a valid one still opens its top hit
        await settle(pilot)
        assert type(app.screen).__name__ == "ReaderScreen"

    drive(scenario)


def test_back_from_the_reader_keys_go_to_the_table_not_the_search_box(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"putin")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReaderScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.library
        assert app.focused is table(app)
        await pilot.press("t")
        await settle(pilot)
        assert app.library.query_one(SearchBox).value == "putin"
        assert type(app.screen).__name__ == "TagsScreen"
        await pilot.press("escape", "q")
        await pilot.pause()
        assert app.return_code == 0

    drive(scenario)


def test_the_loaded_heap_is_frozen_while_the_app_runs(drive: Callable[..., None]) -> None:
    """Full garbage collections skip the corpus and widgets loaded at start (they took
    ~50 ms at 10k articles, in the middle of searches); the app gives them back on exit."""
    frozen: list[int] = []

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        frozen.append(gc.get_freeze_count())

    drive(scenario)
    assert frozen[0] > 1000
    assert gc.get_freeze_count() == 0
