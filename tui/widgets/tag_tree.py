"""The codebook as a tree: ``actor/china`` sits under ``actor``; counts include the subtree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.core.annotations.model import subtree_counts
from tui.core.ordering import natural_sorted
from tui.core.text import neutralise_controls


@dataclass(frozen=True, slots=True)
class TagInfo:
    """One codebook entry as the tree shows it."""

    name: str
    count: int = 0
    colour: str | None = None
    description: str = ""
    key: str = ""
    """The character that tags a selection in the reader (tags.toml ``key``)."""


def swatch(colour: str | None) -> Text:
    """A dot in the tag's codebook colour; a tag without a valid colour gets a plain dot."""
    try:
        return Text("● ", style=Style(color=colour)) if colour else Text("○ ")
    except Exception:  # rich raises ColorParseError for a colour it cannot read
        return Text("○ ")


class TagTree(Tree[str]):
    """Each node's data is the full tag name (``actor/china``); the root is hidden."""

    DEFAULT_CSS = """
    TagTree { scrollbar-size-vertical: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codebook", data="", id=id)
        self.show_root = False
        self.auto_expand = False  # enter lists the tag's annotations; space folds
        self.guide_depth = 2
        self.tags: dict[str, TagInfo] = {}
        self.totals: dict[str, int] = {}
        """Annotations under each tag and its subtree, as last shown."""
        self._tag_nodes: dict[str, TreeNode[str]] = {}

    def show_tags(
        self, tags: Iterable[TagInfo], totals: dict[str, int], keep: str | None = None
    ) -> None:
        """Rebuild the tree, the cursor on ``keep`` (a renamed tag's new name) or else on
        the same tag when it survives.

        ``totals`` are the annotations under each tag and its subtree (``subtree_counts``).
        """
        keep = keep or self.current_tag
        self.tags = {tag.name: tag for tag in tags}
        totals = {**subtree_counts((), self.tags), **totals}
        self.totals = totals
        self.clear()
        nodes: dict[str, TreeNode[str]] = {"": self.root}
        for name in sorted(totals, key=lambda n: n.casefold()):
            parent, _, leaf = name.rpartition("/")
            info = self.tags.get(name)
            label = Text.assemble(
                swatch(info.colour if info else None),
                neutralise_controls(leaf),
                (f"  {totals[name]}", "dim"),
            )
            node = nodes[parent].add(label, data=name, expand=True)
            nodes[name] = node
        for node in nodes.values():
            if not node.children:
                node.allow_expand = False
        self._tag_nodes = nodes
        if keep is not None and keep in nodes:
            self.select_tag(keep)
        elif len(nodes) > 1:
            self.call_after_refresh(self.move_cursor_to_line, 0)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, ending with an ellipsis when the tree is too narrow for it."""
        label = super().render_label(node, base_style, style)
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        room = self.scrollable_content_region.width - depth * self.guide_depth
        if 0 < room < label.cell_len:
            label.truncate(room, overflow="ellipsis")
        return label

    @property
    def current_tag(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None and node.data else None

    def subtree(self, name: str) -> list[str]:
        """The tags under ``name`` (``actor/china`` under ``actor``), in the tree's order."""
        return natural_sorted(tag for tag in self.totals if tag.startswith(f"{name}/"))

    def select_tag(self, name: str) -> None:
        """Move the cursor to a tag's node once the tree has laid its lines out."""
        node = self._tag_nodes.get(name)
        if node is not None:
            self.call_after_refresh(self.move_cursor, node)


__all__ = ["TagInfo", "TagTree", "swatch"]
