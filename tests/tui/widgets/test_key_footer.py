"""The footer re-composes only when the keys it shows change, and always shows the right ones."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from tui.app import GlossApp
from tui.widgets.key_footer import KeyFooter, shown_keys


def footer_labels(footer: KeyFooter) -> list[str]:
    """The labels of the footer's keys, less the palette's (not a binding of the screen)."""
    return [str(key.description) for key in footer.query(FooterKey) if key.description != "palette"]


def test_focus_moves_recompose_the_footer_only_when_its_keys_change(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        footer = app.screen.query_one(KeyFooter)
        recomposed = 0
        recompose = footer.recompose

        async def counting() -> None:
            nonlocal recomposed
            recomposed += 1
            await recompose()

        footer.recompose = counting  # type: ignore[method-assign]
        table_keys = footer_labels(footer)
        assert {"Filter", "Sort", "Quit", "Keys", "Tags"} <= set(table_keys)

        seen: list[tuple[str, int]] = []
        for selector in ("#search", "#filter", "#search", "#articles"):
            app.screen.query_one(selector).focus()
            await pilot.pause()
            await pilot.pause()
            seen.append((selector, recomposed))
            assert footer_labels(footer) == shown_labels(app)
        # Search box and filter show the same keys: moving between them re-composes nothing.
        assert seen == [("#search", 1), ("#filter", 1), ("#search", 1), ("#articles", 2)]
        assert footer_labels(footer) == table_keys

    drive(scenario)


def shown_labels(app: GlossApp) -> list[str]:
    return [description for _, _, description, _, _ in shown_keys(app.screen)]


def test_the_reader_footer_shows_the_reader_keys_compactly_at_80_columns(
    drive: Callable[..., None],
) -> None:
    async def scenario(app: GlossApp, pilot: Pilot[None]) -> None:
        app.open_reader(sorted(app.workspace.corpus.articles)[0])
        await pilot.pause()
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert footer.compact
        assert {"Back", "Select", "Annotate", "Panel"} <= set(footer_labels(footer))
        assert footer_labels(footer) == shown_labels(app)

    drive(scenario, size=(80, 24))
