"""The command palette (ctrl+p): the app's and the current screen's commands, and a corpus search.

Its entries come from the same command lists as the keys (tui/keymap.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keymap import APP_COMMANDS, Command, screen_commands


class GlossCommands(Provider):
    """The palette: the app's and the current screen's commands, and a corpus search."""

    def _available(self) -> Iterator[Command]:
        screen = self.screen
        for command in (*APP_COMMANDS, *screen_commands(screen)):
            if not command.palette:
                continue
            namespace, _, name = command.action.rpartition(".")
            target = self.app if namespace == "app" else screen
            action = name.split("(", 1)[0]
            if target.check_action(action, ()) is False:
                continue
            yield command

    def _run(self, command: Command) -> Callable[[], Awaitable[bool]]:
        return partial(self.app.run_action, command.action, self.screen)

    async def discover(self) -> Hits:
        for command in self._available():
            yield DiscoveryHit(command.title, self._run(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._available():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    self._run(command),
                    text=command.title,
                    help=command.help,
                )
        if query.strip():
            title = Text.assemble("Search the corpus for ", (query.strip(), "bold"))
            run = partial(self.app.run_action, f"app.search({query.strip()!r})", self.screen)
            yield Hit(0.5, title, run, text=title.plain, help="Results in the library")


__all__ = ["GlossCommands"]
