"""Rows are as wide on the terminal as Rich laid them out, emoji included (issue 17, 25).

Rich lays out every row, the terminal draws it: where the two disagree on a character's
width, everything to the right of it on that row (the side panel's border) moves.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from tui.display import display_text, one_line

EMOJI_LINES = [
    "🇷🇺🇨🇳 👍🏽.",  # flags, and a thumb with a skin tone
    "❤️ and ☺️ with U+FE0F",  # text-default symbols asked to be emoji
    "👩🏿‍💻 family 👨‍👩‍👧 done",  # a skin tone inside a ZWJ sequence
    "plain text, 中文, and an ellipsis…",
]


def test_the_shown_text_keeps_one_character_for_one() -> None:
    body = "\n".join(EMOJI_LINES)
    shown = display_text(body)
    assert len(shown) == len(body)
    assert shown.split("\n")[3] == EMOJI_LINES[3]  # nothing else changes
    assert "\ufe0f" not in shown and "\U0001f3fd" not in shown
    assert "\ufe0f" not in one_line(body) and len(one_line(body)) == len(body)


def _drawn_width(text: str, tmp_path: Path) -> int:
    """How many cells tmux moves its cursor for ``text``: what the terminal draws."""
    (tmp_path / "row.txt").write_text(text, encoding="utf-8")
    session = f"gloss-width-{time.monotonic_ns()}"
    command = f"cat {shlex.quote(str(tmp_path / 'row.txt'))}; sleep 30"
    subprocess.run(
        ["tmux", "new", "-d", "-s", session, "-x", "120", "-y", "5", command], check=True
    )
    try:
        for _ in range(100):
            shown = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if shown.strip():
                break
            time.sleep(0.05)
        x = subprocess.run(
            ["tmux", "display", "-p", "-t", session, "#{cursor_x}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(x)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.skipif(sys.platform != "linux", reason="the widths are tmux's on Linux")
@pytest.mark.parametrize("line", EMOJI_LINES)
def test_tmux_draws_each_row_as_wide_as_rich_laid_it_out(line: str, tmp_path: Path) -> None:
    shown = display_text(line)
    assert _drawn_width(shown, tmp_path) == cell_len(shown), repr(shown)
