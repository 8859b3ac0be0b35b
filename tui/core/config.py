"""The user's settings file (``<config dir>/config.toml``): who is annotating, theme, keys."""

from __future__ import annotations

import getpass
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import GlossError
from tui.core.paths import config_dir

CONFIG_FILE = "config.toml"


class ConfigError(GlossError):
    """The user config file cannot be read."""


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def read_config(path: Path | None = None) -> dict[str, object]:
    """The parsed config, or ``{}`` when there is none (Gloss only ever sets one
    top-level string in it: :func:`set_top_level`)."""
    path = path or config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def author_name(path: Path | None = None) -> str:
    """``author`` from the config, else the login name: who wrote an annotation."""
    path = path or config_path()
    value = read_config(path).get("author")
    if value is not None:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{path}: 'author' must be a non-empty string")
        return value.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def set_top_level(name: str, value: str, path: Path | None = None) -> Path:
    """Set the top-level string ``name`` (``theme``) in config.toml, keeping the rest.

    The user edits this file: only the one line ``name = ...`` is replaced (or added at
    the top), so comments, order and tables stay as written. A file that cannot be read
    or is not valid TOML raises :class:`ConfigError` and is left byte-identical; so is
    one whose ``name`` is not a plain one-line setting that can be replaced safely.
    """
    from tui.core.fileio import write_atomic

    path = path or config_path()
    before = read_config(path)  # raises on a broken file: nothing is written
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f"{name} = {json.dumps(value, ensure_ascii=False)}"  # a TOML basic string
    pattern = re.compile(rf"^{re.escape(name)}\s*=.*$", re.MULTILINE)
    header = re.search(r"^\s*\[", text, re.MULTILINE)  # the top level ends at a table
    top = text[: header.start()] if header else text
    if pattern.search(top):
        new = pattern.sub(lambda _: line, top, count=1) + text[len(top) :]
    else:
        new = f"{line}\n{text}"
    try:
        after = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        after = None
    if after != {**before, name: value}:
        raise ConfigError(
            f"{path}: cannot set {name!r} without rewriting other lines: set it by hand"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, new)
    return path


@dataclass(frozen=True, slots=True)
class UserSettings:
    """What the app applies from config.toml; each setting it cannot use is in ``problems``."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problems: tuple[str, ...] = ()


def parse_settings(
    config: Mapping[str, object],
    path: Path,
    themes: Iterable[str],
    command_ids: Callable[[], Iterable[str]],
) -> UserSettings:
    """The theme and the ``[keys]`` table (command id = key), each checked on its own.

    A setting that cannot be used is dropped with a one-line reason naming it and the
    file, and the rest still applies: a bad theme never costs the keys, nor one unknown
    command id the others. ``command_ids`` is only called when there is a ``[keys]``.
    """
    problems: list[str] = []
    theme = config.get("theme")
    known_themes = sorted(set(themes))
    if theme is not None and theme not in known_themes:
        shown = repr(theme) if isinstance(theme, str) else f"{theme!r} (not a string)"
        problems.append(f"unknown theme {shown} in {path}: use one of {', '.join(known_themes)}")
        theme = None
    keys = config.get("keys", {})
    keymap: dict[str, str] = {}
    if not isinstance(keys, dict):
        problems.append(f'[keys] in {path} must map command ids to keys, e.g. quit = "ctrl+q"')
    elif keys:
        known = set(command_ids())
        for name, value in keys.items():
            if name not in known:
                problems.append(f"unknown command id {name!r} in [keys] of {path}")
            elif not isinstance(value, str) or not value.strip():
                problems.append(
                    f'[keys] {name} in {path} must be a key name, e.g. {name} = "ctrl+g"'
                )
            else:
                keymap[name] = value
    return UserSettings(keymap, theme if isinstance(theme, str) else None, tuple(problems))
