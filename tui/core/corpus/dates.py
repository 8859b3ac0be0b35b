"""Recognising the date lines news pages print, and reading them as ISO dates."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateutil import parser as date_parser

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# Day first for numeric dates: the seeds and most non-US outlets write 26/04/2024.
_NUMERIC_DMY = r"\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b"
_ISO = r"\b\d{4}-\d{2}-\d{2}\b"
_DAY_MONTH_YEAR = rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b"
_MONTH_DAY_YEAR = rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
DATE_RE = re.compile(rf"{_ISO}|{_NUMERIC_DMY}|{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}", re.IGNORECASE)
# What may stand around a date on a dateline: a weekday, a time, "Published", "Updated".
_DATELINE_EXTRA = re.compile(
    r"(?i)\b(?:published|updated|posted|on|at|mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
    r"|\b\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:am|pm|utc|gmt|[a-z]{3,4})?\b|[\s,:|·•-]+"
)


@lru_cache(maxsize=8192)  # datelines repeat across a corpus; dateutil is the slow part
def parse_date(text: str) -> dt.date | None:
    """The first date written in ``text``, or None when there is none."""
    found = DATE_RE.search(text)
    if found is None:
        return None
    raw = found.group()
    try:
        if re.fullmatch(_ISO, raw):
            return dt.date.fromisoformat(raw)
        parsed: dt.datetime = date_parser.parse(raw, dayfirst=True, fuzzy=True)
        return parsed.date()
    except (ValueError, OverflowError):
        return None


def is_dateline(line: str) -> bool:
    """True when the line is a date and nothing more than a time or a "Published"."""
    found = DATE_RE.search(line)
    if found is None:
        return False
    rest = line[: found.start()] + " " + line[found.end() :]
    return _DATELINE_EXTRA.sub("", rest) == "" and parse_date(line) is not None
