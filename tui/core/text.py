"""The normalised body: the one text every character offset in Gloss refers to.

Offsets are Python ``str`` indices (Unicode code points) into the body returned by
:func:`normalise`; the W3C TextPositionSelector counts the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?")

# Scripts written without spaces between words, as regular-expression class ranges.
HAN_KANA = (
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u3096\u309d-\u309f"  # hiragana
    "\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff"  # katakana (not the ・ between names)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han ideographs
    "\uff66-\uff9f"  # half-width katakana
    "\U00020000-\U0003134f"  # Han ideographs beyond the BMP
)
"""Chinese and Japanese: every character is a word for counting, a unit for search."""
HANGUL = "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
"""Korean: words are separated by spaces, but particles are written onto them."""
CJK = HAN_KANA + HANGUL
"""What search cuts into overlapping character pairs (see ``tui.core.search.analysis``)."""

WORD_RE = re.compile(rf"[{HAN_KANA}]|[^\W{HAN_KANA}]+(?:['’][^\W{HAN_KANA}]+)*")
"""A word to count: a run of letters and digits (``China's`` is one), or one Chinese or
Japanese character, as word processors count them (those scripts put no spaces between
words; Korean does, so a Korean word counts once)."""
# C0 controls except tab and newline, DEL, and the C1 controls.
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""Marks, embeddings, overrides and isolates: they reorder what a terminal shows."""
INVISIBLE_FORMATS = "\u180e\u200b\u2060-\u2064\u206a-\u206f\ufeff\ufff9-\ufffb"
"""Zero-width format characters (Unicode Cf) that hide text between visible letters.

Not ZWNJ/ZWJ (U+200C/D), the soft hyphen or tag characters: Persian and Indic words and
emoji sequences need them, and they cannot reorder text.
"""
BIDI_MARK = "\u21c6"  # ⇆
INVISIBLE_MARK = "\u237d"  # ⍽
_CONTROL_RE = re.compile(f"[{_CONTROLS}{BIDI_CONTROLS}{INVISIBLE_FORMATS}]")
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")


def normalise(text: str) -> str:
    """Line endings to ``\\n`` and Unicode to NFC, so equal text has equal offsets."""
    return unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))


def body_sha256(body: str) -> str:
    """The fingerprint annotations keep of the body they were made on."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    """Words of ``text`` as :data:`WORD_RE` counts them (the library's Words column)."""
    return len(WORD_RE.findall(text))


def neutralise_controls(text: str) -> str:
    """Make control characters visible, one character for one, so offsets still hold.

    Corpus text may carry escape sequences; printed raw they would drive the terminal.
    Bidi controls (``⇆``) could show a quote reversed (Trojan Source), zero-width
    characters (``⍽``) hide what is between letters: both are shown, never sent.
    """

    def visible(match: re.Match[str]) -> str:
        char = match.group()
        code = ord(char)
        if code < 0x20:
            return chr(0x2400 + code)  # ␀..␟, e.g. ESC -> ␛
        if code == 0x7F:
            return "\u2421"  # ␡
        if code <= 0x9F:
            return "\ufffd"
        return BIDI_MARK if _BIDI_RE.match(char) else INVISIBLE_MARK

    return _CONTROL_RE.sub(visible, text)


def line_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of every line of the body, newline excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in body.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans
