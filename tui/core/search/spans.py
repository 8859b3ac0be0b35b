"""Where a query matched inside an article body, and the one-line snippet around it.

Spans are found by re-reading the body with the index's own tokenizer
(:mod:`tui.core.search.analysis`), so every span is a word exactly as written and "markets"
and "market" land on the same offsets. Wildcards and fuzzy terms span only the words as
written that fit them; CJK terms (character pairs, single characters) span every place
those characters are written. Phrases are matched on token positions the way Whoosh
matches them, separately in the article text and in its boilerplate (each is its own
field in the index).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter

from tui.core.models import Span
from tui.core.search.analysis import (
    CJK_CHAR,
    MAX_WORD,
    WORD_CHAR,
    WORD_PATTERN,
    fold,
    is_cjk,
    run_terms,
    stem,
)
from tui.core.search.phrase import phrase_runs
from tui.core.text import neutralise_controls

SNIPPET_WIDTH = 160
_FAR = 1 << 62
_ELLIPSIS = "…"


def find_spans(
    text: str,
    terms: Iterable[str],
    phrases: Sequence[tuple[tuple[str, ...], int]] = (),
    boilerplate: Sequence[Span] = (),
    forms: Collection[str] = (),
) -> tuple[Span, ...]:
    """Spans of every word whose index term is in ``terms``, whose folded form is in
    ``forms`` (what a wildcard or fuzzy term stands for), and of every phrase match.

    Only the body's distinct words are stemmed; the wanted ones are then found with one
    regular expression, so a hit costs little more than a scan of its text. A span
    inside another (a word inside a matched phrase) is dropped, so the UI never paints
    one match over another.
    """
    wanted = set(terms)
    if not wanted and not phrases and not forms:
        return ()
    pairs = {term for term in wanted if is_cjk(term)}
    wanted -= pairs
    # Porter stemming never changes a word's first letter, nor does folding change what
    # it starts with: stem and fold only the candidates (each distinct first character
    # folded once, not each word).
    initials = {term[:1] for term in wanted} | {form[:1] for form in forms}
    initials |= {words[0][:1] for words, _ in phrases if not is_cjk(words[0])}
    written = _distinct_words(text) if initials else set()
    starts = {char for char in set(map(itemgetter(0), written)) if fold(char)[:1] in initials}
    candidates = [
        word
        for word in written
        if word[:1] in starts and len(word) <= MAX_WORD and not CJK_CHAR.match(word)
    ]
    stems = {word: stem(word) for word in candidates}
    shown = {word for word, term in stems.items() if term in wanted}
    if forms:
        shown.update(word for word in candidates if fold(word) in forms)
    spans = _locate(text, list(shown))
    spans.extend(_occurrences(text, pairs))
    for words, slop in phrases:
        if is_cjk(words[0]):
            firsts = _occurrences(text, {words[0]})
        else:
            firsts = _locate(text, [word for word, term in stems.items() if term == words[0]])
        for start, _ in firsts:
            last = _follow(text, start, words, slop, _stream(boilerplate, start), boilerplate)
            if last is not None:
                spans.append((start, last))
    return _tidy(spans)


def _distinct_words(text: str) -> set[str]:
    """``set(WORD_PATTERN.findall(text))``, a third faster on article text.

    No token spans whitespace, so the tokens of ``text`` are those of its distinct
    whitespace-separated chunks; a chunk of word characters only (``\\w`` is
    ``isalnum()`` or ``_``) is one token as it stands, unless it mixes CJK with others.
    """
    chunks = set(text.split())
    words = {
        chunk for chunk in chunks if chunk.isalnum() and (chunk.isascii() or _one_script(chunk))
    }
    for chunk in chunks - words:
        words.update(WORD_PATTERN.findall(chunk))
    return words


def _one_script(chunk: str) -> bool:
    """Whether a chunk of word characters is all CJK or has none (one token either way)."""
    found = CJK_CHAR.search(chunk)
    return found is None or len(CJK_CHAR.findall(chunk)) == len(chunk)


def _occurrences(text: str, terms: Collection[str]) -> list[Span]:
    """Every place the CJK ``terms`` are written (each is a term wherever it occurs)."""
    if not terms:
        return []
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))
    return [match.span() for match in pattern.finditer(text)]


def _locate(text: str, forms: Sequence[str]) -> list[Span]:
    """Where the words ``forms`` (exactly as written) occur as whole tokens of ``text``."""
    if not forms:
        return []
    pattern = re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))
    found: list[Span] = []
    for match in pattern.finditer(text):
        start, end = match.span()
        if _token_at(text, start) == end:
            found.append((start, end))
    return found


def _token_at(text: str, start: int) -> int | None:
    """The end of the word starting at ``start``, or None when no word starts there."""
    if start > 0:
        before = text[start - 1]
        if WORD_CHAR.match(before):
            return None
        if before == "." and start > 1 and WORD_CHAR.match(text[start - 2]):
            return None  # inside a dotted token such as U.S
    match = WORD_PATTERN.match(text, start)
    return match.end() if match else None


def _stream(boilerplate: Sequence[Span], position: int) -> bool:
    """Whether ``position`` is in a boilerplate line (the index's ``boiler`` field)."""
    index = bisect_right(boilerplate, (position, _FAR)) - 1
    return index >= 0 and position < boilerplate[index][1]


def _follow(
    text: str,
    start: int,
    words: Sequence[str],
    slop: int,
    inside: bool,
    boilerplate: Sequence[Span],
) -> int | None:
    """Whoosh's phrase rule from one first word: each next word within ``slop`` positions.

    Positions are counted as the index counts them (a word each, a CJK character each);
    tokens of the other field (article text vs boilerplate) and over-long words are not
    counted, as the index did not count them. Returns the end of the shortest match.
    """
    reach = slop * (len(words) - 1)
    ends: dict[tuple[int, str], int] = {}
    position = 0
    for match in WORD_PATTERN.finditer(text, start):
        if position > reach:
            break
        word = match.group()
        if _stream(boilerplate, match.start()) != inside:
            continue
        begin = match.start()
        if is_cjk(word):
            for offset, term in run_terms(word):
                ends[(position + offset, term)] = begin + offset + len(term)
            position += len(word)
        elif len(word) <= MAX_WORD:
            ends[(position, stem(word))] = match.end()
            position += 1
    if (0, words[0]) not in ends:
        return None
    positions = [[0]] + [
        sorted(at for at, term in ends if term == word and at > 0) for word in words[1:]
    ]
    runs = [last for first, last in phrase_runs(positions, slop) if first == 0]
    return ends[(runs[0], words[-1])] if runs else None


def _tidy(spans: list[Span]) -> tuple[Span, ...]:
    kept: list[Span] = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if kept and start >= kept[-1][0] and end <= kept[-1][1]:
            continue
        kept.append((start, end))
    return tuple(kept)


def make_snippet(
    text: str,
    spans: Sequence[Span],
    boilerplate: Sequence[Span] = (),
    width: int = SNIPPET_WIDTH,
) -> tuple[str, tuple[Span, ...]]:
    """One line of ``text`` around the densest group of ``spans``, and their offsets in it.

    Whitespace runs become one space; a cut is marked with an ellipsis; control
    characters are made visible one for one.
    """
    if not text.strip():
        return "", ()
    if spans:
        start, end = _window(text, spans, width)
    else:
        start = _opening(text, boilerplate)
        end = _word_end(text, min(len(text), start + width))
    line, mapping = _collapse(text, start, end)
    inside = [
        (mapping[s - start], mapping[e - start])
        for s, e in spans
        if s >= start and e <= end and mapping[e - start] > mapping[s - start]
    ]
    stripped = line.lstrip()
    shift = len(line) - len(stripped)
    line = stripped.rstrip()
    inside = [(s - shift, min(e - shift, len(line))) for s, e in inside if s - shift < len(line)]
    if start > 0 and text[:start].strip():
        line = _ELLIPSIS + line
        inside = [(s + 1, e + 1) for s, e in inside]
    if text[end:].strip():
        line += _ELLIPSIS
    return neutralise_controls(line), tuple(inside)


def _window(text: str, spans: Sequence[Span], width: int) -> tuple[int, int]:
    """The ``width`` characters holding the most spans, starting a little before them."""
    ordered = sorted(spans)
    best, best_count = 0, 0
    for index, (anchor, _) in enumerate(ordered):
        count = sum(1 for s, e in ordered[index:] if e <= anchor + width * 4 // 5)
        if count > best_count:
            best, best_count = index, count
    anchor, anchor_end = ordered[best]
    start = max(0, anchor - width // 5)
    start = _word_start(text, start, anchor)
    end = max(anchor_end, min(len(text), start + width))
    return start, _word_end(text, end)


def _word_start(text: str, start: int, limit: int) -> int:
    """Move ``start`` forward off a half word (never past ``limit``)."""
    if start == 0 or text[start - 1].isspace():
        return start
    gap = re.compile(r"\s").search(text, start, limit)
    return gap.end() if gap else start


def _word_end(text: str, end: int) -> int:
    """Move ``end`` back off a half word, unless that empties the window."""
    if end >= len(text) or text[end].isspace():
        return end
    cut = max(text.rfind(" ", 0, end), text.rfind("\n", 0, end))
    return cut if cut > 0 and end - cut < 30 else end


def _opening(text: str, boilerplate: Sequence[Span]) -> int:
    """Where the article's prose starts: the first long line that is not boilerplate."""
    furniture = set(boilerplate)
    position = 0
    for line in text.split("\n"):
        span = (position, position + len(line))
        if span not in furniture and len(line.split()) >= 12:
            return position + len(line) - len(line.lstrip())
        position += len(line) + 1
    return len(text) - len(text.lstrip())


def _collapse(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """``text[start:end]`` with whitespace runs as one space, and where each offset went."""
    out: list[str] = []
    mapping: list[int] = []
    previous_space = False
    for char in text[start:end]:
        mapping.append(len(out))
        if char.isspace():
            if not previous_space:
                out.append(" ")
            previous_space = True
        else:
            out.append(char)
            previous_space = False
    mapping.append(len(out))
    return "".join(out), mapping
