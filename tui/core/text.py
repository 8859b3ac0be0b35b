"""The normalised body: the one text every character offset in Gloss refers to.

Offsets are Python ``str`` indices (Unicode code points) into the body returned by
:func:`normalise`; the W3C TextPositionSelector counts the same way.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NEWLINES = re.compile(r"\r\n?")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
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
