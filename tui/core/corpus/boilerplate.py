"""Lines that are page furniture rather than article text.

They are reported as spans so the reader can dim them and search can down-weight
them; they are never removed from the body, so offsets stay true to the file.
"""

from __future__ import annotations

import re

from tui.core.corpus.dates import is_dateline
from tui.core.models import Span
from tui.core.text import line_spans

_FURNITURE = re.compile(
    r"(?ix)^(?:"
    r"share(?:\s+(?:this|on)\b.*)?|print(?:\s+this\b.*)?|e-?mail(?:\s+this\b.*)?|tweet|"
    r"related(?:\s+(?:articles|stories|posts|news|content))?|read\s+more\b.*|"
    r"exit\s+mobile\s+version|advertisement|sponsored(?:\s+content)?|"
    r"subscribe\b.*|sign\s+up\b.*|follow\s+us\b.*|comments?|leave\s+a\s+(?:comment|reply)|"
    r"skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|(?:previous|next)\s+(?:article|post)"
    r")[.:!]?$"
)
_IMAGE_FILE = re.compile(r"(?i)^\S+\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif)$")
_CREDIT = re.compile(
    r"(?i)^(?:(?:photo|image|picture|source|credit|photograph|illustration)s?"
    r"(?:\s+credit)?\s*:|\(?(?:photo|image)\s+by\b|.*\b(?:getty\s+images|reuters/|ap\s+photo)\b)"
    r"|\bcontributed\s+(?:to\s+)?(?:this|the)\s+report\b"
)
_COPYRIGHT = re.compile(r"(?i)^(?:©|\(c\)|copyright\b)|\ball\s+rights\s+reserved\b")
_DISCLAIMER = re.compile(r"(?i)\bviews\s+expressed\b.*\b(?:not|n't)\s+(?:necessarily\s+)?reflect")
_POLL_HEADING = re.compile(r"(?i)^polls?\b")
_POLL_RESULT = re.compile(r"^\s*\d+\s*\(\d{1,3}%\)\s*$")
# A poll block runs until real prose starts again.
_PROSE_WORDS = 40
_DATELINE_MAX = 60


def find_boilerplate(body: str) -> tuple[Span, ...]:
    """Spans (whole lines, newline excluded) that are boilerplate, in order."""
    spans: list[Span] = []
    lines = line_spans(body)
    in_poll = False
    date_run: list[Span] = []

    def flush_dates() -> None:
        # One date alone is a dateline (metadata); a run of them is a list of links.
        if len(date_run) >= 2:
            spans.extend(date_run)
        date_run.clear()

    for start, end in lines:
        text = body[start:end].strip()
        if not text:
            continue
        words = len(text.split())
        if words >= _PROSE_WORDS:
            # Prose: never furniture, and it ends a poll. Skipping the patterns here is
            # what keeps loading fast, since most of a body is long lines.
            flush_dates()
            in_poll = False
            continue
        if len(text) <= _DATELINE_MAX and is_dateline(text):
            date_run.append((start, end))
            continue
        flush_dates()
        if _POLL_HEADING.match(text) and words <= 6:
            in_poll = True
        if in_poll or _POLL_RESULT.match(text) or _is_furniture(text):
            spans.append((start, end))
    flush_dates()
    spans.sort()
    return tuple(spans)


def _is_furniture(text: str) -> bool:
    return bool(
        _FURNITURE.match(text)
        or _IMAGE_FILE.match(text)
        or _CREDIT.search(text)
        or _COPYRIGHT.search(text)
        or _DISCLAIMER.search(text)
    )
