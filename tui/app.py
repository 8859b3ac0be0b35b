"""GlossApp: the Textual shell. Screens hold the behaviour; the app only wires them."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header

from tui.core.project import Project


class GlossApp(App[None]):
    TITLE = "Gloss"

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def compose(self) -> ComposeResult:
        yield Header()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = str(self.project.corpus)


def run_app(project: Project) -> int:
    GlossApp(project).run()
    return 0
