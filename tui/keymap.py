"""Every command of the shell, defined once: its key, its footer label and its palette entry.

Bindings and the command palette are both generated from these lists, so a key, a
footer label and a palette title can never drift apart. These are the app's, the
library's and the tags screen's; the reader's (``READER_COMMANDS``) live in its module.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

from rich.text import Text
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from tui.core.config import ConfigError


@dataclass(frozen=True, slots=True)
class Command:
    """One user command. ``key`` is None for palette-only commands."""

    id: str
    action: str
    title: str
    help: str
    key: str | None = None
    footer: bool = True
    palette: bool = True
    key_display: str | None = None

    def binding(self) -> Binding:
        assert self.key is not None, f"{self.id} has no key"
        return Binding(
            self.key,
            self.action,
            self.title,
            show=self.footer,
            key_display=self.key_display,
            tooltip=self.help,
            id=self.id,
        )


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    """The key bindings of a command list (palette-only commands have none)."""
    return [command.binding() for command in commands if command.key is not None]


APP_COMMANDS: tuple[Command, ...] = (
    Command("quit", "app.quit", "Quit", "Leave Gloss", key="q", palette=False),
    Command(
        "help",
        "app.help",
        "Keys",
        "Show the keys of this screen",
        key="question_mark",
        key_display="?",
    ),
    Command(
        "tags", "app.tags", "Tags", "The codebook: tags with counts, rename, recolour", key="t"
    ),
    Command(
        "search",
        "app.search",
        "Search",
        "Go to the library and type a query",
        key="slash",
        key_display="/",
        footer=False,
    ),
    Command(
        "export-md",
        "app.export('md')",
        "Export to Markdown",
        "Write every annotation to a Markdown report (asks for the file name)",
    ),
    Command(
        "export-w3c",
        "app.export('w3c')",
        "Export to W3C JSON-LD",
        "Write every annotation as a W3C Web Annotation collection (asks for the file)",
    ),
    Command(
        "reindex",
        "app.reindex",
        "Re-index",
        "Re-read the corpus folder and bring the search index up to date",
    ),
    Command(
        "check",
        "app.check",
        "Check annotations",
        "Re-anchor every annotation and report how many need review",
    ),
)

LIBRARY_COMMANDS: tuple[Command, ...] = (
    Command(
        "filter", "focus_filter", "Filter", "Show only rows whose title or source contain…", key="f"
    ),
    Command(
        "sort", "cycle_sort", "Sort", "Sort by the next column (title, date, source…)", key="s"
    ),
    Command("reverse", "reverse_sort", "Reverse", "Reverse the sort order", key="S", footer=False),
    Command(
        "results",
        "focus_results",
        "Results",
        "From the search box or the filter, move to the table of results",
        key="down",
        key_display="↓",
        palette=False,
    ),
    Command(
        "clear",
        "clear_query",
        "Clear",
        "Clear the search and the filter",
        key="escape",
        key_display="esc",
        footer=False,
        palette=False,
    ),
)

TAGS_COMMANDS: tuple[Command, ...] = (
    Command(
        "rename", "rename", "Rename", "Rename the tag and its subtree (merges if taken)", key="r"
    ),
    Command("describe", "describe", "Describe", "Set the tag's description", key="d"),
    Command("recolour", "recolour", "Colour", "Set the tag's colour", key="c"),
    Command(
        "back",
        "app.pop_screen",
        "Back",
        "Back to the previous screen",
        key="escape",
        key_display="esc",
        palette=False,
    ),
)


def user_keymap(config: Mapping[str, object]) -> dict[str, str]:
    """The ``[keys]`` table of the user's config.toml: command id = key (``quit = "ctrl+q"``).

    Ids are those of the commands above (and the reader's, e.g. ``reader.next_match``).
    """
    keys = config.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError('[keys] must map command ids to keys, e.g. quit = "ctrl+q"')
    return {str(name): value for name, value in keys.items()}


def user_settings(
    config: Mapping[str, object], themes: Iterable[str]
) -> tuple[dict[str, str], str | None]:
    """The keymap and the theme the user's config.toml asks for (ConfigError if unusable)."""
    theme = config.get("theme")
    known = set(themes)
    if theme is not None and theme not in known:
        raise ConfigError(f"unknown theme {theme!r}: use one of {', '.join(sorted(known))}")
    return user_keymap(config), theme if isinstance(theme, str) else None


def screen_commands(screen: Screen[object]) -> tuple[Command, ...]:
    """The commands a screen declares with a ``COMMAND_LIST`` (dialogs have none)."""
    return tuple(getattr(screen, "COMMAND_LIST", ()))


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


__all__ = [
    "APP_COMMANDS",
    "LIBRARY_COMMANDS",
    "TAGS_COMMANDS",
    "Command",
    "GlossCommands",
    "bindings",
    "screen_commands",
    "user_keymap",
    "user_settings",
]
