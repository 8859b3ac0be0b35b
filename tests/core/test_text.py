"""The normalised body and its offsets: the contract everything else relies on."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.corpus.decoding import decode
from tui.core.corpus.load import load_corpus
from tui.core.errors import CorpusError
from tui.core.text import body_sha256, line_spans, neutralise_controls, normalise

PATH = Path("x.txt")


def test_decode_prefers_utf8_and_strips_the_bom() -> None:
    assert decode("\ufeffMoskva – Москва".encode(), PATH) == "Moskva – Москва"


def test_decode_falls_back_to_detection() -> None:
    text = "Le café était très bon, naïve résumé à Paris. " * 3
    assert decode(text.encode("latin-1"), PATH) == text


def test_decode_refuses_binary() -> None:
    with pytest.raises(CorpusError, match="x.txt: cannot decode"):
        decode(b"\x00\x01\xff\xfe", PATH)


def test_normalise_line_endings_and_unicode() -> None:
    assert normalise("a\r\nb\rc\n") == "a\nb\nc\n"
    assert normalise("e\u0301") == "\u00e9"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalise_is_idempotent_and_lf_only(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_neutralise_controls_keeps_every_offset(text: str) -> None:
    shown = neutralise_controls(text)
    assert len(shown) == len(text)
    for original, visible in zip(text, shown, strict=True):
        if original in "\n\t" or (original.isprintable() and original == visible):
            assert visible == original
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown


def test_neutralise_controls_makes_escapes_visible() -> None:
    assert neutralise_controls("a\x1b[31mb\x07\tc\n") == "a␛[31mb␇\tc\n"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_line_spans_cover_every_line(text: str) -> None:
    spans = line_spans(text)
    assert [text[s:e] for s, e in spans] == text.split("\n")
    assert all(text[e] == "\n" for _, e in spans[:-1])


lines = st.text(
    alphabet=st.characters(
        blacklist_categories=["Cs"], blacklist_characters="\r\n\u2028\u2029\x85"
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(lines, max_size=6), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_offsets_in_the_body_survive_line_endings_and_bom(
    tmp_path_factory: pytest.TempPathFactory, body_lines: list[str], newline: str, bom: bool
) -> None:
    """The same text saved as CRLF/CR/LF, with or without BOM, gives the same body and offsets."""
    folder = tmp_path_factory.mktemp("c")
    raw = newline.join(body_lines)
    (folder / "a.txt").write_bytes(("\ufeff" if bom else "").encode() + raw.encode("utf-8"))
    (folder / "b.txt").write_bytes("\n".join(body_lines).encode("utf-8"))
    corpus = load_corpus(folder)
    if raw.startswith("+++"):
        return  # front matter syntax: covered elsewhere
    a, b = corpus.get("a"), corpus.get("b")
    assert a.body == b.body == normalise("\n".join(body_lines))
    assert a.sha256 == b.sha256 == body_sha256(a.body)
    for start, end in a.boilerplate:
        assert 0 <= start <= end <= len(a.body)
        assert a.body[start:end] == b.body[start:end]


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u180e\u200b\u2060\u2061\u2062\u2063\u2064\ufeff"


def test_bidi_and_zero_width_characters_are_made_visible() -> None:
    """Issue 17 #16: U+202E and U+200B reached the terminal as they were (Trojan Source)."""
    text = "\u202eevil\u202c and width\u200bspace\ufeff"
    shown = neutralise_controls(text)
    assert shown == "⇆evil⇆ and width⍽space⍽"
    assert len(shown) == len(text)
    assert all(neutralise_controls(c) == "⇆" for c in BIDI)
    assert all(neutralise_controls(c) == "⍽" for c in ZERO_WIDTH)
    # Joiners and the soft hyphen shape Persian, Indic and emoji text: kept as they are.
    kept = "می\u200cخواهم 👨\u200d👩\u200d👧 co\u00adop"
    assert neutralise_controls(kept) == kept


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list(BIDI + ZERO_WIDTH) + ["a", "é", "中", "\n", "\x1b"])))
def test_no_bidi_or_zero_width_character_is_left_and_offsets_hold(text: str) -> None:
    shown = neutralise_controls(text)
    assert len(shown) == len(text)
    assert not set(shown) & set(BIDI + ZERO_WIDTH + "\x1b")
    for index, char in enumerate(text):
        if char in "aé中\n":
            assert shown[index] == char
