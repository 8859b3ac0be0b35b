"""Writing one Whoosh segment fast: postings kept per term in arrays, written a block at a time.

Whoosh's ``SegmentWriter`` sends every posting through a pool that sorts them all
(an external merge sort, spilling to disk), then hands them one by one to the postings
writer, which looks up the document's field length for each. On a cold build that is
most of the time. Documents are added here in docnum order, so each term's postings
are already sorted: :class:`BulkSegmentWriter` appends them to per-term arrays and, at
the end, sorts only the terms and writes each term's blocks whole, in Whoosh's own W3
format (the same bytes its writer would produce: a test reads both back and compares).

Used for large builds only (see :mod:`tui.core.search.build`); small updates go
through Whoosh's writer, which also merges small segments.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from tui.core.search.analysis import WordPositions


class _Postings:
    """One term's postings in one field: docnums, weights, and encoded values."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


class BulkSegmentWriter(SegmentWriter):  # type: ignore[misc]
    """A ``SegmentWriter`` whose postings skip the sorting pool (see the module docstring).

    Supports what Gloss's schema uses: indexed, stored and column fields; no term
    vectors, no separate spelling fields, no merging of other segments into it.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._terms: dict[str, dict[bytes, _Postings]] = {}
        self._lengths: dict[str, array[int]] = {}

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("BulkSegmentWriter writes new documents only")

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                if field.vector or field.separate_spelling():
                    raise NotImplementedError(f"field {name!r}: vectors and spelling")
                length = 0
                scorable = field.indexed and field.scorable
                if field.indexed and isinstance(field.format, WordPositions):
                    terms = self._terms.setdefault(name, {})
                    words = field.format.add_postings(value, terms, docnum, _Postings)
                    length = words if scorable else 0
                elif field.indexed:
                    terms = self._terms.setdefault(name, {})
                    for tbytes, freq, weight, vbytes in field.index(value):
                        postings = terms.get(tbytes)
                        if postings is None:
                            postings = terms[tbytes] = _Postings()
                        postings.ids.append(docnum)
                        postings.weights.append(weight)
                        if vbytes:
                            postings.values.append(vbytes)
                        if scorable:
                            length += freq
                if scorable:
                    lengths = self._lengths.setdefault(name, array("I"))
                    lengths.extend([0] * (docnum - self.docbase + 1 - len(lengths)))
                    # What the reader will see: lengths are stored as one byte.
                    lengths[docnum - self.docbase] = byte_to_length(length_to_byte(length))
                stored = value if field.stored else None
                perdoc.add_field(name, field, stored, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(name, column, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._terms):
            writer.start_field(name, self.schema[name])
            lengths = self._lengths.get(name)
            terms = self._terms[name]
            for tbytes in sorted(terms):
                writer.start_term(tbytes)
                _write_blocks(writer._postwriter, terms[tbytes], lengths, self.docbase)
                writer.finish_term()
            writer.finish_field()
            terms.clear()
        writer.close()


def _write_blocks(
    postwriter: Any, postings: _Postings, lengths: array[int] | None, docbase: int
) -> None:
    """A term's postings as W3 blocks, each filled whole and written at once."""
    size = postwriter._blocklimit
    ids, weights, values = postings.ids, postings.weights, postings.values
    total = len(ids)
    for start in range(0, total, size):
        stop = min(start + size, total)
        block_ids = ids[start:stop]
        block_weights = weights[start:stop]
        postwriter._ids = block_ids
        postwriter._weights = block_weights
        postwriter._values = values[start:stop] if values else []
        postwriter._maxweight = max(block_weights)
        if lengths is not None:
            found = [lengths[docnum - docbase] for docnum in block_ids]
            present = [length for length in found if length]
            postwriter._minlength = min(present) if present else None
            postwriter._maxlength = max(present) if present else 0
        else:
            postwriter._minlength, postwriter._maxlength = None, 0
        postwriter._write_block(last=stop == total)
