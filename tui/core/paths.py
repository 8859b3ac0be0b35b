"""Where Gloss keeps what is not the user's: caches, user config, data.

Each has a ``GLOSS_*`` environment override so tests and read-only setups can move it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP_NAME = "gloss"


def _dir(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser() if value else default


def cache_dir() -> Path:
    """Disposable data such as search indexes (``GLOSS_CACHE``)."""
    return _dir("GLOSS_CACHE", platformdirs.user_cache_path(APP_NAME))


def config_dir() -> Path:
    """The user's settings, e.g. ``config.toml`` with the author name (``GLOSS_CONFIG``)."""
    return _dir("GLOSS_CONFIG", platformdirs.user_config_path(APP_NAME))


def data_dir() -> Path:
    """Annotation stores for corpora outside any project (``GLOSS_DATA``)."""
    return _dir("GLOSS_DATA", platformdirs.user_data_path(APP_NAME))


def folder_key(folder: Path) -> str:
    """A readable, collision-safe name for per-corpus folders: ``name-<hash of path>``."""
    absolute = folder.resolve()
    digest = hashlib.sha256(str(absolute).encode("utf-8")).hexdigest()[:12]
    return f"{absolute.name or 'root'}-{digest}"


_CORE = Path(__file__).parent


def code_digest(modules: tuple[str, ...], salt: str = "") -> str:
    """A digest of Gloss's own modules (``"annotations/model"`` for
    ``tui/core/annotations/model.py``), so a cache another Gloss wrote is never reused."""
    digest = hashlib.sha256(salt.encode())
    for name in modules:
        digest.update((_CORE / f"{name}.py").read_bytes())
    return digest.hexdigest()
