"""Fixtures for the app's Pilot and snapshot tests: an app on a temporary project."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from tui.app import GlossApp
from tui.core.project import resolve_project

Scenario = Callable[[GlossApp, Pilot[None]], Awaitable[None]]
LOAD_TIMEOUT = 10.0


async def loaded(pilot: Pilot[None]) -> None:
    """Wait until the library has read the corpus and indexed it (a worker does that)."""
    app = pilot.app
    assert isinstance(app, GlossApp)
    waited = 0.0
    while app.library.corpus is None:
        assert waited < LOAD_TIMEOUT, "the library never finished loading"
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()


async def settle(pilot: Pilot[None]) -> None:
    """Let every worker finish and every message they posted be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def make_app(project_dir: Path) -> Callable[[], GlossApp]:
    """A fresh app on the temporary project (the seeds, an empty store)."""
    return lambda: GlossApp(resolve_project(cwd=project_dir))


@pytest.fixture
def drive(make_app: Callable[[], GlossApp]) -> Callable[..., None]:
    """Run a scenario against a loaded app: ``drive(scenario, size=(80, 24))``.

    No async pytest plugin is installed, so each test runs its own event loop.
    """

    def run(scenario: Scenario, size: tuple[int, int] = (120, 40)) -> None:
        async def main() -> None:
            app = make_app()
            async with app.run_test(size=size) as pilot:
                await loaded(pilot)
                await scenario(app, pilot)

        asyncio.run(main())

    return run
