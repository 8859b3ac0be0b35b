"""The zip packages office and e-book files are, and the XML inside them, read safely:
no entities, no network, no DTD."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from tui.core.errors import CorpusError


def bad_zip(path: Path, label: str) -> CorpusError:
    return CorpusError(
        f"{path}: not a readable {label}: the file is damaged or truncated (bad zip)"
    )


def open_zip(data: bytes, path: Path, label: str) -> zipfile.ZipFile:
    """The package of a DOCX-like file; a truncated or damaged one is one line naming it."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise bad_zip(path, label) from None


def parse_xml(data: bytes, recover: bool = False) -> Any:
    """An lxml element tree root; entity expansion and external fetches are off (XXE)."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=recover, huge_tree=False
    )
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("no XML document")
    return root


def local(tag: object) -> str:
    """``{namespace}p`` -> ``p``; comments and processing instructions give ``""``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
