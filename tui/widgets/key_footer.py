"""The footer of every screen: Textual's Footer, re-composed only when its keys change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

Shown = tuple[tuple[str, str, str, bool, str | None], ...]


def shown_keys(screen: Screen[object]) -> Shown:
    """What a footer on ``screen`` displays: each shown binding's key, label and state."""
    app = screen.app
    return tuple(
        (binding.action, app.get_key_display(binding), binding.description, enabled, tooltip)
        for _node, binding, enabled, tooltip in screen.active_bindings.values()
        if binding.show
    )


class KeyFooter(Footer):
    """Textual's footer re-composes on every focus move, even when the keys stay the same.

    Each re-compose mounts a widget per key and lays the screen out again: at start-up
    there are three of them before the first frame (about 25 ms), and one on every tab
    between the search box, the filter and the table. Here the footer re-composes only
    when the keys it would show differ from those it shows.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = shown_keys(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
