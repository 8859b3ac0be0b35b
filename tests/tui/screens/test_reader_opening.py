"""Opening a long article with many annotations (issue 17, item 9): the reader says what
it is opening at once, and stops saying it when the text and the panel are painted."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from tests.tui.conftest import settle, sync, until
from tests.tui.reader_host import ARTICLE, ReaderApp
from tui.app import GlossApp
from tui.core.annotations.model import Anchored, Annotation
from tui.core.annotations.store import NewAnnotation
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.screens.reader import LONG_ARTICLE, ReaderScreen
from tui.widgets.annotation_panel import FIRST_ENTRIES, AnnotationPanel

LONG = "long/report"
ANNOTATIONS = 2 * FIRST_ENTRIES + 5
"""More than the panel lays out at first, so the rest must follow."""


@pytest.fixture
def long_article(project_dir: Path) -> str:
    """A 150 KB article (the seeds' paragraphs over and over) with ANNOTATIONS on it."""
    paragraphs = [
        p for path in sorted((project_dir / "seeds").glob("*.txt"))
        for p in path.read_text(encoding="utf-8").split("\n\n") if len(p) > 200
    ]  # fmt: skip
    text, n = "Long report on trade\n\n", 0
    while len(text) < 1.5 * LONG_ARTICLE:
        text += paragraphs[n % len(paragraphs)] + "\n\n"
        n += 1
    (project_dir / "seeds" / "long").mkdir()
    (project_dir / "seeds" / "long" / "report.txt").write_text(text, encoding="utf-8")
    workspace = Workspace(resolve_project(cwd=project_dir))
    article = workspace.article(LONG)
    step = len(article.body) // ANNOTATIONS
    workspace.store.add_many(
        [NewAnnotation(article, n * step, n * step + 30, ["trade"]) for n in range(ANNOTATIONS)]
    )
    return LONG


def status(reader: ReaderScreen) -> str:
    return str(reader.query_one("#reader-status", Static).render())


async def pushed(app: GlossApp, article_id: str, frames: list[str]) -> ReaderScreen:
    """Open the reader and return it as soon as it is mounted, before its first frame;
    ``frames`` gets the text of each frame painted after a layout from then on."""
    app.open_reader(article_id)
    for _ in range(10_000):
        reader = app.screen
        if isinstance(reader, ReaderScreen) and reader.is_mounted:
            reader.screen_layout_refresh_signal.subscribe(
                reader, lambda _screen: frames.append(painted_text(app))
            )
            return reader
        await asyncio.sleep(0)
    raise AssertionError("the reader was never mounted")


def painted_text(app: GlossApp) -> str:
    """What the screen shows now, as words (from the SVG screenshot)."""
    svg = app.export_screenshot()
    return " ".join(re.sub(r"<[^>]+>", " ", svg).replace("&#160;", " ").split())


def test_a_long_article_says_it_is_opening_until_text_and_panel_are_painted(
    drive: Callable[..., None], long_article: str
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        frames: list[str] = []
        reader = await pushed(app, long_article, frames)
        notice = status(reader)
        assert reader.opening and re.fullmatch(
            r"Opening “Long report on trade” \(15\d KB\)…", notice
        )
        assert reader.view.placeholder == notice  # the empty pane says it too
        await until(pilot, lambda: not reader.opening)
        assert frames and "Opening" in frames[0]  # the first frame says it
        assert reader.view.loaded and len(reader.panel.entries) == ANNOTATIONS
        assert status(reader).startswith(f"{ANNOTATIONS} annotations")
        assert reader.view.placeholder == ""
        assert reader.panel.border_title == f"Annotations ({ANNOTATIONS})"
        await settle(pilot)
        assert reader.panel.option_count == ANNOTATIONS  # the rest followed the first frame
        shown = painted_text(app)
        assert "Opening" not in shown
        assert f"Annotations ({ANNOTATIONS})" in shown and "Long report on trade" in shown

    drive(scenario)


def test_a_short_article_opens_without_the_notice(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        reader = await pushed(app, ARTICLE, [])
        assert not reader.opening and not status(reader).startswith("Opening")
        assert reader.view.placeholder == ""

    drive(scenario)


@sync
async def test_the_notice_goes_when_the_annotations_cannot_be_read(
    project_dir: Path, long_article: str
) -> None:
    (project_dir / "annotations" / "long" / "report.toml").write_text("[[annotation]\nid = 'x")
    app = ReaderApp(project_dir, long_article)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await until(pilot, lambda: not reader.opening)
        assert not status(reader).startswith("Opening")
        assert any(severity == "error" for _, severity in app.messages)


@sync
async def test_the_panel_lays_out_its_first_entries_then_the_rest(project_dir: Path) -> None:
    entries = [Anchored(_annotation(n), "exact", n * 10, n * 10 + 5) for n in range(ANNOTATIONS)]
    app = ReaderApp(project_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = app.screen.query_one(AnnotationPanel)
        panel.show(entries, lambda _tag: None)
        assert panel.option_count == FIRST_ENTRIES
        assert panel.border_title == f"Annotations ({ANNOTATIONS})"
        await pilot.pause()
        assert panel.option_count == ANNOTATIONS
        # Jumping to an entry not laid out yet lays out the rest first.
        panel.show(entries, lambda _tag: None)
        assert panel.option_count == FIRST_ENTRIES
        panel.highlight_annotation(entries[-1].id)
        assert panel.highlighted_id == entries[-1].id and panel.option_count == ANNOTATIONS


def _annotation(n: int) -> Annotation:
    return Annotation(f"id{n:04d}", "a", n * 10, n * 10 + 5, "quote", "", "", "sha", ("t",), "")
