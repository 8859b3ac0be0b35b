"""Test helper: validate JSON against the W3C annotation-model test assertions.

See ../shared/README.md: every item against annotations/annotationMusts.test, the
collection against collections/collectionMusts.test. An assertion fails only where the
result differs from ``expectedResult`` and ``onUnexpectedResult`` is ``failAndContinue``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

# A verbatim copy of ../shared/w3c-annotation-model (see its VENDORED.md).
MODEL = Path(__file__).resolve().parents[2] / "w3c-annotation-model"
SHARED_MODEL = Path(__file__).resolve().parents[4] / "shared" / "w3c-annotation-model"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def registry() -> Registry:
    resources = []
    for path in sorted((MODEL / "definitions").glob("*.json")):
        schema = _load(path)
        resources.append(
            (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


@cache
def assertions(test_file: str) -> tuple[tuple[str, dict[str, Any]], ...]:
    listed = _load(MODEL / test_file)["assertions"]
    return tuple((name, _load(MODEL / name)) for name in listed)


def failures(instance: Any, test_file: str) -> list[str]:
    """Names and messages of the MUST assertions ``instance`` fails."""
    checker = jsonschema.Draft4Validator.FORMAT_CHECKER
    failed = []
    for name, schema in assertions(test_file):
        validator = jsonschema.Draft4Validator(schema, registry=registry(), format_checker=checker)
        valid = validator.is_valid(instance)
        expected = schema.get("expectedResult", "valid") == "valid"
        if (
            valid != expected
            and schema.get("onUnexpectedResult", "failAndContinue") == "failAndContinue"
        ):
            failed.append(f"{name}: {schema.get('errorMessage', schema.get('title'))}")
    return failed
