"""Turning an article file's bytes into text: UTF-8 first, else a detected encoding."""

from __future__ import annotations

from pathlib import Path

from tui.core.errors import CorpusError

_BOM = "\ufeff"
_WESTERN_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 first (BOM stripped), else the encoding charset-normalizer detects."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if b"\x00" in data:
            raise CorpusError(f"{path}: cannot decode: binary data, not text") from None
        from charset_normalizer import from_bytes  # rarely needed, slow to import

        matches = from_bytes(data)
        best = matches.best()
        if best is None:
            raise CorpusError(
                f"{path}: cannot decode: not UTF-8 and no text encoding fits"
            ) from None
        # Short Western text fits cp1250, cp1252 and cp1257 equally well and the detector
        # takes the first ("Café" came out as "Cafķ"): on a tie, prefer the Western one.
        tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        western = [m for m in tied if m.encoding in _WESTERN_ENCODINGS]
        text = str(min(western, key=lambda m: _WESTERN_ENCODINGS.index(m.encoding), default=best))
    return text.removeprefix(_BOM)
