"""GlossApp: the shell with the library, the keys and the palette. Screens hold the
behaviour, tui/jobs.py the background work; the app only wires them."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own palette entries, less its "Keys" panel: `?` is ours."""
        return (c for c in super().get_system_commands(screen) if c.title != "Keys")

    @property
    def library(self) -> LibraryScreen:
        """The main screen: always at the bottom of the stack."""
        return cast(LibraryScreen, self.screen_stack[0])

    def on_mount(self) -> None:
        self.sub_title = display_path(self.project.corpus)
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
            return
        for problem in settings.problems:  # each one dropped; the rest still applies
            self.notify(problem, title="Settings", severity="error", timeout=10, markup=False)
        if settings.keymap:  # setting even an empty keymap re-composes the footer: ~10 ms
            self.set_keymap(settings.keymap)
        if settings.theme is not None:
            self.theme = settings.theme

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

        def chosen(answer: str | None) -> None:
            if answer:
                self.jobs.export(fmt, Path(answer).expanduser())

        prompt = PromptScreen(
            f"Export all annotations to {name}: file name",
            str(Path.cwd() / default),
            "enter: write the file (it is replaced if it exists)   esc: cancel",
        )
        self.push_screen(prompt, chosen)

    def action_reindex(self) -> None:
        self.library.show_status("Re-reading the corpus and updating the index…")
        self.jobs.load(reread=True)

    def action_check(self) -> None:
        self.jobs.check()


def run_app(project: Project) -> int:
    GlossApp(project).run()
    return 0
