"""Saved web pages: the main article text and its metadata, by trafilatura.

trafilatura removes navigation, cookie banners, newsletter boxes, "related" lists,
comments, scripts and styles (it leads the public article-extraction benchmarks; see the
README), and reads the title, author, date, site name and canonical URL from JSON-LD,
OpenGraph and ``<meta>`` tags. Gloss turns its XML body into text: headings and
paragraphs are paragraphs (a blank line between), list items and table rows are lines.
The date is only taken from what the page states (no guessing from its text).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

from tui.core.corpus.formats import Extracted
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SNIFF_BYTES = 4096
_TITLE_SEPARATOR = r"\s*[|–—:·•-]\s*"
_BLOCKS = ("p", "head", "quote", "code")
_MIN_WORDS = 4
NO_TEXT = "no article text found in this web page (nothing but navigation, scripts or links)"

for _name in ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer"):
    # Their warnings ("discarding data", "empty tree") would reach stderr through
    # logging's last-resort handler; the one-line problem says what matters.
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    page = decode_html(data, path, options)
    found = _extraction(page)
    if found is None or found.body is None:
        raise CorpusError(f"{path}: {NO_TEXT}")
    text = body_text(found.body)
    if len(text.split()) < _MIN_WORDS:  # a lone "Home" is what is left of a menu
        raise CorpusError(f"{path}: {NO_TEXT}")
    return Extracted(pages=(text,), metadata=_metadata(found))


def html_text(page: str, path: Path) -> str:
    """The main text of an HTML string (a mail's HTML part)."""
    found = _extraction(page)
    if found is None or found.body is None:
        raise CorpusError(f"{path}: {NO_TEXT}")
    return body_text(found.body)


def decode_html(data: bytes, path: Path, options: ReadOptions) -> str:
    """The page's own charset declaration first, then UTF-8, then the corpus's encoding or
    detection, as browsers do."""
    from tui.core.corpus.decoding import decode
    from tui.core.corpus.options import codec_name

    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if declared:
        name = codec_name(declared.group(1).decode("ascii", "replace"))
        if name in ("iso8859-1", "ascii"):
            name = "cp1252"  # what browsers read for these labels (WHATWG)
        if name is not None:
            try:
                return data.decode(name)
            except UnicodeDecodeError:
                pass  # a wrong declaration: fall through to detection
    return decode(data, path, options.encoding)


def _extraction(page: str) -> Any:
    from trafilatura import bare_extraction
    from trafilatura.settings import set_date_params

    # lxml refuses a str that carries its own encoding declaration (XHTML files).
    page = _XML_DECLARATION.sub("", page, count=1)
    return bare_extraction(
        page,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        with_metadata=True,
        date_extraction_params=set_date_params(extensive=False),
    )


def body_text(body: Any) -> str:
    """trafilatura's XML body as text: blocks separated by blank lines, items by lines."""
    blocks: list[str] = []
    for element in body:
        tag = element.tag
        if tag in _BLOCKS:
            blocks.append(_inline(element).strip())
        elif tag == "list":
            items = [_inline(item).strip() for item in element.iter("item")]
            blocks.append("\n".join(f"- {item}" for item in items if item))
        elif tag == "table":
            rows = []
            for row in element.iter("row"):
                cells = [" ".join(_inline(cell).split()) for cell in row.iter("cell")]
                if any(cells):
                    rows.append(" | ".join(cells))
            blocks.append("\n".join(rows))
        else:
            blocks.append(_inline(element).strip())
    return "\n\n".join(block for block in blocks if block)


def _inline(element: Any) -> str:
    """The text of an element, ``<lb/>`` as a line break."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _metadata(found: Any) -> Metadata:
    source = _clean(found.sitename) or _host(found.hostname)
    return Metadata(
        title=strip_site_name(_clean(found.title), source),
        source=source,
        author=_clean(found.author),
        date=_date(found.date),
        url=_clean(found.url),
    )


def strip_site_name(title: str | None, site: str | None) -> str | None:
    """ "Eastern Wire | Headline" and "Headline - Eastern Wire" -> "Headline"."""
    if not title or not site:
        return title
    name = re.escape(site)
    found = re.fullmatch(rf"{name}{_TITLE_SEPARATOR}(.+)", title, re.I) or re.fullmatch(
        rf"(.+?){_TITLE_SEPARATOR}{name}", title, re.I
    )
    return found.group(1).strip() if found else title


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def _host(hostname: object) -> str | None:
    host = _clean(hostname)
    return host.removeprefix("www.") if host else None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
