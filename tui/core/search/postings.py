"""A term's postings in one segment as NumPy arrays, read block by block, kept for reuse.

Whoosh hands out postings one at a time through a matcher: at 100,000 articles a common
word is 100,000 Python calls before anything is scored. Its W3 format stores postings in
blocks of 128 (a pickled tuple of id deltas, weights and values, zlib-compressed); here
each block is decoded whole and the ids, weights and (for phrases) values are joined
into arrays, so scoring (:mod:`tui.core.search.ranking`) runs in NumPy.

A segment never changes once written, so what is read is cached per segment reader (a
searcher opened after the next commit has new readers) up to :data:`CACHE_POSTINGS`
postings per segment, least recently used out. A long posting list is also kept on disk
beside its segment (:data:`DISK_FROM`): each `gloss search` is a new process, and a word
in every article at 100,000 articles is 800 blocks to decode (0.15 s) where its arrays
read in a millisecond.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from pickle import loads
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.util.numeric import byte_to_length

CACHE_POSTINGS = 2_000_000
"""Postings kept per segment reader (ids, weights: 12 bytes each; about 24 MB at most)."""
CACHE_POSITIONS = 500_000
"""Decoded word positions kept per segment reader (8 bytes each: 4 MB at most; about
80 MB for the 20 segments of a 100k index)."""
DISK_FROM = 4_096
"""Postings (32 blocks) from which a term's ids and weights are also kept on disk, in
``postings/<segment>/`` of the index folder (16 bytes a posting; removed with their
segment), for the next process."""
DISK_FOLDER = "postings"
_DISK_MAGIC = b"GLOSSPST1\n"
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_LENGTHS[0] = 1.0  # Whoosh's scorers read a missing length as 1 (doc_field_length default)


@dataclass(frozen=True, slots=True)
class Postings:
    """One term's postings in one segment, deleted documents left out."""

    ids: np.ndarray[Any, np.dtype[np.int64]]
    weights: np.ndarray[Any, np.dtype[np.float64]]
    values: list[bytes] | None = None
    """Each posting's encoded value (positions), when they were asked for."""

    def __len__(self) -> int:
        return len(self.ids)


EMPTY = Postings(np.zeros(0, np.int64), np.zeros(0, np.float64), [])


class _Memo:
    """One segment reader's cached postings and field lengths."""

    def __init__(self) -> None:
        self.postings: OrderedDict[tuple[str, bytes, bool], Postings] = OrderedDict()
        self.size = 0
        self.lengths: dict[str, np.ndarray[Any, np.dtype[np.float64]]] = {}
        self.positions: OrderedDict[tuple[str, bytes], np.ndarray[Any, Any]] = OrderedDict()
        self.positions_size = 0
        self.deleted: np.ndarray[Any, np.dtype[np.int64]] | None = None
        self.lock = Lock()


_memos: WeakKeyDictionary[Any, _Memo] = WeakKeyDictionary()
_memos_lock = Lock()


def _memo(reader: Any) -> _Memo:
    with _memos_lock:
        memo = _memos.get(reader)
        if memo is None:
            memo = _memos[reader] = _Memo()
        return memo


def read_postings(
    reader: Any,
    fieldname: str,
    text: bytes,
    values: bool = False,
    within: np.ndarray[Any, np.dtype[np.int64]] | None = None,
) -> Postings:
    """The postings of ``fieldname:text`` in this segment (:data:`EMPTY` if none).

    ``values``: also the encoded positions. ``within`` (sorted docnums): blocks holding
    none of them are skipped unread; the result then covers at least those documents
    and is not cached.
    """
    if (fieldname, text) not in reader:
        return EMPTY
    memo = _memo(reader)
    key = (fieldname, text, values)
    with memo.lock:
        found = memo.postings.get(key) or (
            memo.postings.get((fieldname, text, True)) if not values else None
        )
        if found is not None:
            memo.postings.move_to_end(key if key in memo.postings else (fieldname, text, True))
            return found
    disk = None if values else _disk_path(reader, fieldname, text)
    found = _from_disk(disk) if disk is not None else None
    complete = True
    if found is None:
        matcher = reader.postings(fieldname, text)
        leaf = _leaf_of(matcher)
        if leaf is None:
            found = _by_matcher(matcher, values)
        else:
            found, complete = _by_blocks(leaf, values, within)
        if disk is not None and complete and len(found) >= DISK_FROM:
            _to_disk(disk, found)
    found = _without_deleted(found, deleted_docs(reader))
    if complete and len(found) <= CACHE_POSTINGS:
        with memo.lock:
            memo.postings[key] = found
            memo.size += len(found)
            while memo.size > CACHE_POSTINGS:
                memo.size -= len(memo.postings.popitem(last=False)[1])
    return found


def position_keys(
    reader: Any, fieldname: str, text: bytes, found: Postings, complete: bool
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Every position of the word in ``found``'s documents as one sorted array of
    ``docnum << 32 | position``, so a phrase is an intersection of arrays; kept per
    segment reader (when ``found`` is the whole posting list) up to
    :data:`CACHE_POSITIONS`."""
    from itertools import chain

    from tui.core.search.phrase import decoded_deltas

    memo = _memo(reader)
    key = (fieldname, text)
    with memo.lock:
        cached = memo.positions.get(key)
        if cached is not None:
            memo.positions.move_to_end(key)
            return cached
    assert found.values is not None
    lists = decoded_deltas(found.values)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    total = int(lengths.sum())
    deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=total)
    running = np.cumsum(deltas)
    ends = np.cumsum(lengths)
    before = np.zeros(len(lists), dtype=np.int64)
    nonempty = ends[:-1] > 0
    before[1:][nonempty] = running[ends[:-1][nonempty] - 1]
    keys = (np.repeat(found.ids, lengths) << 32) | (running - np.repeat(before, lengths))
    if complete and total <= CACHE_POSITIONS:
        with memo.lock:
            memo.positions[key] = keys
            memo.positions_size += total
            while memo.positions_size > CACHE_POSITIONS:
                memo.positions_size -= len(memo.positions.popitem(last=False)[1])
    return keys


def field_lengths(reader: Any, fieldname: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Every document's length of ``fieldname`` in this segment, as Whoosh's scorers see it
    (stored as one byte; a missing length reads as 1)."""
    memo = _memo(reader)
    with memo.lock:
        found = memo.lengths.get(fieldname)
    if found is not None:
        return found
    count = reader.doc_count_all()
    column = _length_bytes(reader, fieldname, count)
    found = np.asarray(_LENGTHS[column], dtype=np.float64)
    with memo.lock:
        memo.lengths[fieldname] = found
    return found


def deleted_docs(reader: Any) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The segment's deleted docnums, sorted (usually none)."""
    memo = _memo(reader)
    with memo.lock:
        if memo.deleted is None:
            found = sorted(reader._perdoc.deleted_docs()) if reader.has_deletions() else []
            memo.deleted = np.array(found, dtype=np.int64)
        return memo.deleted


def _length_bytes(reader: Any, fieldname: str, count: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """The one-byte lengths of a field for every document (0 where there is none)."""
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

    perdoc = getattr(reader, "_perdoc", None)
    column = None
    if perdoc is not None and hasattr(perdoc, "_cached_reader"):
        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        if not count or not reader.schema[fieldname].scorable:
            return np.zeros(count, dtype=np.uint8)
        from whoosh.util.numeric import length_to_byte

        found = [length_to_byte(reader.doc_field_length(d, fieldname, 0)) for d in range(count)]
        return np.array(found, dtype=np.uint8)
    return column_array(column, count, ">u1")


def column_array(column: Any, count: int, dtype: str) -> np.ndarray[Any, Any]:
    """A Whoosh numeric column's values for every document, read as one buffer.

    Its reader stores the values big-endian from ``_basepos``, and leaves out the
    defaults after the last value written: those are filled in here.
    """
    stored = min(column._count, count)
    raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
    values = np.frombuffer(raw, dtype=dtype).astype(dtype.lstrip("<>!="), copy=True)
    if stored < count:
        values = np.concatenate([values, np.full(count - stored, column._default, values.dtype)])
    return values


def _leaf_of(matcher: Any) -> W3LeafMatcher | None:
    """The on-disk reader under a segment's matcher (the reader may wrap it to skip
    deleted documents: those are filtered here instead)."""
    from whoosh.matching.wrappers import FilterMatcher

    if type(matcher) is FilterMatcher:
        matcher = matcher.child
    return matcher if type(matcher) is W3LeafMatcher else None


def _by_blocks(
    leaf: W3LeafMatcher, values: bool, within: np.ndarray[Any, np.dtype[np.int64]] | None
) -> tuple[Postings, bool]:
    """Every block of ``leaf`` decoded whole (or only those that may hold ``within``)."""
    ids: list[np.ndarray[Any, Any]] = []
    weights: list[np.ndarray[Any, Any]] = []
    found_values: list[bytes] = []
    complete = True
    postfile = leaf._postfile
    lowest = 0
    while leaf.is_active():
        highest = leaf._maxid
        if within is not None:
            index = int(np.searchsorted(within, lowest))
            if index == len(within):
                complete = False
                break
            if within[index] > highest:
                complete = False
                lowest = highest + 1
                leaf._next_block()
                continue
        data = postfile.get(leaf._dataoffset, leaf._nextoffset - leaf._dataoffset)
        if leaf._compression:
            data = zlib.decompress(data)
        block_ids, block_weights, block_values = loads(data)
        count = leaf._blocklength
        if leaf._byteids:
            raise ValueError("term vectors are not postings")
        ids.append(np.cumsum(np.array(block_ids, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count, dtype=np.float64))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights, dtype=np.float64))
        else:
            weights.append(np.array(block_weights, dtype=np.float64))
        if values:
            found_values.extend(block_values if block_values is not None else [b""] * count)
        lowest = highest + 1
        leaf._next_block()
    if not ids:
        return Postings(EMPTY.ids, EMPTY.weights, [] if values else None), complete
    return (
        Postings(np.concatenate(ids), np.concatenate(weights), found_values if values else None),
        complete,
    )


def _by_matcher(matcher: Any, values: bool) -> Postings:
    """Any other matcher (inlined postings, another codec), one posting at a time."""
    ids: list[int] = []
    weights: list[float] = []
    found_values: list[bytes] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if values:
            found_values.append(matcher.value())
        matcher.next()
    return Postings(
        np.array(ids, dtype=np.int64),
        np.array(weights, dtype=np.float64),
        found_values if values else None,
    )


def _disk_path(reader: Any, fieldname: str, text: bytes) -> str | None:
    """Where this term's postings in this segment are kept on disk (None: an index in
    memory)."""
    storage = getattr(reader, "_storage", None)
    folder = getattr(storage, "folder", None) or getattr(
        getattr(storage, "b", None), "folder", None
    )
    segment = getattr(reader, "_segid", None)
    if not isinstance(folder, str) or not isinstance(segment, str):
        return None
    name = hashlib.blake2b(fieldname.encode() + b"\0" + text, digest_size=16).hexdigest()
    return os.path.join(folder, DISK_FOLDER, segment, name)


def _from_disk(path: str) -> Postings | None:
    """The postings kept at ``path`` (before deletions), or None when missing or not whole."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return None
    body = len(data) - len(_DISK_MAGIC)
    if not data.startswith(_DISK_MAGIC) or body % 16:
        return None
    count = body // 16
    start = len(_DISK_MAGIC)
    ids = np.frombuffer(data, dtype="<i8", count=count, offset=start).astype(np.int64)
    weights = np.frombuffer(data, dtype="<f8", count=count, offset=start + 8 * count)
    return Postings(ids, weights.astype(np.float64))


def _to_disk(path: str, found: Postings) -> None:
    """Keep ``found`` at ``path`` for the next process, if the index folder can be written
    (a cache: any failure only means the next process decodes the blocks again)."""
    folder = os.path.dirname(path)
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        if not os.path.isdir(folder):
            _drop_old_segments(os.path.dirname(folder))
            os.makedirs(folder, exist_ok=True)
        with open(temp, "wb") as file:
            file.write(_DISK_MAGIC)
            file.write(found.ids.astype("<i8").tobytes())
            file.write(found.weights.astype("<f8").tobytes())
        os.replace(temp, path)  # whole or absent: a reader never sees half of it
    except OSError:
        with suppress(OSError):
            os.unlink(temp)


def _drop_old_segments(root: str) -> None:
    """Remove the kept postings of segments no longer in the index (merged away): a
    segment's files are named after it in the index folder."""
    try:
        kept = os.listdir(root)
        index_files = {name.split(".", 1)[0] for name in os.listdir(os.path.dirname(root))}
    except OSError:
        return
    for segment in kept:
        if segment not in index_files:
            shutil.rmtree(os.path.join(root, segment), ignore_errors=True)


def _without_deleted(found: Postings, deleted: np.ndarray[Any, np.dtype[np.int64]]) -> Postings:
    if not len(deleted) or not len(found):
        return found
    keep = ~np.isin(found.ids, deleted, assume_unique=True)
    if keep.all():
        return found
    values = found.values
    if values is not None:
        values = [value for value, kept in zip(values, keep.tolist(), strict=True) if kept]
    return Postings(found.ids[keep], found.weights[keep], values)
