"""ReaderView: offsets map to rows and cells exactly, whatever the text holds."""

from __future__ import annotations

import asyncio
from typing import cast

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets.text_area import Document

from tests.tui.conftest import sync
from tui.display import display_text
from tui.widgets.reader_view import Mark, ReaderView, _overlaps

CJK_LINE = "中国和俄罗斯 Russia 贸易"
ESC_LINE = "alert\x1b[31m red Russia\x07 done"
BODY = f"{CJK_LINE}\n{ESC_LINE}\nplain Russia line\u2028same paragraph Russia\n"


class ViewApp(App[None]):
    def __init__(self, body: str) -> None:
        super().__init__()
        self.body = body

    def compose(self) -> ComposeResult:
        yield ReaderView(self.body, id="view")


def _spans_of(body: str, word: str) -> list[tuple[int, int]]:
    spans, at = [], body.find(word)
    while at != -1:
        spans.append((at, at + len(word)))
        at = body.find(word, at + 1)
    return spans


def document(view: ReaderView) -> Document:
    """The view's document: a plain (not syntax-aware) one, as the reader loads it."""
    return cast(Document, view.document)


def _cells_with_bg(strip: Strip, bgcolor: Color | None) -> str:
    return "".join(seg.text for seg in strip if seg.style and seg.style.bgcolor == bgcolor)


def test_display_text_keeps_length_and_lines() -> None:
    shown = display_text(BODY)
    assert len(shown) == len(BODY)
    assert "\x1b" not in shown and "\x07" not in shown and "\u2028" not in shown
    assert shown.split("\n") == shown.splitlines() + [""]


def test_overlaps_merges_only_shared_ranges() -> None:
    assert _overlaps([(0, 10), (5, 15), (20, 30)]) == [(5, 10)]
    assert _overlaps([(0, 10), (10, 20)]) == []
    assert _overlaps([(0, 30), (5, 10), (8, 20)]) == [(5, 20)]


@sync
async def test_offsets_round_trip_through_locations() -> None:
    app = ViewApp(BODY)
    async with app.run_test(size=(80, 10)):
        view = app.query_one(ReaderView)
        for offset in range(len(BODY) + 1):
            location = view.location_of(offset)
            assert view.offset_of(location) == offset
            assert location == document(view).get_location_from_index(offset)


@sync
async def test_match_cells_stay_aligned_with_cjk_and_escape() -> None:
    """The painted cells read exactly 'Russia' on a wide-character line and an ESC line."""
    app = ViewApp(BODY)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ReaderView)
        view.set_matches(_spans_of(BODY, "Russia"))
        view.move_cursor((3, 0))  # keep the cursor and selection off the rows checked
        await pilot.pause()
        bg = view.get_component_rich_style("reader-view--match").bgcolor
        cjk, esc = view.render_line(0), view.render_line(1)
        assert _cells_with_bg(cjk, bg) == "Russia"
        assert _cells_with_bg(esc, bg) == "Russia"
        assert "\x1b" not in esc.text and "␛" in esc.text and "␇" in esc.text
        # Each wide character takes two cells: the match starts after 6*2 + 1 cells.
        cells = 0
        for seg in cjk:
            if seg.style and seg.style.bgcolor == bg:
                break
            cells += seg.cell_length
        assert cells == 6 * 2 + 1


@sync
async def test_annotation_tint_and_overlap_paint_their_spans() -> None:
    app = ViewApp(BODY)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ReaderView)
        start = BODY.index("red Russia")
        view.set_marks([Mark(start, start + 10, "#ff0000"), Mark(start + 4, start + 10, "#0000ff")])
        view.move_cursor((3, 0))
        await pilot.pause()
        strip = view.render_line(1)
        underlined = "".join(s.text for s in strip if s.style and s.style.underline)
        assert underlined == "Russia"
        red_tinted = [
            s.text
            for s in strip
            if s.style
            and s.style.bgcolor
            and s.style.bgcolor.triplet
            and s.style.bgcolor.triplet.red > s.style.bgcolor.triplet.blue
        ]
        assert "".join(red_tinted).strip() == "red"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab 中文\n\t\x1b\x07\u2028\u2029\x85\x0c\r", max_size=60))
def test_offsets_match_the_document_for_any_text(body: str) -> None:
    """Whatever the body holds, the pane's rows are the body's lines, offset for offset."""
    view = ReaderView(body)
    view.load_pending_text()  # unmounted: nothing gave it a width to load the text at
    assert view.document.text == display_text(body)
    assert view.document.line_count == body.count("\n") + 1
    for offset in range(len(body) + 1):
        assert view.location_of(offset) == cast(Document, view.document).get_location_from_index(
            offset
        )
        assert view.offset_of(view.location_of(offset)) == offset


def test_a_long_body_is_wrapped_once_at_the_panes_width() -> None:
    """TextArea wraps on every document change and resize: the body is loaded at its width."""
    from textual.widgets.text_area import WrappedDocument

    widths: list[int] = []
    wrap = WrappedDocument.wrap

    def counting(self: WrappedDocument, width: int, tab_width: int | None = None) -> None:
        if self.document.line_count > 100:
            widths.append(width)
        wrap(self, width, tab_width)

    body = "\n".join(f"Paragraph {n}: " + "words and more words " * 20 for n in range(400))

    async def run() -> None:
        app = ViewApp(body)
        WrappedDocument.wrap = counting  # type: ignore[method-assign]
        try:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                view = app.query_one(ReaderView)
                assert view.document.text == body
                assert widths == [0, view.wrap_width]  # the constructor's, then the real one
                view.select_span(12, 17)
                assert view.selected_text == body[12:17]
        finally:
            WrappedDocument.wrap = wrap  # type: ignore[method-assign]

    asyncio.run(run())


@sync
async def test_the_text_is_joined_once_and_follows_a_new_body() -> None:
    """TextArea asks for the whole text on every row it renders: the view keeps it."""
    app = ViewApp(BODY)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ReaderView)
        assert view.text == display_text(BODY) and view.text is view.text
        view.show_body("A new text\non two lines")
        await pilot.pause()
        assert view.text == "A new text\non two lines" == document(view).text
        assert "A new text" in "".join(s.text for s in view.render_line(0))
