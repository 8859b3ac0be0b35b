"""Another tool's offsets on the normalised body: CRLF counted once, NFC, whole characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.refi.offsets import OffsetMap
from tui.core.text import normalise

PIECES = [
    "a",
    "e",
    "q",
    " ",
    "\u0301",
    "\u0308",
    "\u0307",
    "\u0328",
    "\r",
    "\n",
    "\r\n",
    "😀",
    "👍",
    "🏽",
    "中",
    "\u1100",
    "\u1161",
    "\u11a8",
    "\uac00",
    "\ufeff",
    "Å",
    "\u212b",
]


def test_plain_text_maps_to_itself() -> None:
    mapping = OffsetMap("plain ascii\nand 中文 😀")
    assert mapping.text == "plain ascii\nand 中文 😀"
    assert [mapping.start(i) for i in range(len(mapping.text) + 1)] == list(
        range(len(mapping.text) + 1)
    )


def test_crlf_counts_once() -> None:
    raw = "one\r\ntwo\r\nthree"
    mapping = OffsetMap(raw)
    start = raw.index("three")
    assert mapping.text[mapping.start(start) : mapping.end(start + 5)] == "three"
    assert mapping.start(start) == start - 2


def test_decomposed_accents_count_once_and_inner_positions_widen() -> None:
    raw = "cafe\u0301 au lait"
    mapping = OffsetMap(raw)
    assert mapping.text == "café au lait"
    assert mapping.text[mapping.start(0) : mapping.end(5)] == "café"
    # Between the e and its accent: a start moves back, an end forward (whole characters).
    assert (mapping.start(4), mapping.end(4)) == (3, 4)
    assert mapping.text[mapping.start(4) : mapping.end(len(raw))] == "é au lait"


def test_hangul_jamo_compose_into_one_syllable() -> None:
    raw = "\u1100\u1161\u11a8!"  # ᄀ + ᅡ + ᆨ -> 각
    mapping = OffsetMap(raw)
    assert mapping.text == "각!"
    assert (mapping.start(3), mapping.end(4)) == (1, 2)
    assert (mapping.start(1), mapping.end(1)) == (0, 1)


def test_positions_outside_are_clamped() -> None:
    mapping = OffsetMap("abc")
    assert (mapping.start(-5), mapping.end(99)) == (0, 3)
    assert (OffsetMap("").start(0), OffsetMap("").end(3)) == (0, 0)


texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@given(texts, st.data())
def test_the_map_agrees_with_the_body_and_never_loses_text(raw: str, data: st.DataObject) -> None:
    mapping = OffsetMap(raw)
    assert mapping.text == normalise(raw)
    s = data.draw(st.integers(0, len(raw)))
    e = data.draw(st.integers(s, len(raw)))
    start, end = mapping.start(s), mapping.end(e)
    assert 0 <= start <= end <= len(mapping.text)
    assert mapping.start(0) == 0 and mapping.end(len(raw)) == len(mapping.text)

    # At a boundary both ends agree on (not inside a character, not inside "\r\n"), the
    # mapped span is exactly the selected text, normalised.
    def boundary(i: int) -> bool:
        inside_crlf = 0 < i < len(raw) and raw[i - 1 : i + 1] == "\r\n"
        return mapping.start(i) == mapping.end(i) and not inside_crlf

    if boundary(s) and boundary(e):
        assert mapping.text[start:end] == normalise(raw[s:e])
    else:
        # Widened to whole characters: the selection's own text is inside what is kept.
        assert mapping.start(s) <= mapping.start(e) and mapping.end(s) <= mapping.end(e)


@given(texts)
def test_the_map_is_monotonic(raw: str) -> None:
    mapping = OffsetMap(raw)
    starts = [mapping.start(i) for i in range(len(raw) + 1)]
    ends = [mapping.end(i) for i in range(len(raw) + 1)]
    assert starts == sorted(starts) and ends == sorted(ends)
    assert all(s <= e for s, e in zip(starts, ends, strict=True))
