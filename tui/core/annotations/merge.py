"""Three-way merge of store files, for git: ``gloss merge-driver %O %A %B %P``.

Two analysts annotate on two branches; git would merge their TOML line by line and stop
at the first hunk both touched. This merges by annotation id (or tag name) instead:

- added on either side (or both): kept;
- changed on one side only: that side's version;
- changed on both sides: field by field (the passage, the note, the author...), each
  side's change kept where the other left the field alone; tags added or removed on
  either side are combined. When both changed the *same* field differently, both
  versions are kept: ours as it is, theirs as a separate annotation with a new id and
  the extra tag ``conflict`` (find them with ``gloss annotations --tag conflict``);
- deleted on one side and changed on the other: the change is kept (nothing is lost);
  deleted on one side and untouched on the other: deleted.

The article's ``memo`` merges as one text: changed on one side, that side's; cleared on
one side and edited on the other, the edit; changed differently on both, ours followed
by a marked block holding theirs (:func:`both_texts`, so ``memo:conflict`` finds it).

The codebook (``tags.toml``) merges the same way per tag and field; a description changed
differently on both sides keeps both texts, a colour or key ours, and a key that would
end up on two tags stays only where ours put it. Files are parsed and written by the
store's own functions (``articlefile``, ``codebook``); the result is checked by parsing it
again before anything is written, and a file that does not parse is an error naming it:
the driver then writes nothing and git reports a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from tui.core.annotations.articlefile import ArticleFile, dumps_annotations, parse_article_file
from tui.core.annotations.codebook import CODEBOOK_FILE, Codebook, TagInfo, parse_codebook
from tui.core.annotations.model import Annotation, derived_id, sorted_annotations
from tui.core.annotations.tomlfile import parse
from tui.core.errors import GlossError, StoreFileError

CONFLICT_TAG = "conflict"
DRIVER = "gloss"
"""The merge driver's name in ``.gitattributes`` and ``git config merge.<name>.driver``."""
DRIVER_ARGS = "merge-driver %O %A %B %P"
_ARTICLE_HEADER = "# Gloss annotations of article "
_ANCHOR = ("start", "end", "exact", "prefix", "suffix", "body_sha256")
_GROUPS: tuple[tuple[str, ...], ...] = (_ANCHOR, ("note",), ("author",), ("created",))
"""Fields that change together; a conflict is the same group changed differently."""
_ANNOTATION_KEYS = {"schema", "annotation", "memo"}
_CODEBOOK_KEYS = {"schema", "tags"}
_TAG_FIELDS = ("description", "colour", "key")
_T = TypeVar("_T")


class MergeError(GlossError):
    """A side of the merge that cannot be read: nothing is written, git reports a conflict."""


@dataclass
class Merged:
    """The merged file's text, and what needed a decision (one line each)."""

    text: str
    conflicts: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Side:
    """One version of the file: its text, the file it is in, and which version it is."""

    text: str
    name: str
    label: str = "this"
    """``base``, ``our`` or ``their``: said in errors, as the file git passes is a temp file."""


def merge_files(base: Side, ours: Side, theirs: Side, path: str = "") -> Merged:
    """Merge three versions of one store file (``path`` is its place in the repository)."""
    sides = (base, ours, theirs)
    if Path(path).name == CODEBOOK_FILE or (not path and any(_is_codebook(s) for s in sides)):
        return _merge_codebook_files(sides, path)
    return _merge_article_files(sides, path)


# -- annotations ---------------------------------------------------------------------


def merge_annotations(
    base: Iterable[Annotation], ours: Iterable[Annotation], theirs: Iterable[Annotation]
) -> tuple[list[Annotation], int]:
    """The merged annotations of one article, and how many were kept twice (conflicts)."""
    b = {a.id: a for a in base}
    o = {a.id: a for a in ours}
    t = {a.id: a for a in theirs}
    result: dict[str, Annotation] = {}
    doubles: list[Annotation] = []
    for ident in dict.fromkeys([*o, *t, *b]):
        mine, other, old = o.get(ident), t.get(ident), b.get(ident)
        if mine is None and other is None:
            continue
        if mine is None or other is None:
            kept = mine if mine is not None else other
            assert kept is not None
            if old is None or _record(kept) != _record(old):
                result[ident] = kept  # added on one side, or changed there: kept
            continue  # deleted on one side, untouched on the other
        merged = _merge_one(old, mine, other)
        if merged is None:
            result[ident] = mine
            doubles.append(other)
        else:
            result[ident] = merged
    for other in doubles:
        copy = _conflict_copy(other, set(result))
        result[copy.id] = copy
    return sorted_annotations(list(result.values())), len(doubles)


def _merge_one(old: Annotation | None, mine: Annotation, other: Annotation) -> Annotation | None:
    """Both sides have it: the field-by-field merge, or None when a field conflicts."""
    if _record(mine) == _record(other):
        return mine
    if old is not None and _record(mine) == _record(old):
        return other
    if old is not None and _record(other) == _record(old):
        return mine
    base = _record(old) if old is not None else {}
    ours, theirs = _record(mine), _record(other)
    changes: dict[str, Any] = {}
    for group in _GROUPS:
        before = _pick(base, group)
        now_ours, now_theirs = _pick(ours, group), _pick(theirs, group)
        if now_ours == now_theirs or now_theirs == before:
            continue
        if now_ours == before:
            changes.update(now_theirs)
            continue
        return None
    changes["tags"] = _merge_tags(old.tags if old else (), mine.tags, other.tags)
    changes["modified"] = max(mine.modified, other.modified)
    return replace(mine, **changes)


def _merge_tags(
    base: tuple[str, ...], ours: tuple[str, ...], theirs: tuple[str, ...]
) -> tuple[str, ...]:
    """Tags either side added, minus tags either side removed; ours first, in order."""
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    return tuple(t for t in dict.fromkeys([*ours, *theirs]) if t not in removed)


def _conflict_copy(other: Annotation, taken: set[str]) -> Annotation:
    """Theirs, kept beside ours: a new id (derived, so a re-run gives the same) and the tag."""
    ident = derived_id(taken, other.id, str(sorted(_record(other).items())))
    tags = other.tags if CONFLICT_TAG in other.tags else (*other.tags, CONFLICT_TAG)
    return replace(other, id=ident, tags=tags)


def _record(a: Annotation) -> dict[str, Any]:
    return a.to_record()


def _pick(record: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: record.get(k) for k in keys}


def merge_memos(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    """The merged memo, and whether both sides changed it differently (both kept)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base or not ours:
        return theirs, False  # changed there only, or cleared here and edited there
    if not theirs:
        return ours, False  # cleared there, edited here: the edit
    return both_texts(ours, theirs), True


def both_texts(ours: str, theirs: str) -> str:
    """One text changed differently on both sides, both kept: ours, then theirs, marked."""
    return f"{ours}\n\n({CONFLICT_TAG}: the other side wrote:) {theirs}"


def _merge_article_files(sides: tuple[Side, Side, Side], path: str) -> Merged:
    article = _article_id(sides, path)
    base, ours, theirs = (_article_file(side, article, path) for side in sides)
    items, conflicts = merge_annotations(base.annotations, ours.annotations, theirs.annotations)
    memo, memo_conflict = merge_memos(base.memo, ours.memo, theirs.memo)
    text = dumps_annotations(article, items, memo)
    where = Path(path or sides[1].name)
    parse_article_file(text, where, article)  # the result must read back
    notes = []
    if conflicts:
        notes.append(
            f"{path or article}: {conflicts} annotation{'s' if conflicts != 1 else ''} changed "
            f"differently on both sides: both kept, theirs tagged '{CONFLICT_TAG}' "
            f"(gloss annotations --tag {CONFLICT_TAG})"
        )
    if memo_conflict:
        notes.append(
            f"{path or article}: the memo changed differently on both sides: both kept, "
            f"theirs after '({CONFLICT_TAG}: the other side wrote:)' (gloss memo {article})"
        )
    return Merged(text, conflicts, notes)


def _article_file(side: Side, article: str, path: str) -> ArticleFile:
    return _read(
        side,
        path,
        _ANNOTATION_KEYS,
        lambda _data, where: parse_article_file(side.text, where, article),
        ArticleFile(),
    )


def _article_id(sides: tuple[Side, Side, Side], path: str) -> str:
    """The id the file's header names (the file itself does not hold it otherwise)."""
    for side in (sides[1], sides[2], sides[0]):
        for line in side.text.splitlines()[:3]:
            if line.startswith(_ARTICLE_HEADER):
                return line[len(_ARTICLE_HEADER) :].strip()
    return Path(path or sides[1].name).stem


# -- the codebook --------------------------------------------------------------------


def merge_codebooks(base: Codebook, ours: Codebook, theirs: Codebook) -> tuple[Codebook, list[str]]:
    """The merged codebook, and a line for each decision that kept one side's value."""
    tags: dict[str, TagInfo] = {}
    notes: list[str] = []
    for name in sorted(set(base.tags) | set(ours.tags) | set(theirs.tags)):
        old, mine, other = base.get(name), ours.get(name), theirs.get(name)
        if mine is None and other is None:
            continue
        if mine is None or other is None:
            kept = mine if mine is not None else other
            assert kept is not None
            if old is None or kept != old:
                tags[name] = kept
            continue
        before = old or TagInfo(name)
        values: dict[str, str] = {}
        for key in _TAG_FIELDS:
            b, o, t = getattr(before, key), getattr(mine, key), getattr(other, key)
            if o == t or t == b:
                values[key] = o
            elif o == b:
                values[key] = t
            elif key == "description":
                values[key] = both_texts(o, t)
                notes.append(f"tag '{name}': description changed on both sides: both kept")
            else:
                values[key] = o
                notes.append(f"tag '{name}': {key} changed on both sides: kept ours ({o!r})")
        tags[name] = TagInfo(name, **values)
    by_key: dict[str, list[str]] = {}
    for name, info in sorted(tags.items()):
        if info.key:
            by_key.setdefault(info.key, []).append(name)
    for key, names in by_key.items():
        if len(names) < 2:
            continue
        ours_has = [n for n in names if (ours.get(n) or TagInfo(n)).key == key]
        keep = (ours_has or names)[0]
        for drop in names:
            if drop != keep:
                tags[drop] = replace(tags[drop], key="")
                notes.append(f"tag '{drop}': key {key!r} is also tag '{keep}''s: removed here")
    return Codebook(tags), notes


def _merge_codebook_files(sides: tuple[Side, Side, Side], path: str) -> Merged:
    books = [_codebook(side, path) for side in sides]
    book, notes = merge_codebooks(*books)
    text = book.dumps()
    where = Path(path or sides[1].name)
    parse_codebook(text, parse(text, where), where)  # the result must read back
    return Merged(text, 0, [f"{path or CODEBOOK_FILE}: {n}" for n in notes])


def _codebook(side: Side, path: str) -> Codebook:
    return _read(
        side,
        path,
        _CODEBOOK_KEYS,
        lambda data, where: parse_codebook(side.text, data, where),
        Codebook(),
    )


def _is_codebook(side: Side) -> bool:
    try:
        data = parse(side.text, Path(side.name))
    except StoreFileError:
        return False
    return isinstance(data.get("tags"), dict) and "annotation" not in data


# -- shared --------------------------------------------------------------------------


def _read(
    side: Side,
    path: str,
    known: set[str],
    reader: Callable[[dict[str, Any], Path], _T],
    empty: _T,
) -> _T:
    """One side, validated by the store's own parser; an empty text is an empty file
    (git gives an empty base when both sides added it). A key this Gloss does not know
    would be lost by re-writing the file: refused, as a broken file is."""
    if not side.text.strip():
        return empty
    where = Path(path) if path else Path(side.name)
    try:
        data = parse(side.text, where)
        unknown = sorted(set(data) - known)
        if unknown:
            names = ", ".join(repr(k) for k in unknown)
            raise StoreFileError(where, f"holds {names}, which this Gloss cannot merge")
        return reader(data, where)
    except StoreFileError as exc:
        raise _failed(exc, side) from None


def _failed(exc: StoreFileError, side: Side) -> MergeError:
    where = f", {side.name}" if str(exc.path) != side.name else ""
    return MergeError(
        f"{exc} ({side.label} version{where}); nothing written, merge this file by hand"
    )


# -- setting it up -------------------------------------------------------------------

GITATTRIBUTES = ".gitattributes"


def attributes_line(store: str) -> str:
    """The ``.gitattributes`` line that sends the store's TOML files to the driver."""
    return f"{store}/**/*.toml merge={DRIVER}"


def store_pattern(folder: Path, store: Path) -> str:
    """The store's path as ``.gitattributes`` in ``folder`` needs it; ProjectError unless
    the store is a folder inside ``folder``."""
    from tui.core.errors import ProjectError

    try:
        relative = store.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        relative = ""
    if relative in ("", "."):
        raise ProjectError(
            f"{store}: the annotation store must be a folder inside {folder} for git to "
            "merge it with Gloss"
        )
    return relative


def enable_in_gitattributes(folder: Path, store: Path) -> tuple[Path, bool]:
    """Add the driver's line to ``folder/.gitattributes`` (once); (its path, whether added)."""
    from tui.core.errors import ProjectError
    from tui.core.fileio import read_text, write_atomic

    line = attributes_line(store_pattern(folder, store))
    target = folder / GITATTRIBUTES
    try:
        existing = read_text(target) or ""
    except StoreFileError as exc:
        raise ProjectError(str(exc)) from None
    if line in existing.splitlines():
        return target, False
    glue = "" if not existing or existing.endswith("\n") else "\n"
    write_atomic(target, f"{existing}{glue}{line}\n")
    return target, True
