"""Parsing the XML inside office and e-book files safely: no entities, no network, no DTD."""

from __future__ import annotations

from typing import Any


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
