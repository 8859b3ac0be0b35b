"""How search sees words: one tokenizer for indexing, querying and finding match spans.

A word of an alphabetic script is one term: folded (lowercase, no accents, width and
compatibility forms unified, dotted abbreviations without their dots: ``U.S.`` is ``us``),
then Porter-stemmed. Chinese, Japanese and Korean are written without spaces between
words (Korean attaches particles to them), so a run of those characters is cut as
Lucene's CJK analyzer cuts it: into overlapping character pairs, plus each character
alone (Lucene's ``outputUnigrams``) so that one-character words such as 俄 or 米 are found
too. ``习近平`` is then the phrase 习近 近平: found wherever those characters are written
together, inside a longer run or not, with no dictionary to go out of date.

Whoosh's stock analyzer chains four generators per token; indexing spends most of its
time there. :class:`WordAnalyzer` does the same work in one loop with a cache,
:class:`WordPositions` fills postings without a token stream, and :func:`tokens` reuses
the same cut so the offsets search reports are exactly the words the index saw.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterator
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Existence, Positions
from whoosh.lang.porter import stem as porter_stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint as _pack_count

from tui.core.text import CJK

WORD_PATTERN = re.compile(rf"[^\W{CJK}]+(?:\.[^\W{CJK}]+)*|[{CJK}]+")
"""A token: a run of CJK characters, or a word of other letters and digits with any
inner dots ("U.S" is one word; Whoosh's default pattern, without its query-only ``*``)."""
CJK_CHAR = re.compile(f"[{CJK}]")
WORD_CHAR = re.compile(rf"[^\W{CJK}]")
"""A character that continues a non-CJK word."""
MAX_WORD = 40
"""Longer words (URLs, hashes) are not words anyone searches for; they are skipped.
CJK runs are never skipped: they are cut into pairs."""
_FIRST_CJK = "\u1100"
"""No CJK character sorts before this one: a cheap test before the regular expression."""
_ABBREVIATION = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
"""Single letters joined by dots: U.S, U.K, U.N, e.g (not Ph.D, not 3.5)."""

_CACHE_LIMIT = 200_000
_stems: dict[str, str] = {}
_folds: dict[str, str] = {}
_last_words: tuple[str, list[str]] = ("", [])
"""The last value :class:`WordPositions` cut and its words: the ``_forms`` twin of the
field is given the same string next, and need not cut it again."""


def is_cjk(word: str) -> bool:
    """Whether ``word`` (a token of :data:`WORD_PATTERN`, or a term) is a CJK run or pair."""
    return word[:1] >= _FIRST_CJK and CJK_CHAR.match(word) is not None


def fold(word: str) -> str:
    """A word as search compares it when written forms matter (wildcards, fuzzy terms):
    ``Müller`` is ``muller``, ``Ｕ.Ｓ.`` and ``U.S`` are ``us``, ``２０２４`` is ``2024``."""
    found = _folds.get(word)
    if found is None:
        if len(_folds) > _CACHE_LIMIT:
            _folds.clear()
        text = word if word.isascii() else unicodedata.normalize("NFKC", word)
        if "." in text and _ABBREVIATION.fullmatch(text):
            text = text.replace(".", "")
        found = _folds[word] = text.lower().translate(accent_map)
    return found


def stem(word: str) -> str:
    """The index term for a word as written: folded, then Porter-stemmed."""
    found = _stems.get(word)
    if found is None:
        if len(_stems) > _CACHE_LIMIT:
            _stems.clear()
        found = _stems[word] = porter_stem(fold(word))
    return found


def run_terms(run: str) -> Iterator[tuple[int, str]]:
    """``(offset, term)`` for a CJK run: each character's pair with the next, and each
    character alone, at that character's offset (which is also its position)."""
    last = len(run) - 1
    for offset in range(last):
        yield offset, run[offset : offset + 2]
        yield offset, run[offset]
    yield last, run[last]


def tokens(text: str, start: int = 0) -> Iterator[tuple[int, str, int, int]]:
    """``(position, term, start, end)`` of every term the index holds for ``text[start:]``.

    Positions count from 0 at ``start``: one per word, one per CJK character (a pair and
    a character alone share the position of the pair's first character).
    """
    position = 0
    for match in WORD_PATTERN.finditer(text, start):
        word = match.group()
        begin = match.start()
        if is_cjk(word):
            for offset, term in run_terms(word):
                yield position + offset, term, begin + offset, begin + offset + len(term)
            position += len(word)
        elif len(word) <= MAX_WORD:
            yield position, stem(word), begin, match.end()
            position += 1


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """``(term, start, end)`` for every indexed term of ``text``, offsets into ``text``."""
    for _, term, start, end in tokens(text):
        yield term, start, end


def query_tokens(text: str) -> list[tuple[str, int, int]]:
    """``(term, start, end)`` of a query word or phrase: one term per position.

    A CJK run is its pairs (``习近平`` is 习近 近平); its last character alone is kept
    only when more follows, so that the next word is the next position, as in the index.
    """
    found: list[tuple[int, str, int, int]] = []
    for token in tokens(text):
        if found and found[-1][0] == token[0]:
            continue  # the pair, not the character alone, stands for this position
        found.append(token)
    if len(found) > 1 and found[-1][3] == found[-2][3]:
        found.pop()  # a run's last character, already in the pair before it
    return [(term, start, end) for _, term, start, end in found]


class WordAnalyzer(Tokenizer):  # type: ignore[misc]
    """A Whoosh analyzer (tokenizer and filters in one) for titles, bodies and names.

    No stop words: analysts search for "US", "IT" and "will" and phrases must match
    as written. ``mode="query"`` gives one term per position (:func:`query_tokens`);
    ``no_morph`` (spelling) skips stemming; ``tokenize=False`` (wildcard and fuzzy
    query text) folds the whole value as one word, unstemmed: those match words as
    written (:mod:`tui.core.search.forms`).
    """

    is_morph = True

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        no_morph: bool = False,
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = fold(value)
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        if mode == "query":
            found = [(index, *item) for index, item in enumerate(query_tokens(value))]
        else:
            found = list(tokens(value))
        for pos, term, start, end in found:
            token.text = term if not no_morph or is_cjk(term) else fold(value[start:end])
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class WordPositions(Positions):  # type: ignore[misc]
    """Whoosh's ``Positions`` posting format, filled without a token stream.

    Indexing calls this once per field value; counting positions straight from
    :data:`WORD_PATTERN` and :func:`stem` makes the same postings as running
    :class:`WordAnalyzer` (a test checks it) at about half the cost.
    """

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        global _last_words
        positions: dict[str, list[int]] = defaultdict(list)
        position = 0
        stems = _stems
        words = WORD_PATTERN.findall(value)
        _last_words = (value, words)
        for word in words:
            if word[0] >= _FIRST_CJK and CJK_CHAR.match(word):
                for offset, pair in run_terms(word):
                    positions[pair].append(position + offset)
                position += len(word)
            elif len(word) <= MAX_WORD:
                term = stems.get(word)
                positions[term if term is not None else stem(word)].append(position)
                position += 1
        boost = self.field_boost
        for term, found in positions.items():
            count = len(found)
            # Positions.encode's bytes (count, then the pickled deltas), built inline:
            # this runs once per term of every article of a build.
            deltas = found if count == 1 else [found[0], *map(sub, found[1:], found)]
            yield term, count, count * boost, _pack_count(count) + dumps(deltas, 2)

    def add_postings(
        self, value: str, table: dict[bytes, Any], docnum: int, new: Callable[[], Any]
    ) -> int:
        """:meth:`word_values` straight into a bulk writer's per-term postings (``table``,
        ``new()`` makes an entry with ``ids``, ``weights``, ``values``); returns the
        field's length (its terms' occurrences, as Whoosh counts it).

        The hottest loop of a build (every word of every article): a word maps to its
        term's bytes through one cache, and positions group with ``setdefault``.
        """
        global _last_words
        words = WORD_PATTERN.findall(value)
        _last_words = (value, words)
        cached = _term_bytes
        if len(cached) > _CACHE_LIMIT:
            cached.clear()
        positions: dict[bytes, list[int]] = {}
        group = positions.setdefault
        position = 0
        for word in words:
            if word[0] >= _FIRST_CJK and CJK_CHAR.match(word):
                for offset, pair in run_terms(word):
                    group(pair.encode("utf-8"), []).append(position + offset)
                position += len(word)
            elif len(word) <= MAX_WORD:
                group(cached.get(word) or _term_key(word), []).append(position)
                position += 1
        boost = self.field_boost
        get = table.get
        length = 0
        for key, found in positions.items():
            postings = get(key)
            if postings is None:
                postings = table[key] = new()
            count = len(found)
            length += count
            deltas = found if count == 1 else [found[0], *map(sub, found[1:], found)]
            postings.ids.append(docnum)
            postings.weights.append(count * boost)
            postings.values.append(_pack_count(count) + dumps(deltas, 2))
        return length


_term_bytes: dict[str, bytes] = {}


def _term_key(word: str) -> bytes:
    """A word's index term as the bytes Whoosh stores (cached in ``_term_bytes``)."""
    key = _term_bytes[word] = stem(word).encode("utf-8")
    return key


class WordForms(Existence):  # type: ignore[misc]
    """The words, folded but not stemmed, that a field's stems cannot stand for: postings
    without positions, for wildcards and fuzzy terms (:mod:`tui.core.search.forms`).

    A word that is its own stem ("attack") is left out unless the article also has
    another word of that stem ("attacks"): the stem's postings then say where it is
    written. CJK runs are left out too (they are found by their character pairs).
    """

    def word_values(
        self, value: str, analyzer: Any, **kwargs: Any
    ) -> Iterator[tuple[str, int, float, bytes]]:
        folds, stems = _folds, _stems
        last, cut = _last_words
        words: dict[str, set[str]] = {}  # stem -> the folded words written for it
        for word in set(cut if last is value else WORD_PATTERN.findall(value)):
            if len(word) > MAX_WORD or (word[0] >= _FIRST_CJK and CJK_CHAR.match(word)):
                continue
            form = folds.get(word)
            term = stems.get(word)
            words.setdefault(term if term is not None else stem(word), set()).add(
                form if form is not None else fold(word)
            )
        boost = self.field_boost
        return (
            (form, 1, boost, b"")
            for term, forms in words.items()
            for form in forms
            if form != term or len(forms) > 1
        )
