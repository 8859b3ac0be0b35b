"""What every REFI-QDA reader and writer shares: namespaces, GUIDs, text and times.

GUIDs are derived (uuid5) from Gloss's own ids, so exporting the same project twice gives
the same file and a re-export diffs cleanly. Text going into XML is made XML 1.0-safe
one character for one (control characters become visible pictures, as on screen).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET

from tui.core.annotations.model import normalise_note
from tui.core.text import neutralise_controls

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_FILE = "project.qde"
SOURCES_DIR = "sources"
"""Lowercase, as the standard's text says: ATLAS.ti rejects ``Sources/``."""
INTERNAL = "internal://"

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gloss:refi-qda")
_NOT_XML = re.compile("[\ufffe\uffff\ud800-\udfff]")


def guid(kind: str, *parts: str) -> str:
    """A stable GUID for one kind of thing (``article``, ``annotation``, ...) and its ids."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join((kind, *parts))))


def xml_document(root: ET.Element) -> str:
    """The element as an indented UTF-8 XML document with its declaration."""
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def local_name(tag: str) -> str:
    """``{urn:...}Code`` -> ``Code``: files from other tools use other namespace versions."""
    return tag.rpartition("}")[2]


def xml_text(text: str) -> str:
    """Text XML 1.0 can hold: line breaks as ``\\n``, control characters made visible."""
    return _NOT_XML.sub("\ufffd", neutralise_controls(normalise_note(text)))


def xsd_datetime(value: str) -> str | None:
    """A Gloss time as ``xsd:dateTime`` in UTC (None when empty or unreadable)."""
    moment = _parse_time(value)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gloss_time(value: str | None) -> str:
    """Another tool's ``xsd:dateTime`` as Gloss writes times (UTC, to the second); a time
    without a zone is taken as UTC. Empty when absent or unreadable."""
    moment = _parse_time(value or "")
    return "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(value: str) -> dt.datetime | None:
    text = value.strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)
