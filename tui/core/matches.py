"""Where a query matched inside an article body, and the one-line snippet around it.

Spans are found by re-reading the body with the index's own tokenizer
(:func:`tui.core.analysis.word_spans`), so every span is a word exactly as written
and "markets" and "market" land on the same offsets. Phrases are matched on token
positions the way Whoosh matches them, separately in the article text and in its
boilerplate (each is its own field in the index).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence

from tui.core.analysis import word_spans
from tui.core.models import Span
from tui.core.text import neutralise_controls

SNIPPET_WIDTH = 160
_ELLIPSIS = "…"
_Token = tuple[str, int, int]


def find_spans(
    text: str,
    terms: Iterable[str],
    phrases: Sequence[tuple[tuple[str, ...], int]] = (),
    boilerplate: Sequence[Span] = (),
) -> tuple[Span, ...]:
    """Spans of every word whose index term is in ``terms`` and of every phrase match.

    A span inside another (a word inside a matched phrase) is dropped, so the UI never
    paints one match over another.
    """
    wanted = set(terms)
    needed = {word for words, _ in phrases for word in words}
    if not wanted and not needed:
        return ()
    tokens = list(word_spans(text))
    spans = [(start, end) for term, start, end in tokens if term in wanted]
    if phrases:
        for stream in _split(tokens, boilerplate):
            spans.extend(_phrase_spans(stream, phrases))
    return _tidy(spans)


def _split(tokens: list[_Token], boilerplate: Sequence[Span]) -> list[list[_Token]]:
    """Article tokens and boilerplate tokens: phrases never run from one into the other."""
    if not boilerplate:
        return [tokens]
    starts = [start for start, _ in boilerplate]
    inside: list[_Token] = []
    outside: list[_Token] = []
    for token in tokens:
        index = bisect_right(starts, token[1]) - 1
        hit = index >= 0 and token[1] < boilerplate[index][1]
        (inside if hit else outside).append(token)
    return [outside, inside]


def _phrase_spans(
    tokens: list[_Token], phrases: Sequence[tuple[tuple[str, ...], int]]
) -> list[Span]:
    """Whoosh's phrase rule: each next word 1..slop positions after the previous one."""
    positions: dict[str, list[int]] = defaultdict(list)
    for index, (term, _, _) in enumerate(tokens):
        positions[term].append(index)
    found: list[Span] = []
    for words, slop in phrases:
        runs = {first: first for first in positions.get(words[0], [])}
        for word in words[1:]:
            following = positions.get(word, [])
            extended: dict[int, int] = {}
            for first, last in runs.items():
                at = bisect_right(following, last)
                if at < len(following) and following[at] - last <= slop:
                    extended[first] = following[at]
            runs = extended
        found.extend((tokens[first][1], tokens[last][2]) for first, last in runs.items())
    return found


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
