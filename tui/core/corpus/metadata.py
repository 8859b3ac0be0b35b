"""Inferring title, source and date from an article's text when it has no front matter.

Only the header block (the short lines before the first paragraph) is trusted for
title, source and date; the body is never mined for a date, so unknown stays unknown.
A source must look like a name ("ICARO Media Group", "Le Monde", "新华社"): a line of
licence text or prose never becomes one. A copyright notice names the source only when
it is a short line that starts with the notice and has a year or a ©/(c) mark; the
owner is what is left without the mark, the years, "by" and "All rights reserved".
"""

from __future__ import annotations

import datetime as dt
import re

from tui.core.corpus.dates import is_dateline, parse_date, split_dateline
from tui.core.models import Metadata, Span

TITLE_MAX = 90
_PARAGRAPH_WORDS = 20
_HEADER_MAX_LINES = 12
_SOURCE_HINT = re.compile(
    r"(?i)\b(?:blog|news|media|group|times|post|press|journal|review|agency|herald|gazette|"
    r"tribune|daily|magazine|network|wire|monitor|observer|guardian|telegraph|chronicle|"
    r"insider|digest|bulletin|radio|tv|broadcasting)\b"
)
_COPYRIGHT_START = re.compile(r"(?i)^(?:copyright\b|©|\(c\))")
_COPYRIGHT_MARKS = re.compile(r"(?i)^(?:copyright\b|©|\(c\)|[\s:])+")
_COPYRIGHT_YEARS = re.compile(r"^\d{4}(?:\s*[-–,/]\s*\d{2,4})*[,.]?\s*")
_HAS_YEAR_OR_MARK = re.compile(r"(?i)©|\(c\)|\b(?:19|20)\d{2}\b")
_RESERVED = re.compile(r"(?i)[,.;]?\s*all\s+rights\s+reserved.*$")
_COPYRIGHT_MAX = 100
_NAME_MAX_WORDS = 6
_NAME_SEPARATORS = " —–-|·:,"
# Lower-case words a name may hold ("Bank of America", "Le Monde des Livres").
_CONNECTORS = frozenset(
    ("of", "and", "the", "de", "du", "des", "la", "le", "les", "für", "und", "der", "die")
    + ("das", "del", "di", "da", "do", "y", "e", "van", "von", "on", "for", "in", "&", "et")
)
# Words of licence text and manuals, which never name a source.
_NOT_NAMES = frozenset(
    ("holder", "holders", "liable", "claim", "damages", "warranty", "warranties", "notice")
    + ("permission", "copies", "software", "license", "licence", "licensed", "owner")
    + ("owners", "authors", "contributors", "year", "years", "name", "rights", "reserved")
    + ("copyright", "update", "all", "this", "that", "any", "see", "file", "program")
)
_NOT_IN_NAMES = re.compile(r"[{}<>\[\]@/\\=;\"]|https?:|www\.")
_CJK_NAME = re.compile(r"^[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]{2,12}$")
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
        elif date is None and (named := _named_dateline(text)) is not None:
            date = named[1]
            source = source or named[0]
        elif (
            source is None
            and _SOURCE_HINT.search(text)
            and len(text.split()) <= 6
            and looks_like_name(text)
        ):
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


def _named_dateline(line: str) -> tuple[str | None, dt.date] | None:
    """ "Le Monde — 12 mars 2024", "新华社 2024年5月16日": a source, then a date. A place
    before a comma ("Paris, 12 mars 2024") gives the date alone."""
    found = split_dateline(line)
    if found is None:
        return None
    before, date = found
    name = before.strip().rstrip(_NAME_SEPARATORS).strip()
    if not name:
        return None
    separated = before.rstrip() != before.rstrip().rstrip("—–-|·")
    if (separated or _CJK_NAME.match(name)) and looks_like_name(name):
        return name, date
    if before.rstrip().endswith(",") and looks_like_name(name) and len(name.split()) <= 3:
        return None, date  # a dateline's place, not a source
    return None


def looks_like_name(text: str) -> bool:
    """A publication, company or person: a few capitalised words (connectors aside), or a
    short CJK name; never a sentence, a licence phrase or a template placeholder."""
    text = text.strip()
    if not text or _NOT_IN_NAMES.search(text) or text.endswith(":"):
        return False
    if _CJK_NAME.match(text):
        return True
    words = text.replace("’", "'").split()
    if len(words) > _NAME_MAX_WORDS or not (text[0].isupper() or text[0].isdigit()):
        return False
    letters = [w.strip(",.'&()-") for w in words]
    if any(w.lower() in _NOT_NAMES for w in letters):
        return False
    if len(words) > 3 and all(w.isupper() for w in letters if w):
        return False  # "HOLDERS BE LIABLE FOR ANY CLAIM": shouting prose
    return all(
        not w or w[0].isupper() or w[0].isdigit() or w.lower() in _CONNECTORS for w in letters
    )


def copyright_owner(line: str) -> str | None:
    """The owner a short copyright notice names ("Copyright © 2018 BBC. All rights
    reserved." -> "BBC"), or None."""
    line = line.strip()
    if len(line) > _COPYRIGHT_MAX or not _COPYRIGHT_START.match(line):
        return None
    if not _HAS_YEAR_OR_MARK.search(line):
        return None  # "Copyright: Richard Verhoeven" is a manual's heading, not a notice
    rest = _COPYRIGHT_MARKS.sub("", line)
    rest = _COPYRIGHT_YEARS.sub("", rest)
    rest = re.sub(r"(?i)^by\s+", "", rest)
    rest = _RESERVED.sub("", rest)
    rest = re.sub(r"\s*\|.*$", "", rest)  # "BBC | Privacy | Terms"
    rest = re.sub(r"\s*\([^)]*@[^)]*\)|\s*<[^>]*>", "", rest)  # an address after the name
    owner = rest.strip().rstrip(".").strip(" ,;:-–—")
    return owner if looks_like_name(owner) else None


def _copyright_owner(body: str) -> str | None:
    for line in reversed(body.split("\n")):
        owner = copyright_owner(line)
        if owner is not None:
            return owner
    return None
