"""GlossApp: the Textual shell. Screens hold the behaviour; the app only wires them."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from tui.core.errors import GlossError
from tui.core.models import Span
from tui.core.project import Project
from tui.display import display_path
from tui.key_order import OrderedKeysApp
from tui.keymap import APP_COMMANDS, bindings, user_settings
from tui.palette import GlossCommands
from tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from tui.core.export import Format
    from tui.core.workspace import Workspace

# Dialogs, other screens and the corpus code are imported when first needed: the
# library paints its first frame before the corpus modules have even loaded.


class GlossApp(OrderedKeysApp[None]):
    """Keys sent at once (a paste, a script) act as if typed one by one (OrderedKeysApp)."""

    TITLE = "Gloss"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = bindings(APP_COMMANDS)
    COMMANDS = App.COMMANDS | {GlossCommands}
    # A mode (not get_default_screen) so Textual loads the library's CSS_PATH.
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {"library": LibraryScreen}
    DEFAULT_MODE = "library"

    def __init__(self, project: Project, workspace: Workspace | None = None) -> None:
        super().__init__()
        self.project = project
        self._workspace = workspace
        self._workspace_lock = threading.Lock()

    @property
    def workspace(self) -> Workspace:
        """The project's corpus, store and index; first opened by the library's load worker."""
        with self._workspace_lock:
            if self._workspace is None:
                from tui.core.workspace import Workspace

                self._workspace = Workspace(self.project)
            return self._workspace

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

    def apply_settings(self) -> None:
        """Keys (``[keys]``) and ``theme`` from the user's config.toml; a bad one is told."""
        from tui.core.config import read_config

        try:
            keymap, theme = user_settings(read_config(), self.available_themes)
        except GlossError as exc:
            self.notify(str(exc), title="Settings", severity="error", timeout=10, markup=False)
            return
        if keymap:  # setting even an empty keymap re-composes the footer: ~10 ms at start
            self.set_keymap(keymap)
        if theme is not None:
            self.theme = theme

    @property
    def quitting(self) -> bool:
        """Keys typed after q are still delivered: they must not open screens mid-exit."""
        return self.return_code is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.quitting:
            return False
        screen = self.screen
        if action == "tags" and screen.id in ("tags", "help"):
            return False
        return not (action == "help" and screen.id == "help")

    def open_reader(
        self,
        article_id: str,
        *,
        query: str | None = None,
        spans: Sequence[Span] = (),
        annotation_id: str | None = None,
    ) -> None:
        """Push the reader on an article (imported here: it is the heaviest screen)."""
        if self.quitting:
            return
        if article_id not in self.workspace.corpus.articles:  # annotations outlive articles
            self.notify(
                f"article {article_id} is no longer in the corpus",
                title="Cannot open",
                severity="warning",
                markup=False,
            )
            return
        from tui.screens.reader import ReaderScreen

        self.push_screen(
            ReaderScreen(article_id, query=query, spans=spans, annotation_id=annotation_id)
        )

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
        self.library.ask_export(fmt)

    def action_reindex(self) -> None:
        self.library.reindex()

    def action_check(self) -> None:
        self.library.check()


def run_app(project: Project) -> int:
    GlossApp(project).run()
    return 0
