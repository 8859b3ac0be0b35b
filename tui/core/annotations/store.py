"""The annotation store: one TOML file per article plus the codebook, safe for many processes.

Public API (stable: the reader, the side panel, the tags screen and search use it)::

    store = AnnotationStore(root, articles=corpus.articles.get)   # or Workspace(...).store

    # Where things are (no I/O).
    store.path_for(article_id) -> Path           # that article's <store>/<id>.toml
    store.codebook_path -> Path                  # <store>/tags.toml
    store.oplog_path -> Path                     # <store>/.gloss-oplog.json
    store.pending_path -> Path                   # <store>/.gloss-pending.json (write-ahead)

    # Watching for other processes' changes: stat only, no file is read, never raises.
    # Poll it and compare: any annotation file or the codebook written, added or removed
    # changes it; the keys whose value differs name the files that changed.
    store.stamp() -> dict[str, StatStamp]   # {"<id>.toml", "tags.toml": (mtime_ns, size, inode)}

    # Reading: never writes. A broken file raises StoreFileError ("path:line: why").
    store.load(article_id) -> tuple[Annotation, ...]   # one file, cached on its stat
    store.anchored(article) -> list[Anchored]          # re-anchored on article.body, by start
    store.article_ids() -> list[str]                   # articles that have a file
    store.scan() -> StoreScan                          # everything; broken files in .problems
    store.find(annotation_id_or_unique_prefix) -> Annotation
    store.codebook() -> Codebook                       # tags.toml (empty when absent)
    store.tag_counts() -> dict[str, int]
    store.undo_summary() / store.redo_summary() -> str | None
    store.memo(article_id) -> str                      # the article's memo ('' when none)
    store.memos() -> dict[str, str]                    # every non-empty memo, by article

    # Writing: under the store lock, re-reading the file inside it, atomic rename.
    # Each call is one undoable operation. Writing a file also saves its re-anchored offsets.
    store.add(article, start, end, tags=(), note="") -> Annotation
    store.add_many([NewAnnotation(article, start, end, tags, note), ...], summary="")
        -> list[Annotation]                            # one transaction, one undo step
    store.set_memo(article_id, text) -> str            # '' clears it; undoable
    store.edit(annotation_id, tags=None, add_tags=(), remove_tags=(), note=None) -> Annotation
    store.delete(annotation_id) -> Annotation
    store.reattach(annotation_id, article, start, end) -> Annotation   # e.g. an orphan
    store.undo() -> Operation
    store.redo() -> Operation
    store.rename_tag(old, new) -> int                  # whole subtree; merges into new
    store.set_tag(tag, description=None, colour=None, key=None) -> TagInfo
    store.fix(article) -> list[Anchored]               # save re-anchored offsets (check --fix)
    store.recover() -> str | None                      # finish a killed writer's change

Writes are write-ahead (see :mod:`~tui.core.annotations.oplog`): a writer killed half-way
leaves its intent, and the next write (or ``recover``, which opening a Workspace calls)
finishes it first, so the files and the op log always agree. Temp files a killed writer
left are deleted by the next write to their folder.

Errors are GlossError subclasses with one-line messages: StoreFileError (broken file),
AnnotationError (bad selection, tag or id), StoreConflict (changed by someone else; undo),
StoreLocked (another process holds the lock too long), PathError (the store folder, its
lock or a file cannot be used: "<path>: annotation store is not a folder",
"<path>: cannot create the annotation store: Permission denied"). No method lets an
OSError out. A missing store folder reads as empty and is created by the first write.
"""

from __future__ import annotations

import functools
import os
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, ParamSpec, TypeVar

from filelock import FileLock, Timeout

from tui.core.annotations.anchoring import anchor, anchor_all, missing
from tui.core.annotations.articlefile import ArticleFile, parse_article_file
from tui.core.annotations.codebook import (
    CODEBOOK_FILE,
    Codebook,
    TagInfo,
    parse_codebook,
    rename_entries,
)
from tui.core.annotations.model import (
    CONTEXT_CHARS,
    Anchored,
    Annotation,
    AnnotationError,
    has_tag,
    new_id,
    normalise_memo,
    normalise_note,
    normalise_tags,
    quote_at,
    tag_matches,
    utc_now,
)
from tui.core.annotations.oplog import (
    OPLOG_FILE,
    PENDING_FILE,
    Operation,
    Pending,
    read_oplog,
    read_pending,
)
from tui.core.annotations.parsecache import BULK, ParseCache, content_digest
from tui.core.annotations.tomlfile import parse
from tui.core.annotations.transaction import StoreConflict, Transaction
from tui.core.errors import GlossError, PathError, StoreFileError
from tui.core.fileio import (
    blocking_file,
    os_reason,
    read_bytes,
    read_text,
    remove,
    remove_stale_temps,
    shared_mode,
    utf8_text,
)
from tui.core.models import Article
from tui.core.ordering import natural_sorted

LOCK_FILE = ".gloss.lock"
LOCK_TIMEOUT = 15.0
"""Seconds to wait for another Gloss process to finish writing before giving up."""
SUFFIX = ".toml"
MIN_ID_PREFIX = 4

ArticleLookup = Callable[[str], Article | None]
StatStamp = tuple[int, int, int]
"""(mtime_ns, size, inode) of one store file; an atomic rewrite always changes the inode."""

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _os_errors(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """A public store method: an OSError not handled nearer becomes a one-line PathError.

    When the store folder itself is the problem (a file, or under one), that is what the
    error says, rather than the name of some file inside it.
    """

    @functools.wraps(method)
    def guarded(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(*args, **kwargs)
        except OSError as exc:
            store = args[0]
            assert isinstance(store, AnnotationStore)
            store._root_exists()
            where = Path(exc.filename) if exc.filename else store.root
            raise PathError(where, os_reason(exc)) from None

    return guarded


class StoreLocked(GlossError):
    """Another process kept the store locked for longer than LOCK_TIMEOUT."""


class NothingToUndo(GlossError):
    """The operation log has nothing to undo (or redo)."""


class CannotSave(StoreFileError):
    """A change refused because a file it must read is broken (the file is left as it is).

    Says what is wrong with which file, rather than that the annotation cannot be found.
    """

    def __init__(self, problem: StoreFileError) -> None:
        self.path, self.line, self.reason = problem.path, problem.line, problem.reason
        line = f" (line {problem.line})" if problem.line else ""
        if problem.reason.startswith("not valid TOML"):
            message = f"cannot save: {problem.path} is not valid TOML{line}: fix it and retry"
        else:
            message = f"cannot save: {problem.path}{line}: {problem.reason}; fix it and retry"
        GlossError.__init__(self, message)


@dataclass
class StoreScan:
    """Every annotation file read at once; broken files are listed, not fatal."""

    annotations: dict[str, tuple[Annotation, ...]] = field(default_factory=dict)
    problems: dict[str, StoreFileError] = field(default_factory=dict)
    memos: dict[str, str] = field(default_factory=dict)
    """Every non-empty memo, by article (an article may have a memo and no annotation)."""

    def __iter__(self) -> Iterator[Annotation]:
        for items in self.annotations.values():
            yield from items

    def __len__(self) -> int:
        return sum(len(items) for items in self.annotations.values())


@dataclass(frozen=True, slots=True)
class NewAnnotation:
    """One annotation to make with :meth:`AnnotationStore.add_many`."""

    article: Article
    start: int
    end: int
    tags: Sequence[str] = ()
    note: str = ""


_StatKey = tuple[int, int, int]


class AnnotationStore:
    def __init__(
        self, root: Path, articles: ArticleLookup | None = None, author: str | None = None
    ) -> None:
        """``articles`` looks up an article's current body, so writes save re-anchored offsets."""
        self.root = root
        self._articles = articles
        self._author = author
        self._cache: dict[Path, tuple[_StatKey, ArticleFile]] = {}
        self._anchor_cache: dict[str, tuple[_StatKey, str, list[Anchored]]] = {}
        self._thread_lock = threading.RLock()
        self._recovered: str | None = None

    # -- where things are -------------------------------------------------------------

    @property
    def codebook_path(self) -> Path:
        return self.root / CODEBOOK_FILE

    @property
    def oplog_path(self) -> Path:
        return self.root / OPLOG_FILE

    @property
    def pending_path(self) -> Path:
        return self.root / PENDING_FILE

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_FILE

    def path_for(self, article_id: str) -> Path:
        """``<store>/<article-id>.toml``; an id that would lead out of the store is refused."""
        if any(part in ("", ".", "..") for part in article_id.split("/")) or "\0" in article_id:
            raise AnnotationError(
                f"article id {article_id!r} is not a path inside the corpus: "
                "no empty, '.' or '..' parts"
            )
        path = self.root / f"{article_id}{SUFFIX}"
        if path == self.codebook_path:
            raise AnnotationError(
                f"article id '{article_id}' would share {path} with the codebook; "
                "rename the article"
            )
        return path

    def article_for(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()[: -len(SUFFIX)]

    # -- watching ---------------------------------------------------------------------

    def stamp(self) -> dict[str, StatStamp]:
        """(mtime_ns, size, inode) of every annotation file and the codebook, by store path.

        Stat only (nothing is read or parsed), cheap enough to poll every few seconds:
        any file written (atomic rewrites always change the inode), added or removed
        changes the result. Never raises: a missing or unusable store is ``{}`` (reading
        it says why), a file removed while listing is left out.
        """
        result: dict[str, StatStamp] = {}
        try:
            paths = list(self._files())
        except (GlossError, OSError):
            return result
        for path in [*paths, self.codebook_path]:
            try:
                result[path.relative_to(self.root).as_posix()] = _stat_key(path)
            except OSError:
                continue
        return result

    # -- reading ----------------------------------------------------------------------

    @_os_errors
    def load(self, article_id: str) -> tuple[Annotation, ...]:
        """The article's stored annotations (not re-anchored); () when it has no file."""
        return self._load(article_id, self.path_for(article_id)).annotations

    def _load(self, article_id: str, path: Path, parses: ParseCache | None = None) -> ArticleFile:
        """The file's annotations and memo, cached on its stat for this process (and by
        its content in ``parses``, when a whole store is read)."""
        try:
            key = _stat_key(path)
        except FileNotFoundError:
            self._cache.pop(path, None)
            return ArticleFile()
        except OSError as exc:
            self._root_exists()
            raise StoreFileError(path, f"cannot read: {os_reason(exc)}") from None
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        if parses is None:
            found = self.read_article_file(article_id, path)
        else:
            found = self._parse_cached(article_id, path, parses)
        self._cache[path] = (key, found)
        return found

    def _parse_cached(self, article_id: str, path: Path, parses: ParseCache) -> ArticleFile:
        data = read_bytes(path)
        if data is None:
            return ArticleFile()
        digest = content_digest(data)
        found = parses.get(article_id, digest)
        if found is None:
            found = parse_article_file(utf8_text(data, path), path, article_id)
            parses.put(article_id, digest, found)
        return found

    @_os_errors
    def memo(self, article_id: str) -> str:
        """The article's memo, a note on the whole article ('' when it has none)."""
        return self._load(article_id, self.path_for(article_id)).memo

    @_os_errors
    def memos(self) -> dict[str, str]:
        """Every non-empty memo by article id; broken files are left out (scan names them)."""
        return self.scan().memos

    @_os_errors
    def anchored(self, article: Article) -> list[Anchored]:
        """The article's annotations placed on its current body, by position; orphans last."""
        path = self.path_for(article.id)
        try:
            key = _stat_key(path)
        except FileNotFoundError:
            return []
        except OSError as exc:
            self._root_exists()
            raise StoreFileError(path, f"cannot read: {os_reason(exc)}") from None
        cached = self._anchor_cache.get(article.id)
        if cached is not None and cached[0] == key and cached[1] == article.sha256:
            return list(cached[2])
        placed = anchor_all(self.load(article.id), article.body, article.sha256)
        placed.sort(key=_position)
        self._anchor_cache[article.id] = (key, article.sha256, placed)
        return list(placed)

    @_os_errors
    def anchored_for(self, article_id: str, annotations: Sequence[Annotation]) -> list[Anchored]:
        """Place annotations with the article lookup; all ``missing`` when the article is gone."""
        article = self._articles(article_id) if self._articles else None
        if article is None:
            return [missing(a) for a in annotations]
        return sorted(anchor_all(annotations, article.body, article.sha256), key=_position)

    @_os_errors
    def article_ids(self) -> list[str]:
        return [article_id for article_id, _ in self._listing()]

    @_os_errors
    def scan(self) -> StoreScan:
        """Every file read; parses are reused by content between runs when many are new to
        this process (:mod:`~tui.core.annotations.parsecache`)."""
        result = StoreScan()
        listing = self._listing()
        unread = sum(1 for _, path in listing if path not in self._cache)
        parses = ParseCache.load(self.root) if unread >= BULK else None
        for article_id, path in listing:
            try:
                found = self._load(article_id, path, parses)
            except StoreFileError as exc:
                result.problems[article_id] = exc
                continue
            if found.annotations:
                result.annotations[article_id] = found.annotations
            if found.memo:
                result.memos[article_id] = found.memo
        if parses is not None:
            parses.save({article_id for article_id, _ in listing})
        return result

    @_os_errors
    def find(self, annotation_id: str) -> Annotation:
        """By full id, or a unique prefix of at least 4 characters (as git does).

        An id found only in a broken file raises :class:`CannotSave` naming that file:
        the annotation is there, the file is what needs fixing.
        """
        query = annotation_id.strip().lower()
        found = self.scan()
        matches = [a for a in found if a.id.lower() == query]
        if not matches and len(query) >= MIN_ID_PREFIX:
            matches = [a for a in found if a.id.lower().startswith(query)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            ids = ", ".join(sorted(a.id for a in matches)[:5])
            raise AnnotationError(
                f"id '{annotation_id}' matches {len(matches)} annotations ({ids}): "
                "give more characters"
            )
        holder = _broken_holding(query, found.problems.values())
        if holder is not None:
            raise CannotSave(holder)
        hint = ""
        if len(query) < MIN_ID_PREFIX:
            hint = f" (a prefix needs at least {MIN_ID_PREFIX} characters)"
        elif found.problems:
            first = next(iter(found.problems.values()))
            hint = f" ({len(found.problems)} store file(s) could not be read, e.g. {first})"
        raise AnnotationError(f"no annotation with id '{annotation_id}' in {self.root}{hint}")

    @_os_errors
    def codebook(self) -> Codebook:
        if not self._root_exists():
            return Codebook()
        return self.read_codebook()

    @_os_errors
    def tag_counts(self, scan: StoreScan | None = None) -> dict[str, int]:
        """Annotations per tag, for every tag used or described (0 when only described)."""
        counts = dict.fromkeys(self.codebook().names(), 0)
        for a in scan if scan is not None else self.scan():
            for tag in a.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return {name: counts[name] for name in natural_sorted(counts)}

    def undo_summary(self) -> str | None:
        return self._last_summary(undone=False)

    def redo_summary(self) -> str | None:
        return self._last_summary(undone=True)

    @_os_errors
    def _last_summary(self, undone: bool) -> str | None:
        """What undo (or redo) would take back next, from the op log."""
        if not self._root_exists():
            return None
        log = read_oplog(self.oplog_path)
        stack = log.undone if undone else log.done
        return stack[-1].summary if stack else None

    # -- writing ----------------------------------------------------------------------

    @_os_errors
    def add(
        self, article: Article, start: int, end: int, tags: Sequence[str] = (), note: str = ""
    ) -> Annotation:
        return self.add_many([NewAnnotation(article, start, end, tags, note)])[0]

    @_os_errors
    def add_many(self, items: Sequence[NewAnnotation], summary: str = "") -> list[Annotation]:
        """Make every annotation in one transaction: each file written once, one undo step.

        Every selection and tag is checked before anything is written; ``summary`` is what
        undo will name (default: the one id, or how many were added).
        """
        checked = [
            (item, quote_at(item.article.body, item.start, item.end, item.article.id))
            for item in items
        ]
        tags = [normalise_tags(item.tags) for item in items]
        if not checked:
            return []
        author = self.author()
        made: list[Annotation] = []
        with _saving(), self._transaction() as txn:
            now = utc_now()
            for (item, (exact, prefix, suffix)), clean_tags in zip(checked, tags, strict=True):
                article = item.article
                existing = txn.annotations(article.id)
                ident = new_id()
                while ident in existing:
                    ident = new_id()
                annotation = Annotation(
                    id=ident,
                    article=article.id,
                    start=item.start,
                    end=item.end,
                    exact=exact,
                    prefix=prefix,
                    suffix=suffix,
                    body_sha256=article.sha256,
                    tags=clean_tags,
                    note=normalise_note(item.note),
                    author=author,
                    created=now,
                    modified=now,
                )
                txn.put(article.id, None, annotation)
                made.append(annotation)
            if not summary:
                first = made[0]
                many = len({a.article for a in made})
                summary = (
                    f"add {first.id} to {first.article}"
                    if len(made) == 1
                    else f"add {len(made)} annotations to {many} articles"
                )
            txn.commit(summary)
        return made

    @_os_errors
    def set_memo(self, article_id: str, memo: str) -> str:
        """Set (``''``: clear) the article's memo; one undoable change. Returns it as kept."""
        text = normalise_memo(memo)
        with self._transaction() as txn:
            txn.annotations(article_id)  # a broken file raises here, untouched
            if txn.memo(article_id) == text:
                return text
            txn.set_memo(article_id, text)
            word = "set memo on" if text else "clear memo on"
            txn.commit(f"{word} {article_id}")
        return text

    @_os_errors
    def edit(
        self,
        annotation_id: str,
        tags: Sequence[str] | None = None,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        note: str | None = None,
    ) -> Annotation:
        """Set the tags (``tags``), add or remove some, or set the note.

        Removing a tag removes its subtree, as ``--tag`` filters do.
        """
        target = self.find(annotation_id)
        with _saving(), self._transaction() as txn:
            current = txn.current(target)
            new_tags = list(normalise_tags(tags) if tags is not None else current.tags)
            new_tags.extend(normalise_tags(add_tags))
            for gone in normalise_tags(remove_tags):
                new_tags = [t for t in new_tags if not tag_matches(gone, t)]
            changes: dict[str, Any] = {"tags": tuple(dict.fromkeys(new_tags))}
            if note is not None:
                changes["note"] = normalise_note(note)
            if all(getattr(current, k) == v for k, v in changes.items()):
                return current
            edited = current.with_changes(**changes)
            txn.put(current.article, current, edited)
            txn.commit(f"edit {current.id} in {current.article}")
        return edited

    @_os_errors
    def delete(self, annotation_id: str) -> Annotation:
        target = self.find(annotation_id)
        with _saving(), self._transaction() as txn:
            current = txn.current(target)
            txn.put(current.article, current, None)
            txn.commit(f"delete {current.id} from {current.article}")
        return current

    @_os_errors
    def reattach(self, annotation_id: str, article: Article, start: int, end: int) -> Annotation:
        """Point an annotation (typically an orphan) at a new selection of its article."""
        target = self.find(annotation_id)
        if target.article != article.id:
            raise AnnotationError(
                f"annotation {target.id} belongs to article '{target.article}', not '{article.id}'"
            )
        exact, prefix, suffix = quote_at(article.body, start, end, article.id)
        with _saving(), self._transaction() as txn:
            current = txn.current(target)
            moved = current.with_changes(
                start=start,
                end=end,
                exact=exact,
                prefix=prefix,
                suffix=suffix,
                body_sha256=article.sha256,
            )
            txn.put(current.article, current, moved)
            txn.commit(f"re-attach {current.id} in {current.article}")
        return moved

    @_os_errors
    def fix(self, article: Article) -> list[Anchored]:
        """Save the article's re-anchored offsets (moved ones); not an undoable change."""
        with self._transaction() as txn:
            txn.annotations(article.id, rewrite=True)
            txn.commit("", log=False)
        return self.anchored(article)

    @_os_errors
    def rename_tag(self, old: str, new: str) -> int:
        """Rename ``old`` and its subtree to ``new``; returns how many annotations changed.

        Refused while any store file is broken: a rename must not stop half-way.
        """
        old, new = normalise_tags([old])[0], normalise_tags([new])[0]
        if old == new:
            raise AnnotationError(f"tag '{old}' renamed to itself: nothing to do")
        with self._transaction() as txn:
            found = self.scan()
            if found.problems:
                first = next(iter(found.problems.values()))
                raise StoreConflict(f"cannot rename tag while a store file is broken: {first}")
            book = txn.codebook()
            changed = 0
            for article_id, items in found.annotations.items():
                if not any(has_tag(a.tags, old) for a in items):
                    continue
                for current in txn.annotations(article_id).copy().values():
                    if has_tag(current.tags, old):
                        renamed = tuple(
                            dict.fromkeys(
                                new + t[len(old) :] if tag_matches(old, t) else t
                                for t in current.tags
                            )
                        )
                        txn.put(article_id, current, current.with_changes(tags=renamed))
                        changed += 1
            if not changed and not book.subtree(old):
                raise AnnotationError(
                    f"unknown tag '{old}': no annotation or codebook entry has it"
                )
            txn.set_codebook(rename_entries(book, old, new))
            txn.commit(f"rename tag {old} to {new}")
        return changed

    @_os_errors
    def set_tag(
        self,
        tag: str,
        description: str | None = None,
        colour: str | None = None,
        key: str | None = None,
    ) -> TagInfo:
        """Describe a tag in the codebook (creating its entry if needed)."""
        name = normalise_tags([tag])[0]
        with self._transaction() as txn:
            book = txn.codebook().with_tags([name])
            info = book.tags[name]
            changes = {
                k: v
                for k, v in (("description", description), ("colour", colour), ("key", key))
                if v is not None
            }
            updated = replace(info, **changes)
            _check_tag_info(updated, book, self.codebook_path)
            txn.set_codebook(book.with_info(updated))
            txn.commit(f"describe tag {name}")
        return updated

    @_os_errors
    def describe_tag(self, tag: str, description: str) -> TagInfo:
        return self.set_tag(tag, description=description)

    @_os_errors
    def undo(self) -> Operation:
        return self._replay(undo=True)

    @_os_errors
    def redo(self) -> Operation:
        return self._replay(undo=False)

    def author(self) -> str:
        if self._author is None:
            from tui.core.config import author_name

            self._author = author_name()
        return self._author

    # -- internals --------------------------------------------------------------------

    def _root_exists(self) -> bool:
        """Whether the store folder exists; PathError when it is not a usable folder."""
        try:
            info = self.root.stat()
        except FileNotFoundError:
            return False
        except OSError as exc:
            blocker = blocking_file(self.root)
            if blocker is not None:
                raise PathError(
                    self.root, f"annotation store cannot be opened: {blocker} is not a folder"
                ) from None
            raise PathError(
                self.root, f"cannot open the annotation store: {os_reason(exc)}"
            ) from None
        if not stat.S_ISDIR(info.st_mode):
            raise PathError(self.root, "annotation store is not a folder")
        return True

    def _files(self) -> Iterator[Path]:
        for _, path in self._listing():
            yield path

    def _listing(self) -> list[tuple[str, Path]]:
        """(article id, path) of every annotation file, by id (hidden ones never count)."""
        if not self._root_exists():
            return []
        found: list[tuple[str, Path]] = []
        for folder, dirs, files in os.walk(self.root, onerror=_walk_error):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            where = Path(folder)
            inside = where.relative_to(self.root).as_posix()
            prefix = "" if inside == "." else f"{inside}/"
            for name in files:
                if name.endswith(SUFFIX) and not name.startswith("."):
                    ident = prefix + name[: -len(SUFFIX)]
                    if ident != CODEBOOK_FILE[: -len(SUFFIX)]:
                        found.append((ident, where / name))
        found.sort()
        return found

    def forget(self, article_id: str, path: Path) -> None:
        """Drop cached reads of a file this process rewrites (timestamps can be coarse)."""
        self._cache.pop(path, None)
        self._anchor_cache.pop(article_id, None)

    def read_file(self, article_id: str, path: Path) -> tuple[Annotation, ...]:
        return self.read_article_file(article_id, path).annotations

    def read_article_file(self, article_id: str, path: Path) -> ArticleFile:
        text = read_text(path)
        return ArticleFile() if text is None else parse_article_file(text, path, article_id)

    def read_codebook(self) -> Codebook:
        return self.codebook_from(read_text(self.codebook_path))

    def codebook_from(self, text: str | None) -> Codebook:
        """The codebook from the text of tags.toml (None: no file, an empty codebook)."""
        if text is None:
            return Codebook()
        return parse_codebook(text, parse(text, self.codebook_path), self.codebook_path)

    def refreshed(self, article_id: str, items: tuple[Annotation, ...]) -> list[Annotation]:
        """Annotations with re-anchored offsets, as saved when their file is written.

        Exact and moved ones take the new offsets, context and body hash; fuzzy ones are
        kept as they are (their quote no longer matches: that needs a person's review).
        """
        article = self._articles(article_id) if self._articles else None
        if article is None:
            return list(items)
        result = []
        for a in items:
            placed = anchor(a, article.body, article.sha256)
            if (
                placed.state in ("exact", "moved")
                and placed.start is not None
                and placed.end is not None
            ):
                _, prefix, suffix = quote_at(article.body, placed.start, placed.end)
                fresh = replace(
                    a,
                    start=placed.start,
                    end=placed.end,
                    prefix=prefix,
                    suffix=suffix,
                    body_sha256=article.sha256,
                )
                result.append(fresh)
            else:
                result.append(a)
        return result

    def _create_root(self) -> None:
        """Make the store folder (and its parents) if needed; PathError saying why not."""
        if self._root_exists():
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._root_exists()  # a file created there meanwhile says so
            raise PathError(
                self.root, f"cannot create the annotation store: {os_reason(exc)}"
            ) from None

    def _open_lock_file(self) -> None:
        """Create the lock file if needed, so a store where it cannot be made fails at once.

        (filelock would keep retrying until LOCK_TIMEOUT and blame another process.)
        """
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, shared_mode())
        except OSError as exc:
            raise PathError(
                self.lock_path, f"cannot lock the annotation store: {os_reason(exc)}"
            ) from None
        os.close(fd)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the store lock; a change a killed writer left half-done is finished first."""
        self._create_root()
        lock = FileLock(str(self.lock_path), timeout=LOCK_TIMEOUT, mode=shared_mode())
        with self._thread_lock:
            self._open_lock_file()
            try:
                lock.acquire()
            except Timeout:
                raise StoreLocked(
                    f"{self.lock_path}: another Gloss process has held the store lock for "
                    f"{LOCK_TIMEOUT:.0f} s; try again"
                ) from None
            except OSError as exc:
                raise PathError(
                    self.lock_path, f"cannot lock the annotation store: {os_reason(exc)}"
                ) from None
            try:
                self._finish_interrupted()
                yield
            finally:
                lock.release()

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self._locked():
            yield Transaction(self)

    def _replay(self, undo: bool) -> Operation:
        word: Literal["undo", "redo"] = "undo" if undo else "redo"
        with self._transaction() as txn:
            log = txn.oplog()
            stack = log.done if undo else log.undone
            if not stack:
                raise NothingToUndo(f"nothing to {word} in {self.root}")
            op = stack[-1]
            changes = [c.inverted() for c in reversed(op.changes)] if undo else list(op.changes)
            for change in changes:
                txn.apply(change, f"cannot {word} '{op.summary}'")
            stack.pop()
            (log.undone if undo else log.done).append(op)
            txn.write(log, Pending(word, op.id, op.summary))
        return op

    @_os_errors
    def recover(self) -> str | None:
        """Finish the change a killed writer left half-done; its summary, or None.

        Only a stat when there is none. Writes do this first anyway; opening a store
        does it so that what is read is what the op log says.
        """
        if not self.pending_path.exists():
            return None
        with self._locked():
            return self._recovered

    def _finish_interrupted(self) -> None:
        """Under the lock: make the files what the interrupted operation's intent says."""
        self._recovered = None
        pending = read_pending(self.pending_path)
        if pending is None:
            return
        txn = Transaction(self)
        changes = pending.changes(txn.oplog())  # None: killed before the log was written
        for change in changes or ():
            txn.settle(change)
        txn.write()
        for folder in dict.fromkeys([self.root, *(p.parent for p in self._files())]):
            remove_stale_temps(folder, txn.started_ns)
        remove(self.pending_path)
        self._recovered = pending.summary if changes else None


@contextmanager
def _saving() -> Iterator[None]:
    """A broken file met while saving is reported as what stops the save."""
    try:
        yield
    except CannotSave:
        raise
    except StoreFileError as exc:
        if exc.path.name == OPLOG_FILE:
            raise  # its message already says what to do: delete it
        raise CannotSave(exc) from None


def _broken_holding(query: str, problems: Iterable[StoreFileError]) -> StoreFileError | None:
    """The broken file whose text holds the annotation id (or prefix) ``query``, if any."""
    for problem in problems:
        try:
            text = problem.path.read_bytes().decode("utf-8", "replace").lower()
        except OSError:
            continue
        if query and query in text:
            return problem
    return None


def _check_tag_info(info: TagInfo, book: Codebook, path: Path) -> None:
    import re

    if info.colour and not re.fullmatch(r"#[0-9a-fA-F]{6}", info.colour):
        raise AnnotationError(
            f"colour {info.colour!r} for tag '{info.name}': use #rrggbb, e.g. #61afef"
        )
    if len(info.key) > 1:
        raise AnnotationError(f"key {info.key!r} for tag '{info.name}': use one character")
    if info.key:
        for other in book.tags.values():
            if other.name != info.name and other.key == info.key:
                raise AnnotationError(
                    f"key {info.key!r} is already used by tag '{other.name}' in {path}"
                )


def _position(placed: Anchored) -> tuple[int, int, int, str]:
    if placed.start is None or placed.end is None:
        return (1, 0, 0, placed.id)
    return (0, placed.start, placed.end, placed.id)


def _walk_error(exc: OSError) -> None:
    """A store sub-folder that cannot be listed is an error, not silently skipped."""
    where = Path(exc.filename) if exc.filename else Path(".")
    raise PathError(where, f"cannot list the annotation store folder: {os_reason(exc)}")


def _stat_key(path: Path) -> _StatKey:
    st = path.stat()
    return (st.st_mtime_ns, st.st_size, st.st_ino)


__all__ = [
    "CONTEXT_CHARS",
    "AnnotationStore",
    "NewAnnotation",
    "CannotSave",
    "NothingToUndo",
    "PathError",
    "StatStamp",
    "StoreConflict",
    "StoreFileError",
    "StoreLocked",
    "StoreScan",
]
