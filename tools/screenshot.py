"""Refresh the README's screenshot of the reader: ``.venv/bin/python -m tools.screenshot``.

Copies the seeds to a temporary project, annotates a few passages through the store
(three tags, three codebook colours), then drives the app as a user would: search,
enter on the top hit, and the app's own ``screenshot`` action writes the SVG.
Nothing is written to the repository but the SVG.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "docs" / "reader.svg"
QUERY = "harbin"
ARTICLE = "004_bb928d6639fb2ab5"
NOTES = [
    ("Harbin, a Chinese city with Russian history", ["place/harbin"], "Symbolic venue"),
    ("economic and military ties between the two countries are", ["theme/alliance"], ""),
    (
        "state-run university known for its cutting-edge",
        ["theme/defence"],
        "Defence research: check the university's sanctions status",
    ),
]
COLOURS = {"place/harbin": "#88c0d0", "theme/alliance": "#ebcb8b", "theme/defence": "#bf616a"}


def make_project(folder: Path) -> Path:
    """A project like `gloss init` makes, with the seeds and a few annotations."""
    from tui.core.project import resolve_project
    from tui.core.workspace import Workspace

    shutil.copytree(REPO / "seeds", folder / "seeds")
    (folder / "annotations").mkdir()
    (folder / "gloss.toml").write_text('corpus = "seeds"\nannotations = "annotations"\n')
    workspace = Workspace(resolve_project(cwd=folder))
    article = workspace.corpus.get(ARTICLE)
    for quote, tags, note in NOTES:
        start = article.body.index(quote)
        workspace.store.add(article, start, start + len(quote), tags, note)
    for tag, colour in COLOURS.items():
        workspace.store.set_tag(tag, colour=colour)
    return folder


async def shoot(folder: Path, out: Path, size: tuple[int, int]) -> None:
    from tui.app import GlossApp
    from tui.core.project import resolve_project

    app = GlossApp(resolve_project(cwd=folder))
    async with app.run_test(size=size) as pilot:
        while not app.library.index_ready:
            await pilot.pause(0.05)
        await pilot.press("slash", *QUERY)
        while app.library.hits is None or app.library.hits.query != QUERY:
            await pilot.pause(0.05)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.unlink(missing_ok=True)
        await app.run_action(f"screenshot({out.name!r}, {str(out.parent)!r})")
        while not out.exists() or not out.read_text(encoding="utf-8").endswith("</svg>\n"):
            await pilot.pause(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--size", default="100x30", help="terminal size, COLSxROWS")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="gloss-shot-") as tmp:
        for name in ("CACHE", "CONFIG", "DATA"):  # never the user's own folders
            os.environ[f"GLOSS_{name}"] = str(Path(tmp) / name.lower())
        folder = make_project(Path(tmp) / "project")
        asyncio.run(shoot(folder, args.output.resolve(), (cols, rows)))
    print(args.output)


if __name__ == "__main__":
    main()
