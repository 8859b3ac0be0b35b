"""How text is shown on screen: counts, folders, corpus text made safe, text cut to fit.

Every screen, widget and dialog shows text through these, so a count, a path or a quote
reads the same everywhere. Corpus text never reaches the terminal raw: control
characters become visible stand-ins, one character for one, so offsets still point right.
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len

# str.splitlines() (which TextArea's Document uses) breaks on these too; the body does
# not, so they are shown as visible stand-ins to keep rows and offsets in step.
_LINE_BREAKERS = str.maketrans({"\u2028": "\u21b5", "\u2029": "\u00b6", "\x85": "\ufffd"})
# Terminals disagree on how wide these make the emoji before them (tmux draws a skin
# tone as two more cells and ignores U+FE0F; Rich, which lays out every row, counts the
# opposite), and a row that is wider or narrower than laid out drags the panel beside it.
# A zero-width space in their place has one width everywhere, and keeps one for one.
_WIDTH_DISPUTED = str.maketrans(
    dict.fromkeys([0xFE0F, *range(0x1F3FB, 0x1F400)], "\u200b")  # U+FE0F, skin tones
)
_READING = _LINE_BREAKERS | _WIDTH_DISPUTED
# str.translate looks up every character of the text in the table (38 ms on a 500 KB
# body); a regex finds the few that are there in about 2 ms, and only they are replaced.


def _character_class(codes: list[int]) -> re.Pattern[str]:
    """A regex matching any of ``codes``, consecutive ones as a range (a class of single
    astral characters is several times slower to search)."""
    ranges: list[list[int]] = []
    for code in sorted(codes):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


_READING_RE = _character_class(list(_READING))


def plural(count: int, noun: str) -> str:
    """``1 article``, ``1,204 articles``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def file_size(size: int) -> str:
    """``840 B``, ``500 KB``, ``2.3 MB``: a file's size as file managers show it (SI)."""
    if size < 1000:
        return f"{size} B"
    if round(size / 1000) < 1000:
        return f"{size / 1000:.0f} KB"
    return f"{size / 1_000_000:.1f} MB"


def display_path(path: Path) -> str:
    """A folder as the user would type it: relative to the working folder, or with ``~``.

    The working folder itself is shown by its name (``corpus``), never as ``.``: a header
    reading ``Gloss — .`` names nothing.
    """
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        if path == base:
            return (path.name or str(path)) if not prefix else "~"
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return str(path)


def display_text(body: str) -> str:
    """A body as the reading pane shows it: same length, nothing the terminal would obey."""
    # Imported here, as in one_line: the first frame does not need tui.core.text.
    from tui.core.text import neutralise_controls

    return _READING_RE.sub(_reading_stand_in, neutralise_controls(body))


def _reading_stand_in(match: re.Match[str]) -> str:
    return str(_READING[ord(match.group())])


def one_line(text: str) -> str:
    """Corpus text made safe for one table cell: controls visible, newlines as spaces.

    Both replacements keep one character for one, so hit offsets still point right.
    """
    from tui.core.text import neutralise_controls

    flat = text.replace("\n", " ").replace("\t", " ")
    return neutralise_controls(flat).translate(_WIDTH_DISPUTED)


def clip(text: str, width: int) -> str:
    """Corpus text on one line, runs of spaces as one, cut with ``…`` past ``width``."""
    flat = " ".join(display_text(text).split())
    return flat if len(flat) <= width else flat[: max(0, width - 1)] + "…"


def keep_end(text: str, width: int) -> str:
    """``text`` cut from the left with an ellipsis: a path's last folders say the most."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    tail = text
    while cell_len(tail) > width - 1:
        tail = tail[1:]
    return "…" + tail


__all__ = ["clip", "display_path", "display_text", "keep_end", "one_line", "plural"]
