"""The user's settings file (``<config dir>/config.toml``): for now, who is annotating."""

from __future__ import annotations

import getpass
import tomllib
from pathlib import Path

from tui.core.errors import GlossError
from tui.core.paths import config_dir

CONFIG_FILE = "config.toml"


class ConfigError(GlossError):
    """The user config file cannot be read."""


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def read_config(path: Path | None = None) -> dict[str, object]:
    """The parsed config, or ``{}`` when there is none. Never written by Gloss."""
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
