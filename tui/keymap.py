"""Every command of Gloss, defined once: its id, its key, its footer label, its palette entry.

Bindings, the footer, the help screen and the command palette (tui/palette.py) are all
generated from these lists, so they can never drift apart. The id is what the user's
config.toml remaps (``[keys]``, e.g. ``filter = "g"``), and ids follow one rule: snake_case
words, bare for the app's and the main screen's (the library's) commands, prefixed with the
screen or dialog and a dot for every other one (``reader.next_match``, ``tags.rename``,
``annotate.save``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen

from tui.core.config import UserSettings, config_path, parse_settings


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
    priority: bool = False
    """Fires before the focused widget sees the key (ctrl+s in a dialog's text field)."""

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
            priority=self.priority,
        )


def bindings(commands: tuple[Command, ...]) -> list[BindingType]:
    """The key bindings of a command list (palette-only commands have none), typed as a
    class's ``BINDINGS`` is."""
    return [command.binding() for command in commands if command.key is not None]


def back_command(screen: str, help: str) -> Command:
    """``escape``: close a screen pushed over another (``tags.back``, ``review.back``)."""
    return Command(
        f"{screen}.back",
        "app.pop_screen",
        "Back",
        help,
        key="escape",
        key_display="esc",
        palette=False,
    )


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
        "export_md",
        "app.export('md')",
        "Export to Markdown",
        "Write every annotation to a Markdown report (asks for the file name)",
    ),
    Command(
        "export_w3c",
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
    Command(
        "anchors",
        "app.anchors",
        "Fuzzy and orphaned annotations",
        "The fuzzy and orphaned annotations, one by one: accept, re-attach or open each",
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
        "review",
        "review",
        "Review",
        "Every match of the query in context (KWIC), to mark and tag them",
        key="r",
    ),
    Command(
        "insights",
        "insights",
        "Insights",
        "Charts and tables: tag frequencies, co-occurrence, timeline, sources, coders",
        key="i",
    ),
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
        "tags.rename",
        "rename",
        "Rename",
        "Rename the tag (the list's tag when the list has focus) and its subtree; merges if taken",
        key="r",
    ),
    Command("tags.describe", "describe", "Describe", "Set the tag's description", key="d"),
    Command("tags.recolour", "recolour", "Colour", "Set the tag's colour", key="c"),
    Command(
        "tags.key",
        "set_key",
        "Tag key",
        "Set the one character that tags a selection in the reader (not one of its keys)",
        key="k",
        footer=False,
    ),
    Command(
        "tags.undo", "undo", "Undo", "Undo the last annotation or tag change", key="u", footer=False
    ),
    Command("tags.redo", "redo", "Redo", "Redo the last undone change", key="ctrl+r", footer=False),
    back_command("tags", "Back to the previous screen"),
)


READER_COMMANDS: tuple[Command, ...] = (
    Command(
        "reader.back",
        "back",
        "Back",
        "Back to the library",
        key="escape",
        key_display="esc",
        palette=False,
    ),
    Command("reader.next_match", "next_match", "Next", "Select the next search match", key="n"),
    Command(
        "reader.previous_match",
        "previous_match",
        "Prev match",
        "Select the previous search match",
        key="N",
        footer=False,
    ),
    Command(
        "reader.select",
        "toggle_select",
        "Select",
        "Start (or stop) a keyboard selection: arrows, words and lines extend it",
        key="v",
    ),
    Command("reader.annotate", "annotate", "Annotate", "Annotate the selected passage", key="a"),
    Command(
        "reader.edit",
        "edit",
        "Edit",
        "Edit the tags and note of the annotation here",
        key="e",
        footer=False,
    ),
    Command(
        "reader.delete",
        "delete",
        "Delete",
        "Delete the annotation here (asks first)",
        key="d",
        footer=False,
    ),
    Command(
        "reader.previous_annotation",
        "previous_annotation",
        "Prev annotation",
        "Jump to the previous annotation",
        key="left_square_bracket",
        key_display="[",
        footer=False,
    ),
    Command(
        "reader.next_annotation",
        "next_annotation",
        "Next annotation",
        "Jump to the next annotation",
        key="right_square_bracket",
        key_display="]",
        footer=False,
    ),
    Command("reader.panel", "toggle_panel", "Panel", "Show or hide the annotation list", key="s"),
    Command(
        "reader.reattach",
        "reattach",
        "Re-attach",
        "Re-attach the orphaned or fuzzy annotation chosen in the panel (▶) to the "
        "selected passage (asks first; to accept a fuzzy one as found: palette, Fuzzy and "
        "orphaned annotations)",
        key="r",
        footer=False,
    ),
    Command(
        "reader.memo",
        "memo",
        "Memo",
        "Write or edit the memo on this whole article (shown at the top of the panel)",
        key="m",
        footer=False,
    ),
    Command(
        "reader.coders",
        "toggle_coders",
        "Coders",
        "Show each coder's annotations on this article side by side (or hide them)",
        key="o",
        footer=False,
    ),
    Command(
        "reader.find",
        "find",
        "Find",
        "Find words in this article; n and N then walk what was found",
        key="f,ctrl+f",
        key_display="f",
        footer=False,
    ),
    Command(
        "reader.top",
        "top",
        "Top",
        "Go to the first line of the article",
        key="g,ctrl+home",
        key_display="g",
        footer=False,
    ),
    Command(
        "reader.bottom",
        "bottom",
        "Bottom",
        "Go to the last line of the article",
        key="G,ctrl+end",
        key_display="G",
        footer=False,
    ),
    Command(
        "reader.undo", "undo", "Undo", "Undo the last annotation change", key="u", footer=False
    ),
    Command(
        "reader.redo", "redo", "Redo", "Redo the last undone change", key="ctrl+r", footer=False
    ),
)


ANCHORS_COMMANDS: tuple[Command, ...] = (
    Command(
        "anchors.accept",
        "accept",
        "Accept",
        "Accept where a fuzzy annotation was found: its quote becomes today's text "
        "(as gloss reattach ID)",
        key="a",
    ),
    Command(
        "anchors.reattach",
        "reattach",
        "Re-attach",
        "Open the article with this annotation chosen: select its new passage, press r",
        key="r",
    ),
    Command(
        "anchors.open",
        "open",
        "Open",
        "Open the article at this annotation",
        key="o",
    ),
    back_command("anchors", "Back to the previous screen"),
)


REVIEW_COMMANDS: tuple[Command, ...] = (
    back_command("review", "Back to the library"),
    Command("review.mark", "mark", "Mark", "Mark or unmark the line", key="space"),
    Command("review.mark_all", "mark_all", "Mark all", "Mark every match (or unmark all)", key="A"),
    Command(
        "review.tag",
        "tag",
        "Tag",
        "Tag the marked matches (or the one under the cursor): one annotation each",
        key="a",
    ),
    Command(
        "review.open",
        "open_line",
        "Open",
        "Open the match in the reader",
        key="enter",
        priority=True,
    ),
    Command(
        "review.sort", "cycle_sort", "Sort", "Sort by article, date, left or right word", key="o"
    ),
    Command("review.undo", "undo", "Undo", "Undo the last change (a whole batch)", key="u"),
    Command(
        "review.redo", "redo", "Redo", "Redo the last undone change", key="ctrl+r", footer=False
    ),
)

INSIGHTS_COMMANDS: tuple[Command, ...] = (
    back_command("insights", "Back to the library"),
    Command(
        "insights.filter",
        "focus_filter",
        "Filter",
        "Type a query and a tag subtree the charts count (enter applies)",
        key="f",
    ),
    Command(
        "insights.next_tab",
        "next_tab",
        "Next tab",
        "Show the next table and chart",
        key="right_square_bracket",
        key_display="]",
    ),
    Command(
        "insights.previous_tab",
        "previous_tab",
        "Previous tab",
        "Show the previous table and chart",
        key="left_square_bracket",
        key_display="[",
        footer=False,
    ),
    Command(
        "insights.passages",
        "passages",
        "Passages",
        "List the passages of the co-occurrence cell under the cursor",
        key="p",
    ),
)


HELP_COMMANDS: tuple[Command, ...] = (
    Command(
        "help.close",
        "dismiss",
        "Close",
        "Back to the screen",
        key="escape,question_mark",
        palette=False,
    ),
    # Before the table's own home/end, which scroll sideways.
    Command("help.top", "top", "Top", "The first key", key="home", palette=False, priority=True),
    Command(
        "help.bottom", "bottom", "Bottom", "The last key", key="end", palette=False, priority=True
    ),
)

ANNOTATE_COMMANDS: tuple[Command, ...] = (
    Command("annotate.cancel", "cancel", "Cancel", "Close without saving", key="escape"),
    Command(
        "annotate.save",
        "save",
        "Save",
        "Save the tags and the note",
        key="ctrl+s",
        priority=True,
    ),
)

CONFIRM_COMMANDS: tuple[Command, ...] = (
    Command("confirm.yes", "answer(True)", "Yes", "Go ahead", key="y"),
    Command("confirm.no", "answer(False)", "No", "Change nothing", key="n,escape"),
)

PROMPT_COMMANDS: tuple[Command, ...] = (
    Command("prompt.cancel", "cancel", "Cancel", "Close without doing anything", key="escape"),
)

MEMO_COMMANDS: tuple[Command, ...] = (
    Command("memo.cancel", "cancel", "Cancel", "Close without saving the memo", key="escape"),
    Command(
        "memo.save",
        "save",
        "Save",
        "Save the memo (an empty one clears it)",
        key="ctrl+s",
        priority=True,
    ),
)

ALL_COMMANDS: tuple[tuple[Command, ...], ...] = (
    APP_COMMANDS,
    LIBRARY_COMMANDS,
    TAGS_COMMANDS,
    READER_COMMANDS,
    ANCHORS_COMMANDS,
    REVIEW_COMMANDS,
    INSIGHTS_COMMANDS,
    HELP_COMMANDS,
    ANNOTATE_COMMANDS,
    CONFIRM_COMMANDS,
    PROMPT_COMMANDS,
    MEMO_COMMANDS,
)

QUIT: tuple[Command, ...] = tuple(command for command in APP_COMMANDS if command.id == "quit")
"""A modal screen hides the app's bindings: the ones that must still quit bind this, by
the same id, so a remapped quit key applies there too."""


def bound_keys(*nodes: DOMNode) -> set[str]:
    """Every key these nodes bind, enabled now or not (a key maps to what it was bound to)."""
    keys: set[str] = set()
    for node in nodes:
        for binding in node.BINDINGS:
            if isinstance(binding, Binding):
                keys.update(key.strip() for key in binding.key.split(","))
    return keys


def known_command_ids() -> set[str]:
    """Every binding id a ``[keys]`` table can remap (``quit``, ``reader.next_match``, ...).

    The command lists above, and the ``BINDINGS`` of every screen, dialog and widget
    class, so a binding added anywhere with an id is known without a list to keep in
    step. Imports those modules: only called when the user has a ``[keys]`` table, after
    the first paint.
    """
    import importlib
    import pkgutil

    import tui.dialogs
    import tui.screens
    import tui.widgets

    ids = {command.id for commands in ALL_COMMANDS for command in commands if command.key}
    for package in (tui.screens, tui.dialogs, tui.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                found = getattr(value, "BINDINGS", ()) if isinstance(value, type) else ()
                ids.update(b.id for b in found if isinstance(b, Binding) and b.id)
    return ids


def user_settings(config: Mapping[str, object], themes: Iterable[str]) -> UserSettings:
    """The keymap and theme the user's config.toml asks for; what cannot be used, and why."""
    return parse_settings(config, config_path(), themes, known_command_ids)


def reader_keys(keymap: Mapping[str, str] | None = None) -> dict[str, str]:
    """The characters the reader's and the app's commands take (``n`` → ``Next
    (reader.next_match)``), with the user's ``[keys]`` remaps: a tag key may not be one,
    or the command would win and the tag key never fire (the store refuses it)."""
    from textual.keys import key_to_character

    keymap = keymap or {}
    taken: dict[str, str] = {}
    for command in (*READER_COMMANDS, *APP_COMMANDS):
        keys = keymap.get(command.id, command.key)
        for key in (keys or "").split(","):
            character = key_to_character(key.strip()) if key.strip() else None
            if character and len(character) == 1 and character.isprintable():
                taken.setdefault(character, f"{command.title} ({command.id})")
    return taken


def configured_keys() -> dict[str, str]:
    """The ``[keys]`` remaps of the user's config.toml, as written (unchecked)."""
    from tui.core.config import read_config

    keys = read_config().get("keys", {})
    if not isinstance(keys, dict):
        return {}
    return {name: value for name, value in keys.items() if isinstance(value, str)}


def screen_commands(screen: Screen[object]) -> tuple[Command, ...]:
    """The commands a screen declares with a ``COMMAND_LIST`` (dialogs have none)."""
    return tuple(getattr(screen, "COMMAND_LIST", ()))


__all__ = [
    "ALL_COMMANDS",
    "ANNOTATE_COMMANDS",
    "APP_COMMANDS",
    "CONFIRM_COMMANDS",
    "HELP_COMMANDS",
    "INSIGHTS_COMMANDS",
    "LIBRARY_COMMANDS",
    "PROMPT_COMMANDS",
    "QUIT",
    "READER_COMMANDS",
    "ANCHORS_COMMANDS",
    "REVIEW_COMMANDS",
    "TAGS_COMMANDS",
    "Command",
    "bindings",
    "bound_keys",
    "configured_keys",
    "reader_keys",
    "screen_commands",
    "known_command_ids",
    "user_settings",
]
