"""config.toml in the app: a bad setting is told and dropped, the others still apply."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import notifications
from tui.app import GlossApp
from tui.keymap import known_command_ids


def test_a_bad_theme_and_an_unknown_id_leave_the_other_keys_working(
    drive: Callable[..., None],
) -> None:
    """Issue 17 item 6: with a bad theme, `g` did nothing and `nonsense` was not named."""
    folder = Path(os.environ["GLOSS_CONFIG"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text('theme = "no-such-theme"\n[keys]\nfilter = "g"\nnonsense = "z"\n')
    recorded: dict[str, list[tuple[str, str]]] = {}

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.pause()
        assert app.theme != "no-such-theme"
        await pilot.press("g")
        assert app.focused is app.library.query_one("#filter")
        told = [text for title, text in recorded["told"] if title == "Settings"]
        assert any("unknown theme 'no-such-theme'" in text for text in told)
        assert f"unknown command id 'nonsense' in [keys] of {path}" in told

    drive(scenario, before=lambda app: recorded.setdefault("told", notifications(app)))


def test_known_ids_are_every_binding_id() -> None:
    ids = known_command_ids()
    assert {"quit", "filter", "tags.rename", "reader.next_match", "annotate.save"} <= ids
