"""Issue 17, item 5: a Chinese name inside a clause is a match in the app, every time."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import settle
from tui.app import GlossApp
from tui.widgets.article_table import ArticleTable

CJK = (
    "中俄关系\n\n中华人民共和国主席习近平与俄罗斯总统普京举行会谈。习近平说，西方制裁推动了"
    "中俄合作。制裁の影響は大きい。\nXi Jinping 习近平 met Putin 普京 to discuss sanctions 制裁\n"
)


def test_every_occurrence_of_a_chinese_name_is_a_match_in_the_reader(
    project_dir: Path, drive: Callable[..., None]
) -> None:
    (project_dir / "seeds" / "cjk.txt").write_text(CJK, encoding="utf-8")

    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        from tui.screens.reader import ReaderScreen

        await pilot.press("slash", *"习近平")
        await settle(pilot)
        hits = app.library.query_one(ArticleTable).entries
        assert [hit.id for hit in hits] == ["cjk"]
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        body = app.workspace.corpus.get("cjk").body
        assert [body[s:e] for s, e in reader.matches] == ["习近平"] * 3
        assert app.workspace.corpus.get("cjk").words > 60

    drive(scenario)
