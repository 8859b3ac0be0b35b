"""ctrl+p: the command palette runs search, export (with a file prompt), re-index and check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import cast

from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Label

from tests.tui.conftest import notifications, settle
from tui.app import GlossApp
from tui.dialogs.prompt import PromptScreen
from tui.screens.library import LibraryScreen
from tui.widgets.article_table import ArticleTable


async def run_command(pilot: Pilot[None], words: str) -> None:
    """Open the palette, type, and run the best match."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(cast("App[object]", pilot.app))
    await pilot.press(*words)
    await pilot.pause(0.3)  # the palette searches its providers in the background
    await pilot.press("enter")
    await pilot.pause()


def test_export_markdown_asks_for_a_file_and_writes_it(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await run_command(pilot, "export to markdown")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        assert prompt.query_one(Input).value == str(annotated / "annotations.md")
        await pilot.press("enter")
        await settle(pilot)
        report = (annotated / "annotations.md").read_text(encoding="utf-8")
        assert "348 Chinese counterparts" in report and "Numbers matter" in report
        assert isinstance(app.screen, LibraryScreen)

    drive(scenario)


def test_export_w3c_to_a_chosen_file(annotated: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await run_command(pilot, "export w3c")
        field = app.screen.query_one(Input)
        field.value = str(annotated / "seeds")  # a folder: cannot be written as a file
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and (annotated / "seeds").is_dir()
        # Issue 17 #15: asked again, the name kept and the reason shown, no toast.
        assert isinstance(app.screen, PromptScreen)
        field = app.screen.query_one(Input)
        assert field.value == str(annotated / "seeds")
        error = str(app.screen.query_one("#prompt-error", Label).content)
        assert error.startswith("Not written:") and "seeds" in error
        assert not [title for title, _ in told if title == "Export failed"]
        field.value = str(annotated / "nodir" / "x.jsonld")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)  # again: that folder does not exist
        assert app.screen.query_one(Input).value == str(annotated / "nodir" / "x.jsonld")

        def refused_again() -> bool:  # the second refusal shown, not the first's prompt
            errors = app.screen.query("#prompt-error").results(Label)
            return any("nodir" in str(label.content) for label in errors)

        for _ in range(500):  # (until waits 2 s: too short on a loaded machine)
            if refused_again():
                break
            await pilot.pause(0.02)
        field = app.screen.query_one(Input)
        field.value = "notes.jsonld"  # a relative name: the working folder
        await field.action_submit()  # (typed keys can beat the new prompt's focus)
        written = annotated / "notes.jsonld"
        for _ in range(500):  # the export job starts once the prompt has closed
            if written.exists():
                break
            await pilot.pause(0.02)
        await settle(pilot)
        data = json.loads(written.read_text(encoding="utf-8"))
        assert data["type"] == "AnnotationCollection"
        assert any("5 annotations written" in message for _, message in told)

    drive(scenario)


def test_escape_in_the_export_prompt_writes_nothing(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await run_command(pilot, "export to markdown")
        await pilot.press("escape")
        await settle(pilot)
        assert not (annotated / "annotations.md").exists()
        assert isinstance(app.screen, LibraryScreen)

    drive(scenario)


def test_reindex_picks_up_a_new_article(project_dir: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        assert app.library.query_one(ArticleTable).row_count == 5
        (project_dir / "seeds" / "new.txt").write_text(
            "A brand new article\n\nAbout zeppelins.\n", encoding="utf-8"
        )
        await run_command(pilot, "re-index")
        await settle(pilot)
        assert app.library.query_one(ArticleTable).row_count == 6
        await pilot.press("slash", *"zeppelins")
        await settle(pilot)
        assert [e.id for e in app.library.query_one(ArticleTable).entries] == ["new"]

    drive(scenario)


def test_check_reports_anchoring_states(annotated: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await run_command(pilot, "check annotations")
        await settle(pilot)
        assert ("Annotations checked", "5 exact") in told

    drive(scenario)


def test_check_also_reads_the_codebook(annotated: Path, drive: Callable[..., None]) -> None:
    """As `gloss check` does: a broken tags.toml is counted and named, and left as it is."""
    codebook = annotated / "annotations" / "tags.toml"
    codebook.write_text('schema = 1\n[tags."trade"\n', encoding="utf-8")
    before = codebook.read_bytes()

    recorded: list[list[tuple[str, str]]] = []

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        (told,) = recorded
        await run_command(pilot, "check annotations")
        await settle(pilot)
        assert ("Annotations checked", "5 exact; 1 store file(s) cannot be read") in told
        # Named once (the library named it when it counted the annotations).
        assert [title for title, _ in told].count("Cannot read tags.toml") == 1, told

    drive(scenario, before=lambda app: recorded.append(notifications(app)))
    assert codebook.read_bytes() == before


def test_palette_search_goes_to_the_library_with_the_query(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"putin")
        await pilot.pause(0.3)
        # The corpus search is offered whatever the words; pick it explicitly.
        palette = app.screen
        await pilot.press("end")
        options = palette.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        index = next(i for i, p in enumerate(prompts) if p.startswith("Search the corpus for"))
        options.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.library.query_one("#search", Input).value == "putin"
        assert app.library.hits is not None and app.library.hits.total >= 2

    drive(scenario)


def test_palette_lists_the_screens_commands(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        titles = [prompt.split("\n")[0] for prompt in prompts]
        assert titles.count("Keys") == 1  # ours (this screen's keys), not a second one
        assert {
            "Export to Markdown",
            "Export to W3C JSON-LD",
            "Re-index",
            "Check annotations",
            "Filter",
            "Sort",
            "Tags",
            "Theme",
        } <= set(titles)

    drive(scenario)


def test_the_palette_lists_and_runs_the_readers_commands(drive: Callable[..., None]) -> None:
    from tui.keymap import READER_COMMANDS
    from tui.screens.reader import ReaderScreen

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader("000_1b8bce5c4f6c6391")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("ctrl+p")
        await pilot.pause(0.5)
        listed = app.screen.query_one(CommandList)
        titles = {str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)}
        wanted = {c.title for c in READER_COMMANDS if c.palette and c.id != "reader.annotate"}
        wanted -= {"Next", "Prev match"}  # no search matches in this article: hidden
        assert wanted <= {t.split("\n")[0] for t in titles}, titles
        await pilot.press("escape")
        await pilot.pause()
        await run_command(pilot, "panel")  # runs on the reader, not the palette
        assert not reader.panel.display
        assert app.screen is reader

    drive(scenario)
