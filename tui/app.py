"""GlossApp: the shell with the library, the keys and the palette. Screens hold the
behaviour, tui/jobs.py the background work; the app only wires them."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.theme import Theme
from textual.worker import Worker

from tui.core.errors import GlossError
from tui.core.project import Project
from tui.display import display_path
from tui.jobs import Jobs
from tui.keymap import APP_COMMANDS, bindings, user_settings
from tui.palette import GlossCommands
from tui.screens.library import LibraryScreen
from tui.shell import Shell, failure_text

if TYPE_CHECKING:
    from tui.core.export import Format
    from tui.core.workspace import Workspace

# Dialogs, other screens and the corpus code are imported when first needed: the
# library paints its first frame before the corpus modules have even loaded.

EXPORTS: dict[Format, tuple[str, str]] = {
    "md": ("Markdown", "annotations.md"),
    "w3c": ("W3C JSON-LD", "annotations.jsonld"),
}
"""Each export the palette offers: its name and the file name first proposed."""


class GlossApp(Shell):
    TITLE = "Gloss"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_COMMANDS)
    COMMANDS = App.COMMANDS | {GlossCommands}
    # A mode (not get_default_screen) so Textual loads the library's CSS_PATH.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"library": LibraryScreen}
    DEFAULT_MODE = "library"

    def __init__(self, project: Project, workspace: Workspace | None = None) -> None:
        super().__init__(project, workspace)
        self.jobs = Jobs(self)
        self._kept_theme: str | None = None
        """The theme config.toml holds (or the default): another one chosen is written."""

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, less its "Keys" panel: `?` is ours."""
        return (c for c in super().get_system_commands(screen) if c.title != "Keys")

    @property
    def library(self) -> LibraryScreen:
        """The main screen: always at the bottom of the stack."""
        return cast(LibraryScreen, self.screen_stack[0])

    def on_mount(self) -> None:
        self.sub_title = display_path(self.project.corpus)
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.call_after_refresh(self.apply_settings)  # toasts need the screen mounted

    def on_unmount(self) -> None:
        # A process that runs the app more than once (tests) gets its objects back.
        gc.unfreeze()

    def apply_settings(self) -> None:
        """Keys (``[keys]``) and ``theme`` from the user's config.toml; a bad one is told."""
        from tui.core.config import read_config

        try:
            settings = user_settings(read_config(), self.available_themes)
        except GlossError as exc:
            self.notify(str(exc), title="Settings", severity="error", timeout=10, markup=False)
        else:
            for problem in settings.problems:  # each one dropped; the rest still applies
                self.notify(problem, title="Settings", severity="error", timeout=10, markup=False)
            if settings.keymap:  # setting even an empty keymap re-composes the footer: ~10 ms
                self.set_keymap(settings.keymap)
            if settings.theme is not None:
                self.theme = settings.theme
        self._kept_theme = self.theme  # from now on, a theme picked in the palette is kept

    def _theme_changed(self, theme: Theme) -> None:
        if self._kept_theme is not None and theme.name != self._kept_theme:
            self._kept_theme = theme.name
            self.run_worker(
                partial(self._keep_theme, theme.name),
                thread=True,
                group="settings",
                exclusive=True,
                exit_on_error=False,
            )

    def _keep_theme(self, name: str) -> None:
        """Write ``theme`` into config.toml (a thread: it is a file); a config that cannot
        be read is told and left as it is."""
        from tui.core.config import set_top_level

        try:
            path = set_top_level("theme", name)
        except GlossError as exc:
            self.call_from_thread(
                self.notify,
                f"{exc} (the theme {name} applies until Gloss closes)",
                title="Theme not kept",
                severity="warning",
                timeout=10,
                markup=False,
            )
            return
        self.call_from_thread(
            self.notify, f"theme {name} saved in {path}", title="Settings", markup=False
        )

    def worker_failed(self, worker: Worker[Any]) -> None:
        super().worker_failed(worker)
        if worker.group == "load":  # nothing to list or search: say so where the counts go
            self.library.show_status(f"Loading failed: {failure_text(worker.error)}", error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quitting:
            return False
        screen = self.screen
        if action == "tags" and screen.id in ("tags", "help"):
            return False
        if action == "anchors" and screen.id in ("anchors", "help"):
            return False
        return not (action == "help" and screen.id == "help")

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, screen_keys

        screen = self.screen
        title = type(screen).__name__.removesuffix("Screen")
        self.push_screen(HelpScreen(title, screen_keys(screen)))

    def action_tags(self) -> None:
        from tui.screens.tags import TagsScreen

        self.push_screen(TagsScreen())

    async def action_search(self, query: str | None = None) -> None:
        """Back to the library (closing whatever is above it) with the cursor in the query."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.library.focus_search(query)

    def action_export(self, fmt: Format) -> None:
        """Ask for the file name, then export (nothing is written on escape)."""
        from tui.dialogs.prompt import PromptScreen

        name, default = EXPORTS[fmt]

        def ask(value: str, error: str = "") -> None:
            """Asked again, with the name typed and the reason, when the export fails."""

            def chosen(answer: str | None) -> None:
                if answer:
                    self.jobs.export(fmt, Path(answer).expanduser(), partial(ask, answer))

            prompt = PromptScreen(
                f"Export all annotations to {name}: file name",
                value,
                "enter: write the file (it is replaced if it exists)   esc: cancel",
                error,
            )
            self.push_screen(prompt, chosen)

        ask(str(Path.cwd() / default))

    def action_anchors(self) -> None:
        from tui.screens.anchors import AnchorsScreen

        self.push_screen(AnchorsScreen())

    def action_reindex(self) -> None:
        self.library.show_status("Re-reading the corpus and updating the index…")
        self.jobs.load(reread=True)

    def action_check(self) -> None:
        self.jobs.check()


def run_app(project: Project) -> int:
    GlossApp(project).run()
    return 0
