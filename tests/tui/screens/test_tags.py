"""The tags screen: the codebook tree, annotations by tag, rename/merge, describe, recolour."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Input, Label
from textual.widgets.tree import TreeNode

from tests.tui.conftest import notifications, settle
from tui.app import GlossApp
from tui.core.annotations.model import subtree_counts
from tui.core.project import resolve_project
from tui.core.workspace import Workspace
from tui.dialogs.prompt import PromptScreen
from tui.screens.tags import TagsScreen
from tui.widgets.tag_annotations import TagAnnotations
from tui.widgets.tag_tree import TagInfo, TagTree


def tree(app: GlossApp) -> TagTree:
    return app.screen.query_one(TagTree)


def label(node: TreeNode[str]) -> Text:
    """A node's label as the tree made it (TagTree always gives a Text)."""
    assert isinstance(node.label, Text)
    return node.label


def labels(app: GlossApp) -> list[str]:
    lines = []

    def walk(node: TreeNode[str], depth: int) -> None:
        for child in node.children:
            lines.append("  " * depth + label(child).plain[2:])  # without the colour dot
            walk(child, depth + 1)

    walk(tree(app).root, 0)
    return lines


async def open_tags(pilot: Pilot[None]) -> None:
    await pilot.press("t")
    await settle(pilot)


async def go_to(pilot: Pilot[None], tag: str) -> None:
    app = pilot.app
    assert isinstance(app, GlossApp)
    tree(app).select_tag(tag)
    await pilot.pause()
    await pilot.pause()
    assert tree(app).current_tag == tag


async def answer(pilot: Pilot[None], text: str) -> None:
    """Replace the prompt's text and press enter, then let the store write."""
    assert isinstance(pilot.app.screen, PromptScreen)
    prompt = pilot.app.screen.query_one("#prompt-input")
    prompt.value = ""  # type: ignore[attr-defined]
    await pilot.press(*text, "enter")
    await settle(pilot)


def codebook(project: Path) -> dict[str, dict[str, str]]:
    data = tomllib.loads((project / "annotations" / "tags.toml").read_text(encoding="utf-8"))
    return data["tags"]  # type: ignore[no-any-return]


def test_tree_shows_the_hierarchy_with_subtree_counts(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        assert isinstance(app.screen, TagsScreen)
        assert labels(app) == ["actor  4", "  china  2", "  russia  2", "event  1", "trade  2"]
        china = label(tree(app).root.children[0].children[0])
        assert china.plain.startswith("● ")
        style = china.spans[0].style
        assert isinstance(style, Style) and style.color is not None
        assert style.color.name == "#bf616a"  # its codebook colour

    drive(scenario)


def test_enter_lists_a_tags_annotations_and_enter_opens_one(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        await open_tags(pilot)
        await go_to(pilot, "actor")
        await pilot.press("enter")
        await settle(pilot)
        listed = app.screen.query_one(TagAnnotations)
        assert [a.exact for a in listed.annotations] == [
            "348 Chinese counterparts",
            "Putin",
            "Russia",
            "China",
        ]
        assert app.focused is listed
        opened: list[dict[str, object]] = []
        open_reader = app.open_reader

        def opening(article_id: str, **options: Any) -> None:
            opened.append(options)
            open_reader(article_id, **options)

        app.open_reader = opening  # type: ignore[method-assign]
        await pilot.press("down", "enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert reader.article_id == "001_6f77d67fd69055e2"
        assert opened == [{"annotation_id": listed.annotations[1].id}]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)

    drive(scenario)


def test_rename_moves_the_subtree_and_merges(annotated: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "actor/russia")
        await pilot.press("r")
        await pilot.pause()
        await answer(pilot, "actor/china")  # an existing tag: the two merge
        assert labels(app)[:2] == ["actor  4", "  china  4"]
        stored = (annotated / "annotations" / "001_6f77d67fd69055e2.toml").read_text()
        assert tomllib.loads(stored)["annotation"][0]["tags"] == ["actor/china"]
        assert "actor/russia" not in codebook(annotated)

    drive(scenario)


def test_describe_and_recolour_write_the_codebook(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "event")
        await pilot.press("d")
        await pilot.pause()
        await answer(pilot, "Conferences and fairs")
        await pilot.press("c")
        await pilot.pause()
        await answer(pilot, "#88c0d0")
        entry = codebook(annotated)["event"]
        assert entry["description"] == "Conferences and fairs"
        assert entry["colour"] == "#88c0d0"
        assert tree(app).tags["event"] == TagInfo("event", 1, "#88c0d0", "Conferences and fairs")

    drive(scenario)


def test_a_bad_colour_is_refused_with_a_message(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "event")
        before = (annotated / "annotations" / "tags.toml").read_bytes()
        told = notifications(app)
        await pilot.press("c")
        await pilot.pause()
        await answer(pilot, "zzz")
        # The dialog is still there, with what was typed and why it was refused.
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one(Input).value == "zzz"
        assert "colour" in str(app.screen.query_one("#prompt-error", Label).content)
        assert not told
        assert (annotated / "annotations" / "tags.toml").read_bytes() == before
        await pilot.press("escape")  # leaves the dialog, not the screen
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        await pilot.press("c")
        await pilot.pause()
        await answer(pilot, "#112233")
        assert isinstance(app.screen, TagsScreen)
        assert codebook(annotated)["event"]["colour"] == "#112233"

    drive(scenario)


def test_escape_in_a_prompt_changes_nothing(annotated: Path, drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        await go_to(pilot, "trade")
        before = (annotated / "annotations" / "tags.toml").read_bytes()
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("x", "escape")
        await settle(pilot)
        assert isinstance(app.screen, TagsScreen)
        assert (annotated / "annotations" / "tags.toml").read_bytes() == before

    drive(scenario)


def test_an_empty_codebook_says_how_to_start(drive: Callable[..., None]) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        assert labels(app) == []
        details = str(app.screen.query_one("#tag-details", Label).content)
        assert details.startswith("No tags yet")
        await pilot.press("r")  # nothing to rename: no prompt opens
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)

    drive(scenario)


def test_subtree_counts_count_annotations_not_tag_uses() -> None:
    tagged = [["a/b"], ["a/b", "a"], ["a/c"], ["d/e/f"], ["d/e/f", "d/e"], ["d/e/f"]]
    assert subtree_counts(tagged, ["x"]) == {
        "a": 3,
        "a/b": 2,
        "a/c": 1,
        "d": 3,
        "d/e": 3,
        "d/e/f": 3,
        "x": 0,
    }


def test_an_annotation_tagged_with_a_tag_and_its_child_counts_once(
    annotated: Path, drive: Callable[..., None]
) -> None:
    workspace = Workspace(resolve_project(cwd=annotated))
    article = workspace.corpus.get("001_6f77d67fd69055e2")
    start = article.body.index("Beijing")
    workspace.store.add(article, start, start + len("Beijing"), ["actor", "actor/china/pla"])

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        assert labels(app)[:5] == [
            "actor  5",  # as many as `gloss annotations --tag actor` lists, not 6 tag uses
            "  china  3",
            "    pla  1",
            "  russia  2",
            "event  1",
        ]

    drive(scenario)


def test_counts_follow_changes_made_by_another_process(
    annotated: Path, drive: Callable[..., None]
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        other = Workspace(resolve_project(cwd=annotated))
        article = other.corpus.get("004_bb928d6639fb2ab5")
        other.store.add(article, 0, 9, ["event/fair"])
        app.watcher.look_now()  # what the two-second timer does
        await settle(pilot)
        assert labels(app)[3:] == ["event  2", "  fair  1", "trade  2"]

    drive(scenario)


def test_a_broken_codebook_is_shown_not_raised(annotated: Path, drive: Callable[..., None]) -> None:
    codebook_file = annotated / "annotations" / "tags.toml"
    codebook_file.write_text('schema = 1\n[tags."trade"\n', encoding="utf-8")
    before = codebook_file.read_bytes()

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await open_tags(pilot)
        assert isinstance(app.screen, TagsScreen)
        details = str(app.screen.query_one("#tag-details", Label).content)
        assert "tags.toml" in details
        assert told and "tags.toml" in told[-1][1]
        assert codebook_file.read_bytes() == before

    drive(scenario)


def test_long_tag_names_end_with_an_ellipsis(annotated: Path, drive: Callable[..., None]) -> None:
    long_tag = "organisation/international-monetary-fund-executive-board"
    other = Workspace(resolve_project(cwd=annotated))
    article = other.corpus.get("004_bb928d6639fb2ab5")
    other.store.add(article, 0, 9, [long_tag])

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        await open_tags(pilot)
        node = tree(app).root.children[2].children[0]  # actor, event, organisation/…
        assert node.data == long_tag
        label = tree(app).render_label(node, Style(), Style())
        room = tree(app).scrollable_content_region.width - tree(app).guide_depth
        assert label.plain.endswith("…") and label.cell_len == room

    drive(scenario, size=(80, 24))


def test_an_annotation_whose_article_is_gone_says_so(
    annotated: Path, drive: Callable[..., None]
) -> None:
    (annotated / "seeds" / "001_6f77d67fd69055e2.txt").unlink()

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        told = notifications(app)
        await open_tags(pilot)
        await go_to(pilot, "actor/russia")
        await pilot.press("enter")
        await settle(pilot)
        listed = app.screen.query_one(TagAnnotations)
        assert listed.annotations[0].article == "001_6f77d67fd69055e2"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)
        assert told[-1] == (
            "Cannot open",
            "article 001_6f77d67fd69055e2 is no longer in the corpus",
        )

    drive(scenario)
