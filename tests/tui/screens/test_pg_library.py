"""The library searching in PostgreSQL: the app's ``index.search`` is the backend's, so
search as you type shows the database's hits with spans from the local bodies, and a
server that cannot be reached is a line in the status bar, never a hang or a crash."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.core.search.pg.backend import PostgresIndex
from tui.core.workspace import Workspace
from tui.widgets.article_table import ArticleTable
from tui.widgets.status_line import StatusLine


def _with_search(project_dir: Path, url: str) -> None:
    config = project_dir / "gloss.toml"
    config.write_text(config.read_text() + f'search = "{url}"\n')


async def _search(pilot: Pilot[None], query: str) -> None:
    await pilot.press("slash", *query)
    await settle(pilot)


def test_typing_searches_the_database(
    drive: Callable[..., None], project_dir: Path, pg_url: str
) -> None:
    _with_search(project_dir, pg_url)
    Workspace(resolve_project(cwd=project_dir)).index.refresh(publish=True)

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.workspace.index, PostgresIndex)
        await _search(pilot, "putin")
        hits = app.library.query_one(ArticleTable).entries
        assert {"001_6f77d67fd69055e2", "004_bb928d6639fb2ab5"} <= {e.id for e in hits}
        body = app.workspace.corpus.get(hits[0].id).body
        assert hits[0].spans
        assert all(body[s:e].casefold().startswith("putin") for s, e in hits[0].spans)

    drive(scenario)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_an_unreachable_server_is_told_in_the_status_line(
    drive: Callable[..., None], project_dir: Path, size: tuple[int, int]
) -> None:
    _with_search(project_dir, "postgresql://nobody@127.0.0.1:1/team")

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        rows = app.library.query_one(ArticleTable).row_count
        assert rows == 5  # the library lists the local catalogue as ever
        started = time.perf_counter()
        await _search(pilot, "china")
        assert time.perf_counter() - started < 10
        line = app.library.query_one(StatusLine)
        assert line.has_class("-error")
        assert "127.0.0.1:1" in line.text
        assert app.is_running

    drive(scenario, size=size)
