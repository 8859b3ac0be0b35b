"""One article's row of the PostgreSQL tables, made from the document Whoosh would index.

Each searchable field of :func:`tui.core.search.schema.document` is analyzed by Gloss's
own analyzer: the same words, stems and word positions Whoosh indexes (positions count
the words of that field only, boilerplate lines blanked out of the body), so a query
means the same on both engines.

``doc`` is the column every query looks up (one GIN index): every word of every field
without positions, tagged with its field (body words as they are, ``t|putin`` for a
title word, ``g|actor/china`` for a tag, ``y|yes`` for annotated, see :data:`TAGS`), and
every pair of adjacent words as one lexeme (``'econom ti'``, ``'t|econom ti'``). So a
whole boolean query is one ``tsquery`` PostgreSQL answers inside the index, two-word
phrases (by far the most common) included, without reading any row's words; only longer
or looser phrases are checked on positions, in the positional ``<field>_tsv`` columns.

PostgreSQL's limits shape the rest: a ``tsvector`` keeps at most 256 positions per word,
positions up to 16,383 and 1 MB of words. A body longer than :data:`LONG_WORDS` words (or
with a word more often than that) is *long*: its positions go in overlapping chunks
(``body_chunks``), each under those limits, so phrases are found anywhere in it; if its
pairs do not fit in ``doc`` either, they too live in the chunks only (``split``).
``rank_tsv`` is a small vector for ranking (title, source, author and the body's most
frequent words): ranking reads it for every match, and reading each match's whole word
list would cost ten times more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tui.core.errors import GlossError
from tui.core.search.analysis import (
    _FIRST_CJK,
    CJK_CHAR,
    MAX_WORD,
    WORD_PATTERN,
    _folds,
    _stems,
    fold,
    run_terms,
    stem,
)

MAX_POSITION = 16_383
"""The largest position a tsvector holds (larger ones are stored as this)."""
MAX_POSITIONS = 256
"""Positions a tsvector keeps per word."""
MAX_WORD_BYTES = 1_000_000
"""A tsvector holds under 1 MB of words (PostgreSQL: 1 MB minus its headers)."""
LONG_WORDS = 8_000
"""A body longer than this is stored in chunks of at most this many words (8,000 words
of 40 characters and their pairs stay under 1 MB)."""
CHUNK_OVERLAP = 64
"""Words each chunk repeats of the one before: a phrase up to this long is never cut."""
RANK_WORDS = 32
"""Body words in the ranking vector: the most frequent ones (twice or more)."""
RANK_BOILER_WORDS = 8
RANK_POSITIONS = 4
"""Occurrences counted per word in the ranking vector: more add nothing (saturation)."""

TEXT_FIELDS = ("title", "source", "author", "boiler", "note", "memo")
"""Whoosh text fields with a positional tsvector column of their own (``<field>_tsv``);
the body's is ``body_tsv`` (and, when long, its chunks)."""
KEYWORD_FIELDS = {"tags": "tags_kw", "annotated": "annotated_kw"}
CODES = {
    "body": "w",
    "title": "t",
    "source": "s",
    "author": "a",
    "boiler": "b",
    "note": "n",
    "memo": "m",
    "tags": "g",
    "annotated": "y",
}
"""A letter per field: ``doc`` and ``vocabulary`` tell fields apart by it."""
TAGS = {name: "" if name == "body" else f"{code}|" for name, code in CODES.items()}
"""The prefix of a field's terms in ``doc`` (body terms have none): no term has a ``|``
(terms are word characters, dots, or CJK characters)."""
FORM_TAGS = {name: f"{code}=" for name, code in CODES.items()}
"""The prefix of a field's words as written in ``doc`` (``w=negotiations``)."""
COLUMNS = (
    "id",
    "title",
    "title_key",
    "source",
    "author",
    "date",
    "words",
    "body_words",
    "digest",
    "notes_sha",
    "long",
    "tags_kw",
    "annotated_kw",
    *(f"{name}_tsv" for name in TEXT_FIELDS),
    "body_tsv",
    "doc",
    "split",
    "rank_tsv",
)
"""The ``articles`` columns a row fills, in COPY order."""
CHUNK_COLUMNS = ("id", "part", "body_tsv", "body_pairs")


class TooLargeError(GlossError):
    """A field with more words than a PostgreSQL tsvector can hold: the article is left out."""


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What one article writes: its ``articles`` row, its chunks, and its distinct words
    (for the vocabulary's document frequencies)."""

    values: tuple[Any, ...]
    chunks: tuple[tuple[Any, ...], ...]
    words: frozenset[tuple[str, str]]
    """``(field code, term)`` of its stems (lowercase code) and words as written (uppercase)."""

    @property
    def id(self) -> str:
        return str(self.values[0])

    @property
    def year(self) -> int | None:
        """The year of its date (its partition when ``articles`` is partitioned)."""
        date = self.values[COLUMNS.index("date")]
        return date.year if isinstance(date, dt.date) else None

    @property
    def split(self) -> bool:
        """Its body's word pairs are in its chunks only (too many for ``doc``)."""
        return bool(self.values[COLUMNS.index("split")])


@dataclass(slots=True)
class Words:
    """One field's words as the index sees them: the terms at each position (two at a
    CJK character: its pair with the next and itself), each term's positions, and the
    words as written (folded, unstemmed: for wildcards and fuzzy terms)."""

    at: list[tuple[str, ...]]
    found: dict[str, list[int]]
    forms: set[str]


def positions(text: str) -> Words:
    """Exactly what :class:`~tui.core.search.analysis.WordPositions` indexes (words
    longer than :data:`MAX_WORD` skipped and not counted, CJK runs cut in pairs and
    characters), and what :class:`~tui.core.search.analysis.WordForms` holds."""
    stems, folds = _stems, _folds
    at: list[tuple[str, ...]] = []
    forms: set[str] = set()
    for word in WORD_PATTERN.findall(text):
        if word[0] >= _FIRST_CJK and CJK_CHAR.match(word):
            terms: list[list[str]] = [[] for _ in word]
            for offset, term in run_terms(word):
                terms[offset].append(term)
            at.extend(map(tuple, terms))
        elif len(word) <= MAX_WORD:
            at.append((stems.get(word) or stem(word),))
            forms.add(folds.get(word) or fold(word))
    found: dict[str, list[int]] = defaultdict(list)
    for position, terms_here in enumerate(at):
        for term in terms_here:
            found[term].append(position)
    return Words(at, found, forms)


_QUOTED: dict[str, str] = {}
_QUOTED_LIMIT = 200_000
_LABELS = [str(position + 1) for position in range(MAX_POSITION)]
"""The text of 0-based position p in a tsvector (1-based, the last one for any beyond)."""


def quote(lexeme: str) -> str:
    """A lexeme as tsvector and tsquery text write it: quoted, ``'`` and ``\\`` escaped."""
    found = _QUOTED.get(lexeme)
    if found is None:
        if len(_QUOTED) > _QUOTED_LIMIT:
            _QUOTED.clear()
        found = _QUOTED[lexeme] = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return found


def vector(found: Mapping[str, Sequence[int]], field: str) -> str:
    """A positional tsvector literal (positions 1-based, capped as PostgreSQL caps them)."""
    _check_size(found, field)
    label = _LABELS.__getitem__
    parts = []
    for term, places in found.items():
        if len(places) > MAX_POSITIONS:
            places = places[:MAX_POSITIONS]
        if places[-1] >= MAX_POSITION:
            places = [min(p, MAX_POSITION - 1) for p in places]
        parts.append(quote(term) + ":" + ",".join(map(label, places)))
    return " ".join(parts)


def stripped(words: Iterable[str], field: str) -> str:
    """A tsvector literal of words without positions."""
    words = list(words)
    _check_size(words, field)
    return " ".join(map(quote, words))


def _check_size(words: Iterable[str], field: str) -> None:
    size = len("".join(words).encode("utf-8"))
    if size > MAX_WORD_BYTES:
        raise TooLargeError(
            f"its {field} has {size:,} bytes of distinct words: more than a PostgreSQL "
            "tsvector holds (1 MB)"
        )


def pairs(at: Sequence[tuple[str, ...]]) -> set[str]:
    """Every two adjacent terms as one lexeme, ``'first second'`` (terms hold no space)."""
    return {
        f"{first} {second}"
        for here, after in zip(at, at[1:], strict=False)
        for first in here
        for second in after
    }


def is_long(words: Words) -> bool:
    """Whether a body's positions exceed what one tsvector keeps exactly."""
    return len(words.at) > LONG_WORDS or any(len(p) > MAX_POSITIONS for p in words.found.values())


def chunks(at: Sequence[tuple[str, ...]]) -> list[tuple[str, str]]:
    """A long body as overlapping chunks: ``(positional tsvector, pairs tsvector)`` each.

    A chunk ends before :data:`LONG_WORDS` positions or before any term's
    :data:`MAX_POSITIONS`-th occurrence; the next starts :data:`CHUNK_OVERLAP` positions
    earlier than that end, so every stretch of that many words lies whole in one chunk.
    """
    found: list[tuple[str, str]] = []
    start, total = 0, len(at)
    while start < total:
        counts: Counter[str] = Counter()
        end = start
        while end < total and end - start < LONG_WORDS:
            if any(counts[term] + 1 >= MAX_POSITIONS for term in at[end]):
                break
            counts.update(at[end])
            end += 1
        part = at[start:end]
        places: dict[str, list[int]] = defaultdict(list)
        for position, terms in enumerate(part):
            for term in terms:
                places[term].append(position)
        found.append((vector(places, "body"), stripped(pairs(part), "body")))
        if end >= total:
            break
        start = max(end - CHUNK_OVERLAP, start + 1)
    return found


def rank_vector(fields: Mapping[str, dict[str, list[int]]]) -> str:
    """The small vector ranking reads: title (weight A), source and author (C), the body's
    :data:`RANK_WORDS` most frequent words (B) and a few boilerplate ones (D), each with
    its first :data:`RANK_POSITIONS` positions, every field after the one before."""
    weighted: dict[str, list[str]] = defaultdict(list)
    offset = 1
    for name, weight, keep in (
        ("title", "A", None),
        ("source", "C", None),
        ("author", "C", None),
        ("body", "B", RANK_WORDS),
        ("boiler", "D", RANK_BOILER_WORDS),
    ):
        found = fields.get(name) or {}
        terms = list(found)
        if keep is not None:
            terms = [term for term in terms if len(found[term]) > 1]
            terms.sort(key=lambda term: (-len(found[term]), found[term][0]))
            terms = terms[:keep]
        last = 0
        for term in terms:
            places = found[term][:RANK_POSITIONS]
            weighted[term].extend(f"{min(p + offset, MAX_POSITION)}{weight}" for p in places)
            last = max(last, places[-1])
        offset = min(offset + last + 2, MAX_POSITION)
    return " ".join(f"{quote(term)}:{','.join(places)}" for term, places in weighted.items())


@lru_cache(maxsize=1)
def _keyword_fields() -> dict[str, Any]:
    from tui.core.search.schema import build_schema

    schema = build_schema()
    return {name: schema[name] for name in KEYWORD_FIELDS}


def keywords(name: str, value: str | None) -> list[str]:
    """Whoosh's tokens of a keyword field (comma-separated, stripped, lowercased)."""
    if not value:
        return []
    return list(dict.fromkeys(_keyword_fields()[name].process_text(value, mode="index")))


def clean(text: str | None) -> str | None:
    """Text PostgreSQL accepts: no NUL character, no lone surrogate."""
    if text is None:
        return None
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def article_row(
    doc: Mapping[str, Any], info: Mapping[str, Any], digest: str, notes_sha: str
) -> ArticleRow:
    """The row of one article: ``doc`` is :func:`~tui.core.search.schema.document`'s
    output for it, ``info`` its catalogue values. Raises :class:`TooLargeError`."""
    fields: dict[str, Words] = {}
    vectors: list[str] = []
    vocabulary: set[tuple[str, str]] = set()
    lookup: list[str] = []
    for name in (*TEXT_FIELDS, "body"):
        words = fields[name] = positions(doc.get(name) or "")
        code, tag, form_tag = CODES[name], TAGS[name], FORM_TAGS[name]
        vocabulary.update((code, term) for term in words.found)
        vocabulary.update((code.upper(), form) for form in words.forms)
        lookup.extend(tag + term for term in words.found)
        lookup.extend(form_tag + form for form in words.forms)
        if name != "body":
            vectors.append(vector(words.found, name))
            lookup.extend(tag + pair for pair in pairs(words.at))
    keyword = {name: keywords(name, doc.get(name)) for name in KEYWORD_FIELDS}
    for name, tokens in keyword.items():
        lookup.extend(TAGS[name] + token for token in tokens)
    body = fields["body"]
    body_pairs = pairs(body.at)
    size = len("".join(lookup).encode("utf-8")) + len("".join(body_pairs).encode("utf-8"))
    split = size > MAX_WORD_BYTES
    if not split:
        lookup.extend(body_pairs)
    long = split or is_long(body)
    parts: tuple[tuple[Any, ...], ...] = ()
    if long:
        body_vector = stripped(body.found, "body")
        parts = tuple((doc["id"], n, *chunk) for n, chunk in enumerate(chunks(body.at)))
    else:
        body_vector = vector(body.found, "body")
    date = info.get("date")
    values = (
        clean(doc["id"]),
        clean(info["title"]),
        clean(str(info["title"]).casefold()),
        clean(info.get("source")),
        clean(info.get("author")),
        date if isinstance(date, dt.date) else None,
        info.get("words"),
        len(body.at),
        bytes.fromhex(digest),
        bytes.fromhex(notes_sha),
        long,
        keyword["tags"],
        keyword["annotated"],
        *vectors,
        body_vector,
        stripped(lookup, "words"),
        split,
        rank_vector({name: words.found for name, words in fields.items()}),
    )
    return ArticleRow(values, parts, frozenset(vocabulary))
