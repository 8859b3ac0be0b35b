"""Re-anchoring: find an annotation's passage in the current body, or say it is lost.

Why not "first exact match wins" (see ../shared/ANCHORING.md): an edited word that also
occurs elsewhere would silently jump there. Here every candidate, exact or approximate,
is scored on quote, prefix and suffix together, and accepted only above a floor and
with a clear margin over the best candidate elsewhere; otherwise it is ``orphaned``.

Order of work, cheapest first (most annotations stop at step 1 or 2):
1. the stored offsets still hold the quote with its context (or the body is unchanged);
2. ``prefix + exact + suffix`` occurs exactly once: the passage moved, nothing else did;
3. scored search over exact occurrences, context-anchored spans and fuzzy alignments.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from tui.core.annotations.model import CONTEXT_CHARS, Anchored, Annotation, State

# Weights of the three similarities in a candidate's score (they sum to 1).
W_QUOTE = 0.5
W_PREFIX = 0.25
W_SUFFIX = 0.25

MIN_SCORE = 0.75
"""Weighted score a candidate needs (an exact quote needs context similarity >= 0.5)."""
MIN_CONTEXT = 0.5
"""Mean prefix/suffix similarity: below it the quote sits in foreign text (h#2798, h#4328)."""
MIN_QUOTE = 0.5
"""Quote similarity an edited passage needs to be called ``fuzzy`` rather than lost."""
MIN_MARGIN = 0.1
"""Lead over the best non-overlapping rival; closer than this is a coin toss (client#7571)."""

ANCHOR_CHARS = 12
"""Tail of the prefix / head of the suffix searched verbatim to frame an edited quote."""
MIN_ANCHOR_CHARS = 6
MAX_OCCURRENCES = 5000
"""Cap on exact occurrences scored for very short quotes (e.g. one letter)."""
MAX_ANCHOR_HITS = 50
FUZZY_REACH = 64
"""Extra characters an edited quote may have grown by, when framing it by its context."""


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int
    end: int
    quote: float
    prefix: float
    suffix: float

    @property
    def context(self) -> float:
        return (self.prefix + self.suffix) / 2

    @property
    def score(self) -> float:
        return W_QUOTE * self.quote + W_PREFIX * self.prefix + W_SUFFIX * self.suffix

    def overlaps(self, other: Candidate) -> bool:
        """Same passage: the spans intersect, or an empty span lies inside the other."""
        if self.start == self.end or other.start == other.end:
            return self.start <= other.end and other.start <= self.end
        return self.start < other.end and other.start < self.end


def anchor(annotation: Annotation, body: str, body_sha256: str | None = None) -> Anchored:
    """Place ``annotation`` on ``body``; pass the body's sha256 to skip work when unchanged."""
    a = annotation
    start, end = a.start, a.end
    if (
        0 <= start < end <= len(body)
        and body[start:end] == a.exact
        and (body_sha256 == a.body_sha256 or _context_holds(a, body, start, end))
    ):
        return Anchored(a, "exact", start, end)
    window = a.prefix + a.exact + a.suffix
    at = body.find(window)
    if at != -1:
        if body.find(window, at + 1) == -1:
            new_start = at + len(a.prefix)
            new_end = new_start + len(a.exact)
            state: State = "exact" if (new_start, new_end) == (start, end) else "moved"
            return Anchored(a, state, new_start, new_end)
        if _tied_repeats(a, body, window):
            return Anchored(a, "orphaned", None, None, 1.0)
    return _search(a, body)


def anchor_all(
    annotations: Iterable[Annotation], body: str, body_sha256: str | None = None
) -> list[Anchored]:
    """Every annotation of one article placed on its body, in stored order."""
    return [anchor(a, body, body_sha256) for a in annotations]


def missing(annotation: Annotation) -> Anchored:
    """An annotation whose article is no longer in the corpus: nothing to anchor to.

    Not ``orphaned`` (its passage is gone from the article): re-attaching cannot help,
    only restoring the article file (or deleting the annotation).
    """
    return Anchored(annotation, "missing", None, None, 0.0)


def _tied_repeats(a: Annotation, body: str, window: str) -> bool:
    """Whether the whole window repeats, so :func:`_search` would find a perfect tie.

    With full context on both sides, each occurrence of ``prefix + exact + suffix``
    scores 1.0; two whose quotes do not overlap are rivals with no margin, so the
    search can only say ``orphaned``. Saying it at once spares the fuzzy alignments over
    the whole body (tens of ms each on a 500 KB article with repeated passages).
    """
    if len(a.prefix) != CONTEXT_CHARS or len(a.suffix) != CONTEXT_CHARS or not a.exact:
        return False
    if sum(1 for _ in _occurrences(a.exact, body, MAX_OCCURRENCES + 1)) > MAX_OCCURRENCES:
        return False  # the search scores only the first MAX_OCCURRENCES: not the same
    starts = list(_occurrences(window, body, MAX_OCCURRENCES))
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
    return len(starts) > 1 and min(gaps) >= len(a.exact)


def _context_holds(a: Annotation, body: str, start: int, end: int) -> bool:
    return (
        body[max(0, start - CONTEXT_CHARS) : start] == a.prefix
        and body[end : end + CONTEXT_CHARS] == a.suffix
    )


def score_span(a: Annotation, body: str, start: int, end: int) -> Candidate:
    """Similarity (0..1) of quote, prefix and suffix at ``body[start:end]``."""
    text = body[start:end]
    quote = 1.0 if text == a.exact else Levenshtein.normalized_similarity(a.exact, text)
    before = body[max(0, start - CONTEXT_CHARS) : start]
    after = body[end : end + CONTEXT_CHARS]
    return Candidate(
        start,
        end,
        quote,
        1.0 if before == a.prefix else Levenshtein.normalized_similarity(a.prefix, before),
        1.0 if after == a.suffix else Levenshtein.normalized_similarity(a.suffix, after),
    )


def candidates(a: Annotation, body: str) -> list[Candidate]:
    """Every place the passage could be now, scored."""
    spans = set(_exact_spans(a.exact, body))
    spans.update(_context_spans(a, body))
    spans.update(_fuzzy_spans(a.exact, body))
    return [score_span(a, body, s, e) for s, e in spans]


def _search(a: Annotation, body: str) -> Anchored:
    found = candidates(a, body)
    if not found:
        return Anchored(a, "orphaned", None, None, 0.0)
    found.sort(key=lambda c: (-c.score, abs(c.start - a.start), c.start))
    best = found[0]
    if best.quote < 1.0:
        # Text inserted next to an intact quote frames a larger "edited" span; the intact
        # quote inside it is the same passage and the better answer.
        intact = [c for c in found if c.quote == 1.0 and c.overlaps(best) and _good(c)]
        best = intact[0] if intact else best
    rival = next((c.score for c in found if not c.overlaps(best)), 0.0)
    accepted = _good(best) and best.score - rival >= MIN_MARGIN
    if not accepted:
        return Anchored(a, "orphaned", None, None, round(best.score, 3))
    if body[best.start : best.end] == a.exact:
        state: State = "exact" if (best.start, best.end) == (a.start, a.end) else "moved"
    else:
        state = "fuzzy"
    return Anchored(a, state, best.start, best.end, round(best.score, 3))


def _good(c: Candidate) -> bool:
    """Above every floor (the margin is checked against rivals separately)."""
    return (
        c.score >= MIN_SCORE
        and c.context >= MIN_CONTEXT
        and c.quote >= MIN_QUOTE
        and c.start < c.end
    )


def _occurrences(
    needle: str, body: str, limit: int, lo: int = 0, hi: int | None = None
) -> Iterator[int]:
    hi = len(body) if hi is None else hi
    at = body.find(needle, lo, hi)
    count = 0
    while at != -1 and count < limit:
        yield at
        count += 1
        at = body.find(needle, at + 1, hi)


def _exact_spans(exact: str, body: str) -> Iterator[tuple[int, int]]:
    for at in _occurrences(exact, body, MAX_OCCURRENCES):
        yield at, at + len(exact)


def _context_spans(a: Annotation, body: str) -> Iterator[tuple[int, int]]:
    """Spans framed by the prefix's tail and/or the suffix's head: where an edited quote sits."""
    tail = a.prefix[-ANCHOR_CHARS:]
    head = a.suffix[:ANCHOR_CHARS]
    size = len(a.exact)
    if len(tail) >= MIN_ANCHOR_CHARS:
        for at in _occurrences(tail, body, MAX_ANCHOR_HITS):
            start = at + len(tail)
            end = -1
            if len(head) >= MIN_ANCHOR_CHARS:
                end = body.find(head, start, start + 2 * size + FUZZY_REACH + len(head))
            yield start, end if end != -1 else min(len(body), start + size)
    if len(head) >= MIN_ANCHOR_CHARS:
        for at in _occurrences(head, body, MAX_ANCHOR_HITS):
            yield max(0, at - size), at


def _fuzzy_spans(exact: str, body: str) -> Iterator[tuple[int, int]]:
    """The best approximate match of the quote, and the best one outside it (the rival)."""
    if len(body) < len(exact) or not exact:
        return
    best = fuzz.partial_ratio_alignment(exact, body)
    if best is None or best.score == 0:
        return
    yield best.dest_start, best.dest_end
    for offset, part in ((0, body[: best.dest_start]), (best.dest_end, body[best.dest_end :])):
        if len(part) >= len(exact):
            other = fuzz.partial_ratio_alignment(exact, part)
            if other is not None and other.score > 0:
                yield offset + other.dest_start, offset + other.dest_end
