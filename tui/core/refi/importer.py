"""A REFI-QDA project (``.qdpx``) from any tool, as a new Gloss project.

The project folder gets a ``gloss.toml``, a ``corpus/`` folder with one ``.txt`` article per
text source (title, date, source, author, url and tags from the source's variables, as
front matter) and an ``annotations/`` store: one annotation per plain-text selection and
coder (a selection coded by two users becomes one annotation each, so agreement can be
measured), its codes as tags, its description and notes as the note, its user as the
author. A source's own description (its comment) and the notes it refers to become the
article's memo. Offsets are mapped onto the normalised body (:mod:`tui.core.refi.offsets`), so a
source written with ``\\r\\n`` or decomposed accents still highlights the same text.

Everything is built and checked in memory first, then written into a temporary folder
that is renamed into place: a failed import leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import tomli_w

from tui.core.annotations.articlefile import dumps_annotations
from tui.core.annotations.codebook import CODEBOOK_FILE, PALETTE, Codebook
from tui.core.annotations.model import (
    Annotation,
    derived_id,
    normalise_memo,
    normalise_note,
    normalise_tags,
    quote_at,
)
from tui.core.errors import PathError
from tui.core.fileio import os_reason, write_atomic
from tui.core.models import Article, SourceFile
from tui.core.refi.codes import CodeMapping, map_codes
from tui.core.refi.offsets import OffsetMap
from tui.core.refi.package import (
    ForeignProject,
    ForeignSelection,
    ForeignSource,
    QdpxError,
    read_qdpx,
)
from tui.core.refi.vocabulary import gloss_time

CORPUS_DIR = "corpus"
STORE_DIR = "annotations"
METADATA = ("title", "source", "date", "author", "url", "tags")
"""Source variables (any case) that become front matter; other variables are reported."""
_DOCUMENT_SUFFIXES = (".txt", ".md", ".docx", ".doc", ".rtf", ".odt", ".pdf", ".html", ".htm")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]+')
_MAX_NAME = 120
_RESERVED = {"tags"}
"""``tags.toml`` is the codebook: no article may be called ``tags``."""


@dataclass
class Imported:
    """What the import made, and what it could not carry."""

    root: Path
    articles: int = 0
    annotations: int = 0
    memos: int = 0
    tags: int = 0
    authors: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)
    not_carried: list[str] = field(default_factory=list)


@dataclass
class _Article:
    id: str
    text: str
    """The file's content: front matter (if any) and the body."""
    body: str
    annotations: list[Annotation] = field(default_factory=list)
    memo: str = ""


def import_qdpx(package: Path, into: Path) -> Imported:
    """Read ``package`` and write a new project into the folder ``into`` (new or empty)."""
    _check_target(into)
    project = read_qdpx(package)
    plan = _Plan(project)
    articles = plan.articles()
    report = Imported(
        root=into,
        articles=len(articles),
        annotations=sum(len(a.annotations) for a in articles),
        memos=sum(1 for a in articles if a.memo),
        tags=len(plan.book.tags),
        authors=sorted({a.author for art in articles for a in art.annotations if a.author}),
        renamed=plan.codes.renamed,
        not_carried=[*project.not_carried, *plan.not_carried],
    )
    _write(into, articles, plan.book)
    return report


class _Plan:
    """The Gloss project a foreign one becomes, built in memory."""

    def __init__(self, project: ForeignProject) -> None:
        self.project = project
        notes = {guid: note.text for guid, note in project.notes.items()}
        self.codes: CodeMapping = map_codes(project.codes, notes)
        self.not_carried: list[str] = []
        self.used: set[str] = set()
        self.book = Codebook()

    def articles(self) -> list[_Article]:
        taken: set[str] = set()
        result = []
        for source in self.project.sources:
            ident = article_id(source.name, taken)
            taken.add(ident.lower())
            result.append(self._article(ident, source))
        referenced = (
            {n for s in self.project.sources for n in s.note_guids}
            | {n for s in self.project.sources for sel in s.selections for n in sel.note_guids}
            | self.codes.notes_used
        )
        loose = [n for guid, n in self.project.notes.items() if guid not in referenced]
        if loose:
            names = ", ".join(repr(n.name or n.guid) for n in loose[:3])
            more = f" and {len(loose) - 3} more" if len(loose) > 3 else ""
            self.not_carried.append(
                f"{len(loose)} note{'s' if len(loose) != 1 else ''} attached to no text "
                f"selection ({names}{more})"
            )
        self.book = _coloured(Codebook(dict(self.codes.codebook)).with_tags(sorted(self.used)))
        return result

    def _article(self, ident: str, source: ForeignSource) -> _Article:
        mapping = OffsetMap(source.text)
        body = mapping.text
        front = self._front_matter(source, body)
        text = front + body
        parsed = _parse(ident, text)
        if parsed.body != body:  # pragma: no cover - would be a front matter writing bug
            raise QdpxError(f"source '{source.name}': its text would change on reading")
        what = f"source '{source.name}'"
        article = _Article(ident, text, body, memo=self._memo(source, what))
        ids: set[str] = set()
        for selection in source.selections:
            for made in self._annotations(selection, mapping, parsed, what, ids):
                article.annotations.append(made)
                ids.add(made.id)
        return article

    def _memo(self, source: ForeignSource, what: str) -> str:
        """The source's comment (its description), then the notes it refers to, in order."""
        parts = [source.description]
        for guid in source.note_guids:
            note = self.project.notes.get(guid)
            if note is None:
                self.not_carried.append(f"{what}: note {guid} is not in the package")
            else:
                parts.append(note.text)
        return normalise_memo("\n\n".join(p.strip() for p in parts if p.strip()))

    def _front_matter(self, source: ForeignSource, body: str) -> str:
        values: dict[str, object] = {}
        for name, value in source.variables.items():
            key = name.strip().lower()
            if key in METADATA and value:
                values[key] = value
            else:
                self.not_carried.append(
                    f"source '{source.name}': variable {name!r} = {_short(value)}"
                )
        if "date" in values:
            try:
                values["date"] = dt.date.fromisoformat(str(values["date"])[:10])
            except ValueError:
                self.not_carried.append(
                    f"source '{source.name}': date {values.pop('date')!r} is not an ISO date"
                )
        tags = [t.strip() for t in str(values.pop("tags", "")).split(",") if t.strip()]
        for coding in source.codings:
            tag = self.codes.tags.get(coding.code)
            if tag is None:
                self.not_carried.append(
                    f"source '{source.name}': a coding of the whole source with code "
                    f"{coding.code}, which the codebook does not have"
                )
            else:
                tags.append(tag)
        if tags:
            values["tags"] = list(dict.fromkeys(tags))
        if not values and not body.startswith("+++"):
            return ""
        if body.startswith("\n"):
            # Front matter swallows the blank lines after it: the body would change.
            self.not_carried.append(
                f"source '{source.name}': its title, date and other variables (its text "
                "starts with a blank line, which front matter would remove)"
            )
            return ""
        return "+++\n" + tomli_w.dumps(values) + "+++\n"

    def _annotations(
        self,
        selection: ForeignSelection,
        mapping: OffsetMap,
        article: Article,
        what: str,
        ids: set[str],
    ) -> Iterable[Annotation]:
        raw = mapping.raw
        where = f"{what}: selection {selection.guid}"
        if not 0 <= selection.start < selection.end <= len(raw):
            self.not_carried.append(
                f"{where}: positions {selection.start}-{selection.end} are not inside its "
                f"text (0-{len(raw)})"
            )
            return
        start, end = mapping.start(selection.start), mapping.end(selection.end)
        if start >= end:
            self.not_carried.append(f"{where}: selects only a line break's '\\r'")
            return
        exact, prefix, suffix = quote_at(article.body, start, end, article.id)
        by_user: dict[str, list[str]] = {}
        for coding in selection.codings:
            tag = self.codes.tags.get(coding.code)
            if tag is None:
                self.not_carried.append(
                    f"{where}: a coding with code {coding.code}, which the codebook does not have"
                )
                continue
            by_user.setdefault(coding.user or selection.user, []).append(tag)
        if not by_user:
            by_user[selection.user] = []
        notes = [selection.description.strip()] + [
            self.project.notes[n].text.strip()
            for n in selection.note_guids
            if n in self.project.notes
        ]
        missing = [n for n in selection.note_guids if n not in self.project.notes]
        if missing:
            self.not_carried.append(f"{where}: note {missing[0]} is not in the package")
        note = "\n\n".join(n for n in notes if n)
        note_owner = selection.user if selection.user in by_user else next(iter(by_user))
        created = gloss_time(selection.created) or gloss_time(
            next((c.created for c in selection.codings if c.created), "")
        )
        for user, tags in by_user.items():
            clean = normalise_tags(tags)
            self.used.update(clean)
            yield Annotation(
                id=derived_id(ids, selection.guid, user),  # importing twice: same ids
                article=article.id,
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                body_sha256=article.sha256,
                tags=clean,
                note=normalise_note(note) if user == note_owner else "",
                author=self.project.users.get(user, user),
                created=created,
                modified=gloss_time(selection.modified) or created,
            )


def _coloured(book: Codebook) -> Codebook:
    """Tags the other tool gave no colour get the next palette colour, as new tags do."""
    tags = dict(book.tags)
    for index, name in enumerate(book.names()):
        if not tags[name].colour:
            tags[name] = replace(tags[name], colour=PALETTE[index % len(PALETTE)])
    return Codebook(tags)


def article_id(name: str, taken: set[str]) -> str:
    """A Gloss article id (a file path without extension) from a source's name.

    Known document extensions are dropped (``Interview 1.docx`` -> ``Interview 1``);
    characters no file system takes become ``_``; a leading dot (a hidden file, which
    the corpus skips) is dropped; clashes (ignoring case) get ``-2``, ``-3``...
    """
    stem = name.strip()
    lowered = stem.lower()
    for suffix in _DOCUMENT_SUFFIXES:
        if lowered.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    parts = [_safe_part(part) for part in stem.split("/")]
    ident = "/".join(p for p in parts if p) or "source"
    candidate, number = ident, 2
    while candidate.lower() in taken or candidate.lower() in _RESERVED:
        candidate = f"{ident}-{number}"
        number += 1
    return candidate


def _safe_part(part: str) -> str:
    clean = _UNSAFE.sub("_", part).strip().strip(".").strip()
    return clean[:_MAX_NAME].strip()


def _parse(ident: str, text: str) -> Article:
    """The article Gloss will read from this text (its body is what offsets refer to)."""
    from tui.core.corpus.parse import parse_article

    data = text.encode("utf-8")
    return parse_article(SourceFile(ident, Path(f"{ident}.txt"), len(data), 0), data)


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[: width - 1] + "…")


def _check_target(into: Path) -> None:
    try:
        if into.is_dir():
            if any(into.iterdir()):
                raise PathError(into, "folder is not empty: import into a new folder")
        elif into.exists():
            raise PathError(into, "it is a file, not a folder")
    except OSError as exc:
        raise PathError(into, f"cannot use: {os_reason(exc)}") from None
    parent = into.resolve().parent
    if not parent.is_dir():
        raise PathError(into, f"cannot create: folder {parent} does not exist")


def _write(into: Path, articles: list[_Article], book: Codebook) -> None:
    """Everything into a temporary sibling folder, then renamed into place."""
    from tui.core.project import init_project

    parent = into.resolve().parent
    temp = parent / f".{into.name}.import-{secrets.token_hex(4)}"
    try:
        temp.mkdir()  # with the umask's permissions, as any folder the user makes
    except OSError as exc:
        raise PathError(into, f"cannot create: {os_reason(exc)}") from None
    try:
        corpus, store = temp / CORPUS_DIR, temp / STORE_DIR
        corpus.mkdir()
        store.mkdir()
        for article in articles:
            write_atomic(corpus / f"{article.id}.txt", article.text, True, durable=False)
            if article.annotations or article.memo:
                write_atomic(
                    store / f"{article.id}.toml",
                    dumps_annotations(article.id, article.annotations, article.memo),
                    make_parents=True,
                    durable=False,
                )
        write_atomic(store / CODEBOOK_FILE, book.dumps(), durable=False)
        init_project(temp, corpus=CORPUS_DIR, annotations=STORE_DIR)
        if into.is_dir():
            into.rmdir()
        os.replace(temp, into)
    except BaseException as exc:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise PathError(into, f"cannot write: {os_reason(exc)}") from None
        raise
