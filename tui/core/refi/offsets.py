"""Another tool's character offsets placed on the Gloss body of the same text.

REFI-QDA counts Unicode code points of the plain-text source from 0 (specification 10.2),
as Gloss does, but Gloss offsets refer to the *normalised* body (:func:`tui.core.text.normalise`:
``\\r\\n`` and ``\\r`` become ``\\n``, Unicode becomes NFC). A source written by another tool
may be neither, so every offset is mapped explicitly: a ``\\r\\n`` counts once, and a
character written decomposed (``e`` + combining acute) counts once. A position that falls
inside what becomes one character (between the ``e`` and its accent) widens the
selection to the whole character: a start moves back, an end moves forward.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass

from tui.core.text import normalise


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True, slots=True)
class _Piece:
    """A stretch of the line-feed text and what it becomes; ``exact`` maps one to one."""

    start: int
    end: int
    target: int
    target_end: int
    exact: bool


class OffsetMap:
    """Offsets into ``raw`` (as another tool counted them) to offsets into ``text``.

    ``text`` equals ``normalise(raw)``; ``start``/``end`` map a selection's two ends.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        # Stage 1: line endings. Only "\r\n" changes length (a lone "\r" becomes "\n").
        self._crlf = [i for i in _find_all(raw, "\r\n")]
        lf = raw.replace("\r\n", "\n").replace("\r", "\n")
        # Stage 2: NFC, worked out line by line (nothing composes across a line break).
        self._pieces = _nfc_pieces(lf)
        self._starts = [p.start for p in self._pieces]
        self.text = "".join(
            _nfc(lf[p.start : p.end]) if not p.exact else lf[p.start : p.end] for p in self._pieces
        )
        if self.text != normalise(raw):  # pragma: no cover - a broken invariant, not input
            raise AssertionError("offset map disagrees with tui.core.text.normalise")

    def start(self, offset: int) -> int:
        return self._map(offset, up=False)

    def end(self, offset: int) -> int:
        return self._map(offset, up=True)

    def _map(self, offset: int, up: bool) -> int:
        offset = min(max(offset, 0), len(self.raw))
        lf = offset - bisect.bisect_left(self._crlf, offset)
        if not self._pieces:
            return 0
        index = max(0, bisect.bisect_right(self._starts, lf) - 1)
        piece = self._pieces[index]
        if lf >= piece.end:
            return piece.target_end
        if piece.exact:
            return piece.target + (lf - piece.start)
        return piece.target if lf == piece.start or not up else piece.target_end


def _find_all(text: str, needle: str) -> list[int]:
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + len(needle))
    return found


def _nfc_pieces(text: str) -> list[_Piece]:
    """The text cut into pieces that normalise on their own; exact ones keep their length."""
    pieces: list[_Piece] = []
    target = 0
    line_start = 0
    while line_start <= len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end == -1 else line_end + 1
        line = text[line_start:line_end]
        if unicodedata.is_normalized("NFC", line):
            if line:
                pieces.append(_Piece(line_start, line_end, target, target + len(line), exact=True))
                target += len(line)
        else:
            for start, end in _clusters(line):
                size = len(_nfc(line[start:end]))
                exact = size == end - start and _nfc(line[start:end]) == line[start:end]
                pieces.append(
                    _Piece(line_start + start, line_start + end, target, target + size, exact)
                )
                target += size
        if line_end >= len(text):
            break
        line_start = line_end
    return pieces


def _clusters(line: str) -> list[tuple[int, int]]:
    """Spans of the line that NFC-normalise independently: a starter with its combining
    marks, joined with the next when NFC would compose across (Hangul jamo, for one)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(line) + 1):
        if index == len(line) or unicodedata.combining(line[index]) == 0:
            runs.append((start, index))
            start = index
    clusters: list[tuple[int, int]] = []
    for run in runs:
        if clusters:
            g_start, g_end = clusters[-1]
            group, following = line[g_start:g_end], line[run[0] : run[1]]
            if _nfc(group + following) != _nfc(group) + _nfc(following):
                clusters[-1] = (g_start, run[1])
                continue
        clusters.append(run)
    return clusters
