"""The codebook as a REFI-QDA code tree, both ways.

Out: ``actor/china`` becomes a ``Code`` named ``china`` inside one named ``actor``; a
parent no annotation uses and the codebook does not describe is a folder
(``isCodable="false"``). In: nested codes become ``a/b`` tags; a name that cannot be a
Gloss tag segment (spaces, commas, slashes) is rewritten with ``_`` and reported, and
ATLAS.ti's flat ``Parent::Child`` names become a hierarchy.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.core.annotations.codebook import Codebook, TagInfo
from tui.core.annotations.model import with_ancestors
from tui.core.refi.vocabulary import guid, xml_text

_NOT_IN_SEGMENT = re.compile(r"[\s,/\x00-\x1f\x7f]+")
_SHORT_COLOUR = re.compile(r"#([0-9a-fA-F])([0-9a-fA-F])([0-9a-fA-F])")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
FLAT_SEPARATOR = "::"
"""How ATLAS.ti writes a code's place in a hierarchy inside its name."""


def code_guid(tag: str) -> str:
    return guid("code", tag)


@dataclass(frozen=True, slots=True)
class CodeNode:
    """One tag in the tree: codable when used or described, else only a folder."""

    tag: str
    codable: bool
    info: TagInfo | None
    children: tuple[CodeNode, ...] = ()

    @property
    def name(self) -> str:
        return self.tag.rpartition("/")[2]


def code_tree(codebook: Codebook, used: Iterable[str]) -> tuple[CodeNode, ...]:
    """The tags of the codebook and those in use, with their ancestors, as a sorted tree."""
    codable = set(codebook.names()) | set(used)
    every = sorted(with_ancestors(codable))
    children: dict[str, list[str]] = {}
    for tag in every:
        parent = tag.rpartition("/")[0]
        children.setdefault(parent, []).append(tag)

    def node(tag: str) -> CodeNode:
        return CodeNode(
            tag,
            tag in codable,
            codebook.get(tag),
            tuple(node(child) for child in children.get(tag, [])),
        )

    return tuple(node(tag) for tag in children.get("", []))


def codes_element(nodes: Sequence[CodeNode]) -> ET.Element:
    """``<Codes>`` with one nested ``<Code>`` per node (the project and codebook schemas
    share this shape); unqualified, for a root that declares the default namespace."""
    codes = ET.Element("Codes")
    for item in nodes:
        codes.append(_code_element(item))
    return codes


def _code_element(item: CodeNode) -> ET.Element:
    code = ET.Element("Code")
    code.set("guid", code_guid(item.tag))
    code.set("name", xml_text(item.name))
    code.set("isCodable", "true" if item.codable else "false")
    if item.info is not None and item.info.colour:
        code.set("color", item.info.colour)
    if item.info is not None and item.info.description:
        ET.SubElement(code, "Description").text = xml_text(item.info.description)
    for child in item.children:
        code.append(_code_element(child))
    return code


@dataclass(frozen=True, slots=True)
class ForeignCode:
    """A code as another tool wrote it (nested codes in ``children``)."""

    guid: str
    name: str
    codable: bool
    colour: str = ""
    description: str = ""
    children: tuple[ForeignCode, ...] = ()
    note_guids: tuple[str, ...] = ()


@dataclass
class CodeMapping:
    """Which Gloss tag each code GUID became, the codebook entries, and what was renamed."""

    tags: dict[str, str] = field(default_factory=dict)
    codebook: dict[str, TagInfo] = field(default_factory=dict)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(the code's name as written, the tag it became) where they differ."""
    notes_used: set[str] = field(default_factory=set)
    """GUIDs of the notes added to a tag's description."""


def map_codes(codes: Sequence[ForeignCode], notes: dict[str, str] | None = None) -> CodeMapping:
    """Tags for a code tree; code notes (``NoteRef``) are added to the tag's description."""
    notes = notes or {}
    result = CodeMapping()
    taken: set[str] = set()

    def visit(code: ForeignCode, parent: str, written: str) -> None:
        segments = [tag_segment(part) for part in code.name.split(FLAT_SEPARATOR)]
        tag = "/".join([parent, *segments] if parent else segments)
        if tag in taken:
            tag = _unique(tag, taken)
        taken.add(tag)
        full_name = f"{written}/{code.name}" if written else code.name
        if tag != full_name:
            result.renamed.append((full_name, tag))
        result.tags[code.guid] = tag
        texts = [code.description.strip()] + [
            notes[n].strip() for n in code.note_guids if n in notes
        ]
        description = "\n\n".join(t for t in texts if t)
        result.notes_used.update(n for n in code.note_guids if n in notes)
        colour = refi_colour(code.colour)
        if code.codable or description or colour:
            result.codebook[tag] = TagInfo(tag, description, colour)
        for child in code.children:
            visit(child, tag, full_name)

    for code in codes:
        visit(code, "", "")
    return result


def tag_segment(name: str) -> str:
    """One part of a tag from a code name: whitespace, commas and slashes become ``_``."""
    return _NOT_IN_SEGMENT.sub("_", name.strip()).strip("_") or "code"


def refi_colour(value: str) -> str:
    """``#rgb`` or ``#rrggbb`` (the schema allows both) as Gloss's ``#rrggbb``; else empty."""
    value = value.strip()
    short = _SHORT_COLOUR.fullmatch(value)
    if short:
        return "#" + "".join(c * 2 for c in short.groups())
    return value if _COLOUR.fullmatch(value) else ""


def _unique(tag: str, taken: set[str]) -> str:
    number = 2
    while f"{tag}-{number}" in taken:
        number += 1
    return f"{tag}-{number}"
