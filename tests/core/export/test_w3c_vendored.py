"""The vendored W3C assertions are the ones in ../shared, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.export.w3c_schemas import MODEL, SHARED_MODEL


def files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_vendored_copy_is_complete() -> None:
    assert (MODEL / "annotations" / "annotationMusts.test").is_file()
    assert (MODEL / "collections" / "collectionMusts.test").is_file()
    assert len(list((MODEL / "definitions").glob("*.json"))) >= 7


@pytest.mark.skipif(not SHARED_MODEL.is_dir(), reason="no ../shared beside this clone")
def test_vendored_copy_equals_shared() -> None:
    vendored = files(MODEL)
    vendored.pop(MODEL.joinpath("VENDORED.md").relative_to(MODEL))
    assert vendored == files(SHARED_MODEL)
