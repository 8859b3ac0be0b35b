"""REFI-QDA project export (``.qdpx``): the whole project for NVivo, ATLAS.ti, MAXQDA, QualCoder.

A zip holding ``project.qde`` (XML, namespace ``urn:QDA-XML:project:1.0``) and one
``sources/<GUID>.txt`` per article: its normalised body, UTF-8. Every annotation is a
``PlainTextSelection`` whose ``startPosition``/``endPosition`` are half-open Gloss offsets
into that text (Unicode code points, ``text[start:end]`` is the passage), with one
``Coding`` per tag, its author as a ``User`` and its note as a ``Note`` it refers to.
An article's memo is a ``Note`` its ``TextSource`` refers to with ``NoteRef``: the
standard's note, "a free text comment made by the user on a project, source, selection or
code" (section 3.9). QualCoder keeps a source memo in the source's ``Description``
instead; the import reads both. The codebook is the code tree (:mod:`tui.core.refi.codes`);
title, date, source, author, url and tags of each article are source variables. GUIDs
are derived from Gloss ids and the zip has fixed timestamps, so exporting an unchanged
project gives identical bytes.
Orphaned annotations have no place in the text and are left out (see :func:`not_carried`).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui import __version__
from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import Anchored, normalise_note
from tui.core.annotations.selection import Selection
from tui.core.models import Article
from tui.core.refi.codes import code_guid, code_tree, codes_element
from tui.core.refi.vocabulary import (
    INTERNAL,
    PROJECT_FILE,
    PROJECT_NS,
    SOURCES_DIR,
    guid,
    xml_document,
    xml_text,
    xsd_datetime,
)

if TYPE_CHECKING:
    from tui.core.workspace import Workspace

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member's timestamp: the same project always zips to the same bytes."""
_NAME_CHARS = 60
VARIABLES = ("title", "source", "date", "author", "url", "tags")
"""Article metadata carried as source variables (``date`` is a Date, the others Text)."""


@dataclass(frozen=True)
class ProjectExport:
    """What a whole-project export carries besides the selected annotations."""

    name: str
    articles: Sequence[Article]
    """Every article to include as a source, annotated or not."""
    codebook: Codebook
    memos: Mapping[str, str] = field(default_factory=dict)
    """Article id -> the article's memo (a note on the whole article), where it has one."""


def project_export(workspace: Workspace, article: str | None = None) -> ProjectExport:
    """The project as a workspace has it (one article only, with ``article``)."""
    corpus, store = workspace.corpus, workspace.store
    articles = [corpus.get(article)] if article is not None else list(corpus.articles.values())
    name = workspace.project.config_file.parent.name if workspace.project.config_file else ""
    memos = {article: store.memo(article)} if article is not None else store.memos()
    return ProjectExport(
        name=name or corpus.root.name,
        articles=articles,
        codebook=store.codebook(),
        memos={k: v for k, v in memos.items() if v},
    )


def not_carried(selection: Selection, project: ProjectExport) -> list[str]:
    """What this export leaves out, in words (the standard asks exporters to warn)."""
    lost = []
    orphans = sum(1 for item in selection.items if _span(item) is None)
    if orphans:
        lost.append(
            f"{orphans} orphaned annotation{'s' if orphans != 1 else ''} (no place in the "
            "current text; see gloss check)"
        )
    changed = sum(1 for item in selection.items if _span(item) and _not_xml(item.note))
    if changed:
        lost.append(
            f"control characters in {changed} note{'s' if changed != 1 else ''} (XML cannot "
            "hold them: written as their visible pictures, e.g. ␛)"
        )
    present = {a.id for a in project.articles}
    gone = [a for a in project.memos if a not in present]
    if gone:
        lost.append(
            f"the memo{'s' if len(gone) != 1 else ''} of {len(gone)} article"
            f"{'s' if len(gone) != 1 else ''} no longer in the corpus ({', '.join(gone[:3])}"
            f"{', ...' if len(gone) > 3 else ''})"
        )
    memos = sum(1 for a, memo in project.memos.items() if a in present and _not_xml(memo))
    if memos:
        lost.append(
            f"control characters in {memos} memo{'s' if memos != 1 else ''} (written as "
            "their visible pictures)"
        )
    keys = sorted(info.name for info in project.codebook.tags.values() if info.key)
    if keys:
        lost.append(f"the reader shortcut keys of {len(keys)} tags (REFI-QDA has no such field)")
    return lost


def _not_xml(text: str) -> bool:
    return xml_text(text) != normalise_note(text)


def to_qdpx(selection: Selection, project: ProjectExport) -> bytes:
    """The ``.qdpx`` zip: ``project.qde`` first, then the sources by article id."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, PROJECT_FILE, project_xml(selection, project))
        for article in sorted(project.articles, key=lambda a: a.id):
            _add(archive, f"{SOURCES_DIR}/{source_guid(article.id)}.txt", article.body.encode())
    return out.getvalue()


def source_guid(article_id: str) -> str:
    return guid("article", article_id)


def project_xml(selection: Selection, project: ProjectExport) -> bytes:
    """``project.qde``: users, code book, variables, sources with selections, notes."""
    placed = {a.id: [i for i in items if _span(i)] for a, items in _by_article(selection, project)}
    every = [item for items in placed.values() for item in items]
    # Children are written unqualified under a default namespace declared on the root
    # (ElementTree's default_namespace option refuses unqualified attributes).
    root = ET.Element("Project", xmlns=PROJECT_NS)
    root.set("name", xml_text(project.name or "Gloss project"))
    root.set("origin", f"Gloss {__version__}")
    times = [t for i in every for t in (xsd_datetime(i.annotation.created),) if t]
    modified = [t for i in every for t in (xsd_datetime(i.annotation.modified),) if t]
    if times:
        root.set("creationDateTime", min(times))
    if modified:
        root.set("modifiedDateTime", max(modified))

    authors = sorted({i.annotation.author for i in every if i.annotation.author})
    if authors:
        users = ET.SubElement(root, "Users")
        for author in authors:
            ET.SubElement(users, "User", guid=user_guid(author), name=xml_text(author))

    used = {t for i in selection.items for t in i.annotation.tags}
    tree = code_tree(project.codebook, used)
    if tree:
        ET.SubElement(root, "CodeBook").append(codes_element(tree))

    variables = _variables(project.articles)
    if variables:
        holder = ET.SubElement(root, "Variables")
        for name in variables:
            ET.SubElement(
                holder,
                "Variable",
                guid=guid("variable", name),
                name=name,
                typeOfVariable="Date" if name == "date" else "Text",
            )

    notes: list[ET.Element] = []
    if project.articles:
        sources = ET.SubElement(root, "Sources")
        for article in sorted(project.articles, key=lambda a: a.id):
            sources.append(_text_source(article, placed.get(article.id, []), project, notes))
    if notes:
        ET.SubElement(root, "Notes").extend(notes)
    return xml_document(root).encode("utf-8")


def user_guid(author: str) -> str:
    return guid("user", author)


def _by_article(
    selection: Selection, project: ProjectExport
) -> Iterable[tuple[Article, list[Anchored]]]:
    groups = selection.by_article()
    for article in project.articles:
        yield article, groups.get(article.id, [])


def _span(item: Anchored) -> tuple[int, int] | None:
    if item.start is None or item.end is None:
        return None
    return item.start, item.end


def _text_source(
    article: Article, items: list[Anchored], project: ProjectExport, notes: list[ET.Element]
) -> ET.Element:
    ident = source_guid(article.id)
    source = ET.Element("TextSource")
    source.set("guid", ident)
    source.set("name", xml_text(article.id))
    source.set("plainTextPath", f"{INTERNAL}{ident}.txt")
    for item in items:
        source.append(_selection(article, item, notes))
    memo = project.memos.get(article.id, "")
    if memo:
        source.append(_note_ref(_memo_note(article, memo, notes)))
    for name, value in _metadata(article).items():
        holder = ET.SubElement(source, "VariableValue")
        ET.SubElement(holder, "VariableRef", targetGUID=guid("variable", name))
        kind = "DateValue" if name == "date" else "TextValue"
        ET.SubElement(holder, kind).text = xml_text(value)
    return source


def _selection(article: Article, item: Anchored, notes: list[ET.Element]) -> ET.Element:
    a = item.annotation
    start, end = item.start or 0, item.end or 0
    element = ET.Element("PlainTextSelection")
    element.set("guid", guid("annotation", a.article, a.id))
    element.set("name", xml_text(_name(article.body[start:end])))
    element.set("startPosition", str(start))
    element.set("endPosition", str(end))
    created, modified = xsd_datetime(a.created), xsd_datetime(a.modified)
    user = user_guid(a.author) if a.author else None
    _provenance(element, user, created, modified)
    for tag in a.tags:
        coding = ET.SubElement(element, "Coding")
        coding.set("guid", guid("coding", a.article, a.id, tag))
        if user:
            coding.set("creatingUser", user)
        if created:
            coding.set("creationDateTime", created)
        ET.SubElement(coding, "CodeRef", targetGUID=code_guid(tag))
    if a.note:
        note = _note(
            guid("note", a.article, a.id),
            f"Note on “{_name(article.body[start:end], 40)}”",
            a.note,
            user,
            created,
            modified,
        )
        notes.append(note)
        element.append(_note_ref(note))
    return element


def _memo_note(article: Article, memo: str, notes: list[ET.Element]) -> ET.Element:
    """An article memo: a Note the article's TextSource refers to."""
    note = _note(guid("memo", article.id), f"Memo on {article.id}", memo, None, None, None)
    notes.append(note)
    return note


def _note(
    ident: str,
    name: str,
    text: str,
    user: str | None,
    created: str | None,
    modified: str | None,
) -> ET.Element:
    note = ET.Element("Note", guid=ident, name=xml_text(name))
    _provenance(note, user, created, modified)
    ET.SubElement(note, "PlainTextContent").text = xml_text(text)
    return note


def _provenance(
    element: ET.Element, user: str | None, created: str | None, modified: str | None
) -> None:
    """Who made it and when: the four attributes selections, sources and notes share."""
    for key, value in (
        ("creatingUser", user),
        ("creationDateTime", created),
        ("modifyingUser", user),
        ("modifiedDateTime", modified),
    ):
        if value:
            element.set(key, value)


def _note_ref(note: ET.Element) -> ET.Element:
    return ET.Element("NoteRef", targetGUID=note.get("guid", ""))


def _metadata(article: Article) -> dict[str, str]:
    """The article's known metadata as variable values, in a fixed order."""
    values = {
        "title": article.title,
        "source": article.source or "",
        "date": article.date.isoformat() if article.date else "",
        "author": article.author or "",
        "url": article.url or "",
        "tags": ", ".join(article.tags),
    }
    return {k: v for k, v in values.items() if v}


def _variables(articles: Iterable[Article]) -> list[str]:
    found = {name for article in articles for name in _metadata(article)}
    return [name for name in VARIABLES if name in found]


def _name(text: str, width: int = _NAME_CHARS) -> str:
    """A selection's display name in other tools: its text, on one line, cut with …."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)
