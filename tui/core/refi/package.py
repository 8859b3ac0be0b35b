"""Reading a ``.qdpx`` package (a zip of ``project.qde`` and ``sources/``) as written by
any REFI-QDA tool, into plain dataclasses.

Only what Gloss can hold is kept: users, the code tree, text sources (their text inline
as ``PlainTextContent`` or a file in the zip named by ``plainTextPath``, and the plain-text
representation of a PDF), plain-text selections with their codings and notes, notes, and
source variables. Everything else is listed in :attr:`ForeignProject.not_carried`, in
words, so the import can say what it left behind (the standard asks importers to).
Other tools differ in small ways, all accepted: any namespace version, ``Project.qde``
or ``Sources/`` in any case, GUIDs with or without braces in any case.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import GlossError, PathError
from tui.core.fileio import os_reason
from tui.core.refi.codes import ForeignCode
from tui.core.refi.vocabulary import INTERNAL, SOURCES_DIR, local_name

MAX_TEXT_BYTES = 256 * 1024 * 1024
"""A text source bigger than this inside the zip is refused (a zip bomb, not an article)."""
_VALUE_ELEMENTS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)

_GROUPS = {
    "Cases": ("Case", "case", "cases"),
    "Sets": ("Set", "set of codes or sources", "sets of codes or sources"),
    "Links": ("Link", "link between items", "links between items"),
    "Graphs": ("Graph", "graph (network view)", "graphs (network views)"),
}
"""Project parts Gloss has nothing for: (child element, one, many) to count them."""
_PROJECT_NOTE = ("note on the whole project (journal)", "notes on the whole project (journal)")
_RICH_TEXT = (
    "source's formatting (rich text; its plain text is carried)",
    "sources' formatting (rich text; their plain text is carried)",
)


class QdpxError(GlossError):
    """A file that is not a readable REFI-QDA project package."""


@dataclass(frozen=True, slots=True)
class ForeignCoding:
    code: str
    user: str = ""
    created: str = ""


@dataclass(frozen=True, slots=True)
class ForeignSelection:
    guid: str
    start: int
    end: int
    codings: tuple[ForeignCoding, ...] = ()
    user: str = ""
    created: str = ""
    modified: str = ""
    description: str = ""
    note_guids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForeignNote:
    guid: str
    name: str
    text: str
    user: str = ""


@dataclass
class ForeignSource:
    """A text source (or a PDF's plain-text representation) with its selections."""

    guid: str
    name: str
    text: str
    selections: list[ForeignSelection] = field(default_factory=list)
    codings: list[ForeignCoding] = field(default_factory=list)
    note_guids: list[str] = field(default_factory=list)
    description: str = ""
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class ForeignProject:
    name: str
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: list[ForeignCode] = field(default_factory=list)
    sources: list[ForeignSource] = field(default_factory=list)
    notes: dict[str, ForeignNote] = field(default_factory=dict)
    not_carried: list[str] = field(default_factory=list)


def gid(value: str | None) -> str:
    """A GUID as compared here: no braces, lowercase (tools write both)."""
    return (value or "").strip().strip("{}").lower()


def read_qdpx(path: Path) -> ForeignProject:
    """The project in a ``.qdpx`` file; QdpxError or PathError, naming the file, if unreadable."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PathError(path, "file not found") from None
    except IsADirectoryError:
        raise PathError(path, "it is a folder, not a file") from None
    except OSError as exc:
        raise PathError(path, f"cannot read: {os_reason(exc)}") from None
    except zipfile.BadZipFile:
        raise QdpxError(f"{path}: not a QDPX file (a QDPX is a zip archive)") from None
    with archive:
        return _Reader(path, archive).project()


class _Reader:
    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.members = {info.filename.lower(): info for info in archive.infolist()}
        self.dropped: Counter[tuple[str, str]] = Counter()
        self.messages: list[str] = []
        self.variables: dict[str, str] = {}

    # -- the archive ------------------------------------------------------------------

    def _member(self, name: str) -> zipfile.ZipInfo | None:
        return self.members.get(name.lower())

    def _read(self, info: zipfile.ZipInfo) -> bytes:
        if info.file_size > MAX_TEXT_BYTES:
            raise QdpxError(
                f"{self.path}: {info.filename} is {info.file_size} bytes, more than "
                f"{MAX_TEXT_BYTES} for one text"
            )
        try:
            return self.archive.read(info)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise QdpxError(f"{self.path}: {info.filename}: damaged in the zip: {exc}") from None

    def _root(self) -> ET.Element:
        info = self._member("project.qde") or next(
            (i for n, i in self.members.items() if n.endswith(".qde") and "/" not in n), None
        )
        if info is None:
            raise QdpxError(f"{self.path}: no project.qde inside: not a REFI-QDA project")
        try:
            root = ET.fromstring(self._read(info))
        except ET.ParseError as exc:
            line = exc.position[0] if exc.position else 0
            raise QdpxError(
                f"{self.path}: {info.filename}:{line}: not well-formed XML: {exc.msg}"
            ) from None
        if local_name(root.tag) != "Project":
            raise QdpxError(
                f"{self.path}: {info.filename}: root element is <{local_name(root.tag)}>, "
                "not <Project>"
            )
        return root

    def _source_text(self, element: ET.Element, what: str) -> str | None:
        """The text of a TextSourceType: inline, or a file in the zip; None (and why) else."""
        content = _child(element, "PlainTextContent")
        if content is not None:
            return content.text or ""
        where = (element.get("plainTextPath") or "").strip()
        if not where:
            self.messages.append(
                f"{what}: no plain text (neither PlainTextContent nor plainTextPath)"
            )
            return None
        if not where.lower().startswith(INTERNAL):
            self.messages.append(f"{what}: its text is outside the package ({where})")
            return None
        name = where[len(INTERNAL) :].lstrip("/")
        info = self._member(f"{SOURCES_DIR}/{name}") or self._member(name)
        if info is None:
            self.messages.append(f"{what}: {where} is missing from the package")
            return None
        from tui.core.corpus.decoding import decode  # the corpus's one way to read text

        try:
            return decode(self._read(info), Path(info.filename))
        except GlossError as exc:
            self.messages.append(f"{what}: {exc}")
            return None

    # -- the project ------------------------------------------------------------------

    def project(self) -> ForeignProject:
        root = self._root()
        result = ForeignProject(
            name=root.get("name", "") or self.path.stem, origin=root.get("origin", "")
        )
        for element in root:
            kind = local_name(element.tag)
            if kind == "Users":
                for user in _children(element, "User"):
                    name = user.get("name") or user.get("id") or gid(user.get("guid"))
                    result.users[gid(user.get("guid"))] = name.strip()
            elif kind == "CodeBook":
                codes = _child(element, "Codes")
                result.codes = [_code(c) for c in _children(codes, "Code")]
            elif kind == "Variables":
                for variable in _children(element, "Variable"):
                    self.variables[gid(variable.get("guid"))] = variable.get("name", "")
            elif kind == "Sources":
                for source in element:
                    self._source(source, result)
            elif kind == "Notes":
                for note in _children(element, "Note"):
                    ident = gid(note.get("guid"))
                    name = note.get("name", "")
                    text = self._source_text(note, f"note '{name or ident}'")
                    if text is not None:
                        result.notes[ident] = ForeignNote(
                            ident, name, text, gid(note.get("creatingUser"))
                        )
            elif kind in _GROUPS:
                child, one, many = _GROUPS[kind]
                self.dropped[(one, many)] += len(_children(element, child))
            elif kind == "Description" and (element.text or "").strip():
                self.dropped[("project description", "project descriptions")] += 1
            elif kind == "NoteRef":
                self.dropped[_PROJECT_NOTE] += 1
        result.not_carried = self.messages + [
            f"{count} {one if count == 1 else many}"
            for (one, many), count in self.dropped.items()
            if count
        ]
        return result

    def _source(self, element: ET.Element, result: ForeignProject) -> None:
        kind = local_name(element.tag)
        name = element.get("name", "") or gid(element.get("guid"))
        if kind == "TextSource":
            what = f"text source '{name}'"
            if element.get("richTextPath"):
                self.dropped[_RICH_TEXT] += 1
            text = self._source_text(element, what)
            if text is not None:
                result.sources.append(self._text_source(element, name, text, what))
            return
        if kind == "PDFSource":
            regions = len(_children(element, "PDFSelection"))
            if regions:
                self.messages.append(
                    f"PDF source '{name}': {regions} page region selection"
                    f"{'' if regions == 1 else 's'} (only text selections are carried)"
                )
            representation = _child(element, "Representation")
            text = (
                None
                if representation is None
                else self._source_text(representation, f"PDF source '{name}'")
            )
            if representation is None or text is None:
                self.messages.append(f"PDF source '{name}': no plain-text representation")
                return
            source = self._text_source(representation, name, text, f"PDF source '{name}'")
            source.guid = gid(element.get("guid")) or source.guid
            source.codings.extend(_codings(element))
            source.note_guids.extend(_note_refs(element))
            source.description = "\n\n".join(
                d for d in (_description(element), source.description) if d
            )
            result.sources.append(source)
            return
        words = {"PictureSource": "picture", "AudioSource": "audio", "VideoSource": "video"}
        label = words.get(kind, kind)
        selections = sum(1 for child in element if local_name(child.tag).endswith("Selection"))
        transcripts = len(_children(element, "Transcript"))
        extra = []
        if selections:
            extra.append(f"{selections} selection{'' if selections == 1 else 's'}")
        if transcripts:
            extra.append(f"{transcripts} transcript{'' if transcripts == 1 else 's'}")
        more = f" with {' and '.join(extra)}" if extra else ""
        self.messages.append(f"{label} source '{name}'{more} (Gloss reads text only)")

    def _text_source(self, element: ET.Element, name: str, text: str, what: str) -> ForeignSource:
        source = ForeignSource(
            guid=gid(element.get("guid")),
            name=name,
            text=text,
            codings=_codings(element),
            note_guids=_note_refs(element),
            description=_description(element),
        )
        for selection in _children(element, "PlainTextSelection"):
            try:
                start = int(selection.get("startPosition", ""))
                end = int(selection.get("endPosition", ""))
            except ValueError:
                self.messages.append(
                    f"{what}: selection {gid(selection.get('guid'))} has no whole-number "
                    "startPosition/endPosition"
                )
                continue
            described = _child(selection, "Description")
            source.selections.append(
                ForeignSelection(
                    guid=gid(selection.get("guid")),
                    start=start,
                    end=end,
                    codings=tuple(_codings(selection)),
                    user=gid(selection.get("creatingUser")),
                    created=selection.get("creationDateTime", ""),
                    modified=selection.get("modifiedDateTime", ""),
                    description=(described.text or "") if described is not None else "",
                    note_guids=tuple(_note_refs(selection)),
                )
            )
        for value in _children(element, "VariableValue"):
            ref = _child(value, "VariableRef")
            variable = self.variables.get(gid(ref.get("targetGUID")) if ref is not None else "")
            found = next((c for c in value if local_name(c.tag) in _VALUE_ELEMENTS), None)
            if variable is None or found is None:
                continue
            source.variables[variable] = (found.text or "").strip()
        return source


def _children(element: ET.Element | None, name: str) -> list[ET.Element]:
    if element is None:
        return []
    return [child for child in element if local_name(child.tag) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next(iter(_children(element, name)), None)


def _description(element: ET.Element) -> str:
    """The element's own ``Description`` text, stripped ('' when none)."""
    found = _child(element, "Description")
    return (found.text or "").strip() if found is not None else ""


def _codings(element: ET.Element) -> list[ForeignCoding]:
    found = []
    for coding in _children(element, "Coding"):
        ref = _child(coding, "CodeRef")
        if ref is not None and ref.get("targetGUID"):
            found.append(
                ForeignCoding(
                    gid(ref.get("targetGUID")),
                    gid(coding.get("creatingUser")),
                    coding.get("creationDateTime", ""),
                )
            )
    return found


def _note_refs(element: ET.Element) -> list[str]:
    return [gid(ref.get("targetGUID")) for ref in _children(element, "NoteRef")]


def _code(element: ET.Element) -> ForeignCode:
    return ForeignCode(
        guid=gid(element.get("guid")),
        name=element.get("name", ""),
        codable=element.get("isCodable", "true").strip().lower() in ("true", "1"),
        colour=element.get("color", ""),
        description=_description(element),
        children=tuple(_code(child) for child in _children(element, "Code")),
        note_guids=tuple(_note_refs(element)),
    )
