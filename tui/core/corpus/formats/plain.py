"""Text files (``.txt``, ``.md``): decoded, normalised, with their front matter or mail
header block taken out of the body and read as metadata."""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.corpus.decoding import decode
from tui.core.corpus.formats import Extracted
from tui.core.corpus.frontmatter import split_front_matter
from tui.core.corpus.options import ReadOptions
from tui.core.text import normalise


def extract(data: bytes, path: Path, options: ReadOptions) -> Extracted:
    text = normalise(decode(data, path, options.encoding))
    front, body = split_front_matter(text, path)
    if front is not None:
        return Extracted(pages=(body,), metadata=front, front_matter=True)
    if not _MAYBE_HEADERS.match(text):
        return Extracted(pages=(text,))
    from tui.core.corpus.formats.mail import split_headers  # the email package, when needed

    headers, body = split_headers(text)
    if headers is not None:
        return Extracted(pages=(body,), metadata=headers)
    return Extracted(pages=(text,))


_MAYBE_HEADERS = re.compile(r"[A-Za-z][A-Za-z0-9-]*:|From ")
