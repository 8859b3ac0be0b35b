"""Finding the corpus and annotation store: flags, then ``GLOSS_*`` env, then gloss.toml."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from tui.core.corpus.options import DEFAULT_OPTIONS, ReadOptions, codec_name
from tui.core.errors import ProjectError
from tui.core.paths import data_dir, folder_key

PROJECT_FILE = "gloss.toml"
NO_PROJECT = (
    "no corpus: run gloss inside a folder with a gloss.toml (create one with "
    "'gloss init DIR'), or pass --corpus DIR, or set GLOSS_CORPUS"
)


@dataclass(frozen=True, slots=True)
class Project:
    corpus: Path
    annotations: Path
    config_file: Path | None = None
    read_options: ReadOptions = DEFAULT_OPTIONS
    """How the corpus's files are read (``encoding``, ``max_document_mb`` in gloss.toml)."""
    search: str | None = None
    """A PostgreSQL URL to search in instead of the embedded index (``search`` in
    gloss.toml, or ``GLOSS_SEARCH``); None: the Whoosh index in the user cache."""


def find_project_file(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def _load_project_file(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror}") from None


def read_project_file(path: Path) -> tuple[Path | None, Path | None]:
    """The corpus and annotation folders a gloss.toml names, resolved against it."""
    data = _load_project_file(path)
    folders: list[Path | None] = []
    for key in ("corpus", "annotations"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise ProjectError(f"{path}: '{key}' must be a folder path (a string)")
        folders.append((path.parent / value).resolve() if value else None)
    return folders[0], folders[1]


def read_project_options(path: Path) -> ReadOptions:
    """``encoding`` and ``max_document_mb`` from a gloss.toml; a bad value names the key."""
    data = _load_project_file(path)
    encoding = data.get("encoding")
    if encoding is not None:
        name = codec_name(encoding) if isinstance(encoding, str) else None
        if name is None:
            raise ProjectError(
                f"{path}: 'encoding' must name a text encoding such as \"cp1252\" or "
                f'"latin-1", not {encoding!r}'
            )
        encoding = name
    cap = data.get("max_document_mb", DEFAULT_OPTIONS.max_document_mb)
    if isinstance(cap, bool) or not isinstance(cap, int | float) or cap <= 0:
        raise ProjectError(f"{path}: 'max_document_mb' must be a positive number of megabytes")
    return ReadOptions(encoding=encoding, max_document_mb=float(cap))


def read_project_search(path: Path) -> str | None:
    """``search`` from a gloss.toml: the PostgreSQL URL a team searches in, if any."""
    value = _load_project_file(path).get("search")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip().startswith(("postgresql:", "postgres:")):
        raise ProjectError(
            f"{path}: 'search' must be a PostgreSQL URL such as "
            '"postgresql://analyst@db.example.org/gloss", not ' + repr(value)
        )
    return value.strip()


def resolve_project(
    corpus: Path | None = None,
    annotations: Path | None = None,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> Project:
    """Apply the overrides, strongest first: arguments, environment, project file."""
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    corpus = corpus or _env_path(env, "GLOSS_CORPUS")
    annotations = annotations or _env_path(env, "GLOSS_ANNOTATIONS")
    config_file = None
    options = DEFAULT_OPTIONS
    search = env.get("GLOSS_SEARCH") or None
    if corpus is None or annotations is None:
        config_file = find_project_file(cwd)
        if config_file is not None:
            file_corpus, file_annotations = read_project_file(config_file)
            if corpus is None and file_corpus is not None:
                # How to read a corpus is said of the corpus the file names, not another.
                options = read_project_options(config_file)
            if search is None and (corpus is None or (cwd / corpus).resolve() == file_corpus):
                search = read_project_search(config_file)  # the shared index of its corpus
            corpus = corpus or file_corpus
            annotations = annotations or file_annotations
    if corpus is None:
        raise ProjectError(NO_PROJECT)
    corpus = (cwd / corpus).resolve()
    if not corpus.is_dir():
        raise ProjectError(f"{corpus}: corpus folder not found")
    if annotations is None:
        # A corpus outside any project: keep its annotations in the user's data folder,
        # never inside the corpus (it may be read-only).
        annotations = data_dir() / "annotations" / folder_key(corpus)
    return Project(
        corpus=corpus,
        annotations=(cwd / annotations).resolve(),
        config_file=config_file,
        read_options=options,
        search=search,
    )


def _env_path(env: Mapping[str, str], name: str) -> Path | None:
    value = env.get(name)
    return Path(value).expanduser() if value else None


def init_project(folder: Path, corpus: str = ".", annotations: str = "annotations") -> Path:
    """Write ``folder/gloss.toml``; refuse to overwrite one that exists."""
    if not folder.is_dir():
        raise ProjectError(f"{folder}: folder not found")
    target = folder / PROJECT_FILE
    if target.exists():
        raise ProjectError(f"{target}: already exists; edit it or remove it first")
    if not (folder / corpus).is_dir():
        raise ProjectError(f"{folder / corpus}: corpus folder not found")
    content = tomli_w.dumps({"corpus": corpus, "annotations": annotations})
    header = "# Gloss project: folders are relative to this file.\n"
    target.write_text(header + content, encoding="utf-8")
    return target
