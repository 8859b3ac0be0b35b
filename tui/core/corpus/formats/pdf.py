"""PDF: the text layer in reading order, page by page, by pdfminer.six.

pdfminer's layout analysis groups characters into lines and lines into text boxes in
reading order (columns included); each box becomes a paragraph, its lines joined with a
space (runs of spaces from justified lines made one) after words broken at a line end are
joined ("negotia-/tions"). Pages are separated
by a blank line and their start offsets kept, so a quote can cite its page. Title, Author
and CreationDate come from the PDF's document information.

A PDF with no text at all is a scan: it is reported ("no text layer; OCR it first"),
never loaded as an empty article. An encrypted one that needs a password is reported too.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from pathlib import Path
from typing import Any

from tui.core.corpus.formats import Extracted, dehyphenate
from tui.core.corpus.options import ReadOptions
from tui.core.errors import CorpusError
from tui.core.models import Metadata

NO_TEXT_LAYER = "no text layer; OCR it first (for example with ocrmypdf), then add the result"
_LIGATURES = str.maketrans(
    {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
)
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_TOOL_TITLE = re.compile(r"^(?:Microsoft (?:Word|PowerPoint|Excel) - |untitled\b)", re.I)
_FILE_TITLE = re.compile(r"\.(?:docx?|odt|pdf|rtf|pptx?|xlsx?|indd|qxd|tex)$", re.I)

logging.getLogger("pdfminer").addHandler(logging.NullHandler())
logging.getLogger("pdfminer").propagate = False  # its warnings are not the user's business


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorpusError(f"{path}: not a PDF file (it does not start with %PDF)")
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise CorpusError(
            f"{path}: encrypted PDF: it needs a password; save a copy without one and add that"
        ) from None
    except PDFEncryptionError as exc:
        raise CorpusError(f"{path}: encrypted PDF that cannot be read: {exc}") from None
    resources = PDFResourceManager(caching=True)
    device = PDFPageAggregator(resources, laparams=LAParams())
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[str] = []
    for page in PDFPage.create_pages(document):
        interpreter.process_page(page)
        pages.append(page_text(device.get_result()))
    if not any(page.strip() for page in pages):
        raise CorpusError(f"{path}: {NO_TEXT_LAYER}")
    return Extracted(pages=tuple(pages), metadata=_metadata(document), paginated=True)


def page_text(layout: Any) -> str:
    """The text boxes of one laid-out page, in pdfminer's reading order, as paragraphs."""
    from pdfminer.layout import LTTextBox

    paragraphs: list[str] = []
    for element in layout:
        if not isinstance(element, LTTextBox):
            continue
        text = dehyphenate(element.get_text().translate(_LIGATURES).strip())
        # Justified lines come out with runs of spaces: a PDF has no meaningful ones.
        paragraph = " ".join(text.split())
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def _metadata(document: Any) -> Metadata:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    info: dict[str, Any] = {}
    for entry in document.info or ():
        if isinstance(entry, dict):
            info.update(entry)

    def text(key: str) -> str | None:
        value = resolve1(info.get(key))
        if isinstance(value, bytes):
            value = decode_text(value)
        if not isinstance(value, str):
            return None
        value = " ".join(value.replace("\x00", "").split())
        return value or None

    title = text("Title")
    if title:
        title = _TOOL_TITLE.sub("", title).strip() or None
    if title and (_FILE_TITLE.search(title) or title.lower() in ("untitled", "title")):
        title = None  # "report_v3.docx" is the file the PDF was made from, not a title
    return Metadata(title=title, author=text("Author"), date=pdf_date(text("CreationDate")))


def pdf_date(value: str | None) -> dt.date | None:
    """``D:20230517100000+01'00'`` -> 2023-05-17; None when it is not such a date."""
    found = _PDF_DATE.match(value or "")
    if found is None:
        return None
    year, month, day = found.group(1), found.group(2) or "01", found.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
