"""Fixtures for the app's Pilot and snapshot tests: an app on a temporary project."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import time
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerCancelled, WorkerFailed

from tui.app import GlossApp
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.widgets.status_line import StatusLine

Scenario = Callable[[GlossApp, Pilot[None]], Awaitable[None]]
SnapCompare = Callable[..., bool]
"""pytest-textual-snapshot's ``snap_compare`` fixture: an app and options in, a match out."""
LOAD_TIMEOUT = 10.0
UNTIL_TIMEOUT = 10.0
"""How long :func:`until` waits: far more than anything takes on a loaded machine, so a
wait that runs out means the awaited thing never happened."""


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the library has read the corpus and indexed it (a worker does both)."""
    app = pilot.app
    assert isinstance(app, GlossApp)
    waited = 0.0
    while not app.library.index_ready:
        if waited >= LOAD_TIMEOUT:
            status = app.library.query_one(StatusLine).text
            raise AssertionError(f"the library never finished loading: {status}")
        await pilot.pause(0.05)
        waited += 0.05
    await settle(pilot)  # and the annotations counted (a worker of the library's)


async def finished(app: App[Any]) -> None:
    """Wait for every worker to end, a failed or cancelled one too: the app tells failures
    (tests look at what it told), and a newer look of the watcher's cancels the one before."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await worker.wait()


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and every message they posted be handled, and every table
    measure its new rows (a DataTable sizes its columns when it is next idle: on a loaded
    machine a snapshot could catch rows drawn in columns as wide as their headers)."""
    await finished(pilot.app)
    await pilot.pause()
    await finished(pilot.app)
    await pilot.pause()
    tables = pilot.app.screen.query(DataTable)  # app.query does not reach a pushed screen
    await until(pilot, lambda: not any(_measuring(table) for table in tables))


def _measuring(table: DataTable[Any]) -> bool:
    return bool(table._require_update_dimensions or table._updated_cells)


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test with asyncio.run (no async pytest plugin is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def until(
    pilot: Pilot[None], done: Callable[[], bool], timeout: float = UNTIL_TIMEOUT
) -> None:
    """Pause until ``done()``; fail, naming what was awaited, after ``timeout`` seconds.

    Never carries on without it: a test that goes on past a wait that ran out asserts
    on a state it did not mean to test.
    """
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() >= deadline:
            raise AssertionError(f"waited {timeout:g} s in vain for {_described(done)}")
        await pilot.pause(0.02)


def _described(done: Callable[[], bool]) -> str:
    """The awaited condition as written in the test, with its file and line."""
    code = getattr(done, "__code__", None)
    where = f" ({Path(code.co_filename).name}:{code.co_firstlineno})" if code else ""
    try:
        source = " ".join(inspect.getsource(done).split())
    except (OSError, TypeError):
        source = repr(done)
    return source + where


NAMED = {"/": "slash", " ": "space", "\t": "tab", "\r": "enter", "\x1b": "escape"}


def burst(app: App[Any], *keys: str) -> None:
    """Post every key to the app at once, as the terminal driver does for a burst."""
    for key in keys:
        if key in NAMED:
            app.post_message(events.Key(NAMED[key], key))
        elif len(key) == 1:
            app.post_message(events.Key(key, key))
        else:
            app.post_message(events.Key(key, None))


def notifications(app: GlossApp) -> list[tuple[str, str]]:
    """From now on, record every (title, message) the app notifies, as well as showing it."""
    told: list[tuple[str, str]] = []
    notify = app.notify

    def record(message: str, *, title: str = "", **options: Any) -> None:
        told.append((title, message))
        notify(message, title=title, **options)

    app.notify = record  # type: ignore[method-assign]
    return told


@pytest.fixture
def make_app(project_dir: Path) -> Callable[[], GlossApp]:
    """A fresh app on the temporary project (the seeds, an empty store)."""
    return lambda: GlossApp(resolve_project(cwd=project_dir))


@pytest.fixture
def drive(make_app: Callable[[], GlossApp]) -> Callable[..., None]:
    """Run a scenario against a loaded app: ``drive(scenario, size=(80, 24))``.

    No async pytest plugin is installed, so each test runs its own event loop.
    """

    def run(
        scenario: Scenario,
        size: tuple[int, int] = (120, 40),
        before: Callable[[GlossApp], object] | None = None,
    ) -> None:
        async def main() -> None:
            app = make_app()
            if before is not None:
                before(app)  # e.g. start recording notifications before the app mounts
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await scenario(app, pilot)

        asyncio.run(main())

    return run


@pytest.fixture
def annotated(project_dir: Path) -> Path:
    """The temporary project with five annotations under three tags, two colours set.

    Written through the store, as the reader would write them.
    """
    workspace = Workspace(resolve_project(cwd=project_dir))
    articles = sorted(workspace.corpus.articles.values(), key=lambda a: a.id)
    store = workspace.store

    def add(index: int, quote: str, tags: list[str], note: str = "") -> None:
        article = articles[index]
        start = article.body.index(quote)
        store.add(article, start, start + len(quote), tags, note)

    add(0, "ExpoElectronica", ["event"], "Annual Russian tech fair")
    add(0, "348 Chinese counterparts", ["actor/china", "trade"], "Numbers matter")
    add(1, "Putin", ["actor/russia"])
    add(2, "Russia", ["actor/russia", "trade"], "A note\non two lines")
    add(3, "China", ["actor/china"])
    store.set_tag("trade", colour="#d08770", description="Trade and commerce")
    store.set_tag("actor/china", colour="#bf616a")
    return project_dir
