"""Mail and news: ``.eml`` messages, and the header block a saved Usenet post or mail
starts with in a ``.txt`` file. Parsed with the standard ``email`` package.

Subject is the title, Date the date, From the author (the name, else the address), and
Organization, else the mailing list, else the first newsgroup the source. The body is
the message without its header block; for a multipart message, its text/plain part
(else its HTML part, as text).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser, HeaderParser
from pathlib import Path

from tui.core.corpus.formats import Extracted
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata

_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:(?:[ \t]|$)")
_MBOX_FROM = re.compile(r"^From \S+")
_KNOWN = frozenset(
    ("from", "subject", "date", "newsgroups", "message-id", "to", "organization", "path")
    + ("references", "lines", "sender", "reply-to", "xref", "nntp-posting-host", "cc")
)
_MAX_HEADER_LINES = 200


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return Extracted(pages=(_body_text(message, path, options),), metadata=header_metadata(message))


def split_headers(text: str) -> tuple[Metadata | None, str]:
    """A mail or news header block at the top of ``text`` (normalised), and the rest.

    Only a block of ``Name: value`` lines (and their continuations) that ends in a blank
    line and names at least two of From, Subject, Date, Newsgroups, Message-ID, ... counts:
    a text that starts with one "Note: ..." line is prose.
    """
    lines = text.split("\n", _MAX_HEADER_LINES + 2)
    start = 1 if lines and _MBOX_FROM.match(lines[0]) else 0
    known: set[str] = set()
    end = None
    for index in range(start, min(len(lines), start + _MAX_HEADER_LINES)):
        line = lines[index]
        if not line.strip():
            end = index
            break
        if _HEADER.match(line):
            known.add(line.split(":", 1)[0].lower())
        elif not (line[:1] in (" ", "\t") and index > start):
            return None, text
    if end is None or len(known & _KNOWN) < 2 or not known & {"from", "subject"}:
        return None, text
    block = "\n".join(lines[start:end]) + "\n\n"
    headers = HeaderParser(policy=policy.default).parsestr(block)
    body = text.split("\n", end + 1)[end + 1] if text.count("\n") > end else ""
    return header_metadata(headers), body.lstrip("\n")


def header_metadata(message: Message) -> Metadata:
    title = _header(message, "subject")
    author = None
    raw_from = _header(message, "from")
    if raw_from:
        name, address = email.utils.parseaddr(raw_from)
        author = name.strip() or address.strip() or raw_from
    source = _header(message, "organization")
    if source is None:
        listed = _header(message, "list-id")
        if listed:
            name, address = email.utils.parseaddr(listed)
            source = name.strip() or address.strip() or None
    if source is None:
        groups = _header(message, "newsgroups")
        if groups:
            source = groups.split(",")[0].strip() or None
    return Metadata(title=title, author=author, source=source, date=_date(message))


def _header(message: Message, name: str) -> str | None:
    """The header as written, encoded words decoded: parsed header objects drop the
    comment of an old-style ``From: larry@example.com (Larry Klaes)``."""
    from email.header import decode_header, make_header

    for key, value in message.raw_items():
        if key.lower() == name:
            raw = str(value)
            with contextlib.suppress(UnicodeError, LookupError, ValueError):
                raw = str(make_header(decode_header(raw)))  # a broken one stays as written
            text = " ".join(raw.split())
            return text or None
    return None


def _date(message: Message) -> dt.date | None:
    raw = _header(message, "date")
    if raw is None:
        return None
    try:
        return email.utils.parsedate_to_datetime(raw).date()
    except (TypeError, ValueError, IndexError):
        from tui.core.corpus.dates import parse_date

        return parse_date(raw)


def _body_text(message: EmailMessage, path: Path, options: ReadOptions) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise CorpusError(f"{path}: no text in this mail message (no text/plain or HTML part)")
    assert isinstance(part, EmailMessage)
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or wrong charset: detect instead
        from tui.core.corpus.decoding import decode

        payload = part.get_payload(decode=True)
        content = decode(payload if isinstance(payload, bytes) else b"", path, options.encoding)
    if not isinstance(content, str):
        raise CorpusError(f"{path}: no text in this mail message")
    if part.get_content_subtype() == "html":
        from tui.core.corpus.formats.html import html_text

        return html_text(content, path)
    return content
