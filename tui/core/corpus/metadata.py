"""Inferring title, source and date from an article's text when it has no front matter.

Only the header block (the short lines before the first paragraph) is trusted for
title, source and date; the body is never mined for a date, so unknown stays unknown.
"""

from __future__ import annotations

import re

from tui.core.corpus.dates import is_dateline, parse_date
from tui.core.models import Metadata, Span

TITLE_MAX = 90
_PARAGRAPH_WORDS = 20
_HEADER_MAX_LINES = 12
_SOURCE_HINT = re.compile(
    r"(?i)\b(?:blog|news|media|group|times|post|press|journal|review|agency|herald|gazette|"
    r"tribune|daily|magazine|network|wire|monitor|observer|guardian|telegraph|chronicle|"
    r"insider|digest|bulletin|radio|tv|broadcasting)\b"
)
_COPYRIGHT_OWNER = re.compile(
    r"(?i)(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
    r"(?P<owner>[^|.\n]+?)\s*(?:\.|\||all\s+rights\s+reserved|$)"
)
# A full stop after these is not the end of a sentence.
_ABBREVIATIONS = frozenset(
    ("mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "gen", "sen", "rep")
    + ("gov", "lt", "col", "sgt", "capt", "inc", "ltd", "co", "corp", "no", "e.g", "i.e")
    + ("u.s", "u.k", "u.n", "e.u", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep")
    + ("sept", "oct", "nov", "dec")
)
# A full stop followed by space, or a CJK full stop (no space follows those).
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*(?=\s+[\"“‘'(\[]?(\w))|[。！？]")


def infer_metadata(body: str, boilerplate: tuple[Span, ...]) -> Metadata:
    lines = _content_lines(body, boilerplate)
    header: list[str] = []
    first_paragraph = ""
    for text in lines[:_HEADER_MAX_LINES]:
        if len(text.split()) >= _PARAGRAPH_WORDS:
            first_paragraph = text
            break
        header.append(text)
    else:
        header = []  # no paragraph in sight: these are not header lines

    date = None
    source = None
    title = None
    for text in header:
        if date is None and is_dateline(text):
            date = parse_date(text)
        elif source is None and _SOURCE_HINT.search(text) and len(text.split()) <= 6:
            source = text
        elif title is None and len(text.split()) >= 3 and not text.endswith("."):
            title = text
    if source is None:
        source = _copyright_owner(body)
    if title is None:
        title = first_sentence(first_paragraph or (lines[0] if lines else ""))
    return Metadata(title=title or None, source=source, date=date)


def first_sentence(text: str, limit: int = TITLE_MAX) -> str:
    """The text's first sentence, cut at a word boundary to ``limit`` with an ellipsis."""
    sentence = text.strip()
    for match in _SENTENCE_END.finditer(sentence):
        following = match.group(1)
        if following is None:  # CJK full stop: keep it, it is part of the sentence
            sentence = sentence[: match.end()]
            break
        if not (following.isupper() or following.isdigit()):
            continue
        before = sentence[: match.start()].split()
        last = before[-1].lower() if before else ""
        if last in _ABBREVIATIONS or re.fullmatch(r"[^\W\d_]", last):
            continue  # "Mr. Putin", "Vladimir V. Putin", "the U.S. Senate"
        # A question or exclamation is part of the title; a full stop is not.
        keep = 0 if sentence[match.start()] == "." else 1
        sentence = sentence[: match.start() + keep]
        break
    sentence = sentence.rstrip(".。")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _content_lines(body: str, boilerplate: tuple[Span, ...]) -> list[str]:
    skipped = {start for start, _ in boilerplate}
    lines: list[str] = []
    start = 0
    for line in body.split("\n"):
        if start not in skipped and line.strip():
            lines.append(line.strip())
        start += len(line) + 1
    return lines


def _copyright_owner(body: str) -> str | None:
    for line in reversed(body.split("\n")):
        found = _COPYRIGHT_OWNER.search(line)
        if found and found.group("owner").strip():
            return found.group("owner").strip()
    return None
