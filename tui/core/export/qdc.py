"""REFI-QDA codebook export (``.qdc``): the tags alone, for another tool or project.

One ``CodeBook`` (namespace ``urn:QDA-XML:codebook:1.0``) with the code tree of
:mod:`tui.core.refi.codes`: the same GUIDs, names, colours and descriptions as in a
``.qdpx`` export of the same project.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from tui import __version__
from tui.core.annotations.codebook import Codebook
from tui.core.annotations.model import AnnotationError
from tui.core.refi.codes import code_tree, codes_element
from tui.core.refi.vocabulary import CODEBOOK_NS, xml_document


def to_qdc(codebook: Codebook, used: Iterable[str] = ()) -> str:
    """The codebook's tags and those in ``used``; an empty codebook is an error (the
    schema needs at least one code)."""
    tree = code_tree(codebook, used)
    if not tree:
        raise AnnotationError("no tags to export: the codebook is empty and nothing is tagged")
    # Unqualified children under a default namespace declared on the root, as in qdpx.
    root = ET.Element("CodeBook", xmlns=CODEBOOK_NS, origin=f"Gloss {__version__}")
    root.append(codes_element(tree))
    return xml_document(root)
