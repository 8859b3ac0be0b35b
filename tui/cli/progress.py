"""How far a long job (reading a corpus, building its index) has got, on stderr.

On a terminal: one line redrawn in place, ``indexing [#######.....] 4,200/10,000 42%
· about 35 s left``. In a pipe or a log: a plain line now and then (every 10 % or 10 s),
never escape sequences. Jobs under :data:`MINIMUM` items show nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

MINIMUM = 200
"""Jobs smaller than this finish before a progress line would help."""
WIDTH = 30
PLAIN_EVERY = 10.0
"""Seconds between two plain lines (also one each tenth of the job)."""


class Progress:
    """Stages of one command's progress (see the module docstring)."""

    def __init__(self, out: TextIO | None = None, terminal: bool | None = None) -> None:
        self.out = out or sys.stderr
        self.terminal = self.out.isatty() if terminal is None else terminal
        self.shown = False

    def stage(self, label: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callback for one stage ("reading", "indexing")."""
        started = time.perf_counter()
        last = {"done": -1, "at": 0.0, "tenth": -1}

        def report(done: int, total: int) -> None:
            if total < MINIMUM or done == last["done"]:
                return
            now = time.perf_counter()
            last["done"] = done
            line = _line(label, done, total, now - started)
            if self.terminal:
                bar = "#" * (WIDTH * done // total)
                self.out.write(f"\r{label} [{bar:.<{WIDTH}}] {line}\x1b[K")
            else:
                tenth = 10 * done // total
                if tenth == last["tenth"] and now - last["at"] < PLAIN_EVERY and done < total:
                    return
                last["tenth"], last["at"] = tenth, now
                self.out.write(f"{label}: {line}\n")
            self.shown = True
            self.out.flush()

        return report

    def clear(self) -> None:
        """Take the progress line away (a terminal); the command's own report follows."""
        if self.shown and self.terminal:
            self.out.write("\r\x1b[K")
            self.out.flush()
        self.shown = False


def _line(label: str, done: int, total: int, elapsed: float) -> str:
    percent = 100 * done // total
    text = f"{done:,}/{total:,} {percent}%"
    if done >= total:
        return f"{text} · finishing"
    if done and elapsed > 2:
        left = elapsed * (total - done) / done
        text += f" · about {_duration(left)} left"
    return text


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 90 else f"{minutes / 60:.1f} h"
