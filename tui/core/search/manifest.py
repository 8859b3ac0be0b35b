"""The index's record of what it holds: per article the file's stat, a fingerprint, and the
stat of its annotation file.

Checking freshness reads this small JSON file and stats the corpus; only files whose
size or mtime differ are read again. It is written (atomically) only after the index
commit it describes, so a build killed half-way leaves no manifest and is redone.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_FILE = "gloss-manifest.json"

Stat = tuple[int, int]
"""A file's ``(size, mtime_ns)``: enough to tell it changed without reading it."""


@dataclass
class Entry:
    """One indexed article (``fingerprint`` set) or one unreadable file (``problem`` set)."""

    stat: Stat
    fingerprint: str | None = None
    notes: Stat | None = None
    problem: str | None = None

    def to_json(self) -> list[object]:
        return [
            list(self.stat),
            self.fingerprint,
            list(self.notes) if self.notes else None,
            self.problem,
        ]

    @classmethod
    def from_json(cls, data: list[object]) -> Entry:
        stat, fingerprint, notes, problem = data
        return cls(
            stat=(int(stat[0]), int(stat[1])),  # type: ignore[index]
            fingerprint=fingerprint,  # type: ignore[arg-type]
            notes=(int(notes[0]), int(notes[1])) if notes else None,  # type: ignore[index]
            problem=problem,  # type: ignore[arg-type]
        )


@dataclass
class Manifest:
    schema: int
    corpus: str
    entries: dict[str, Entry] = field(default_factory=dict)

    @property
    def indexed(self) -> int:
        return sum(1 for entry in self.entries.values() if entry.fingerprint is not None)


def load_manifest(folder: Path) -> Manifest | None:
    """The manifest, or None when it is missing or unreadable (the index is then rebuilt)."""
    try:
        data = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        return Manifest(
            schema=int(data["schema"]),
            corpus=str(data["corpus"]),
            entries={key: Entry.from_json(value) for key, value in data["entries"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def save_manifest(folder: Path, manifest: Manifest) -> None:
    """Write to a temporary file in the same folder, fsync, rename over the old one."""
    data = {
        "schema": manifest.schema,
        "corpus": manifest.corpus,
        "entries": {key: entry.to_json() for key, entry in sorted(manifest.entries.items())},
    }
    handle, temporary = tempfile.mkstemp(prefix=".manifest-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / MANIFEST_FILE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def forget_manifest(folder: Path) -> None:
    """Mark the index as incomplete before rewriting it from scratch."""
    (folder / MANIFEST_FILE).unlink(missing_ok=True)
