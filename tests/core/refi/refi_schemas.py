"""Test helper: validate REFI-QDA documents with a real XSD validator (xmlschema).

The schemas are the standard's own Project.xsd and Codebook.xsd, vendored in
``tests/refi-qda/`` (see its VENDORED.md).
"""

from __future__ import annotations

import io
import zipfile
from functools import cache
from pathlib import Path

import xmlschema

REFI = Path(__file__).resolve().parents[2] / "refi-qda"
SHARED_REFI = Path(__file__).resolve().parents[4] / "shared" / "refi-qda"
FIXTURE = REFI / "fixture"


@cache
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFI / "Project.xsd"))


@cache
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(REFI / "Codebook.xsd"))


def validate_project(xml: bytes | str) -> None:
    """Raises xmlschema's validation error, naming the element, if the XML is not valid."""
    project_schema().validate(xml if isinstance(xml, str) else xml.decode("utf-8"))


def validate_codebook(xml: str) -> None:
    codebook_schema().validate(xml)


def validate_qdpx(data: bytes) -> zipfile.ZipFile:
    """The package opened, after checking its project.qde against Project.xsd."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    validate_project(archive.read("project.qde"))
    return archive


def zip_fixture(target: Path, root: Path = FIXTURE) -> Path:
    """The hand-written fixture (project.qde and sources/) as a .qdpx at ``target``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(root / "project.qde", "project.qde")
        for path in sorted((root / "sources").iterdir()):
            archive.write(path, f"sources/{path.name}")
    return target
