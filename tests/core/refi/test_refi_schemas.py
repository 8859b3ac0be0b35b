"""The vendored REFI-QDA schemas: the shared ones, byte for byte, and a validator that can fail."""

from __future__ import annotations

import pytest
import xmlschema

from tests.core.refi.refi_schemas import (
    FIXTURE,
    REFI,
    SHARED_REFI,
    validate_codebook,
    validate_project,
)


@pytest.mark.skipif(not SHARED_REFI.is_dir(), reason="no ../shared beside this clone")
@pytest.mark.parametrize("name", ["Project.xsd", "Codebook.xsd"])
def test_vendored_schema_equals_shared(name: str) -> None:
    assert (REFI / name).read_bytes() == (SHARED_REFI / name).read_bytes()


def test_the_hand_written_fixture_is_a_valid_project() -> None:
    validate_project((FIXTURE / "project.qde").read_bytes())


def test_the_fixture_source_keeps_its_crlf_line_ends() -> None:
    """The fixture tests offset mapping: git must not have turned its CRLF into LF."""
    raw = (FIXTURE / "sources" / "7C2E1D40-5B7A-4C89-9E4B-1A2B3C4D5E6F.txt").read_bytes()
    assert raw.count(b"\r\n") == 5


@pytest.mark.parametrize(
    "xml",
    [
        # isCodable is required
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        '<Code guid="c0de0000-0000-4000-8000-000000000001" name="x"/></Codes></CodeBook>'
        "</Project>",
        # a GUID must look like one
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users>'
        '<User guid="not-a-guid" name="ana"/></Users></Project>',
        # the wrong namespace
        '<Project xmlns="urn:QDA-XML:project:9" name="p"/>',
    ],
)
def test_the_validator_rejects_invalid_projects(xml: str) -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validate_project(xml)


def test_the_validator_rejects_an_empty_codebook() -> None:
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        validate_codebook('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
