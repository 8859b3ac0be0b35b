"""An article corrected on disk while it is open: the reader shows and anchors the new text."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.screens.reader import ReaderScreen
from tui.widgets.reader_view import ReaderView

ID = "003_5a4e13669b936add"


def test_reader_follows_an_article_changed_on_disk(
    drive: Callable[..., None], project_dir: Path
) -> None:
    path = project_dir / "seeds" / f"{ID}.txt"

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader(ID)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.query_one(ReaderView)
        assert "The White House believes" in view.text
        stat = path.stat()
        path.write_text(path.read_text().replace("The White House", "The administration"))
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        # The watcher looks at the corpus folder every 2.5 s (README: within three).
        for _ in range(40):
            await pilot.pause(0.1)
            if "The administration believes" in view.text:
                break
        await settle(pilot)
        assert "The administration believes" in view.text
        assert "The White House believes" not in view.text
        # A selection made now is anchored on the text the user sees.
        start = screen.article.body.index("administration believes")
        view.select_span(start, start + len("administration"))
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"fresh", "enter")
        await settle(pilot)

    drive(scenario)
    stored = tomllib.loads((project_dir / "annotations" / f"{ID}.toml").read_text())
    assert [a["exact"] for a in stored["annotation"]] == ["administration"]
