"""Keys are handled one at a time, in the order they came, even when they come at once.

Textual hands a key to the focused widget and goes on with the next one; a key no widget
takes runs its binding only once it has bubbled back up to the app. Keys sent together
(a paste, a script, a fast typist) so reached the old focus before the binding of the
key before them had moved it: ``/putin`` sent at once opened the Tags screen (its ``t``
reached the table), and ``a`` then a tag lost the tag. Here a key waits until the one
before has been through the widget it went to and that widget's ancestors, the app's
callbacks it queued have run (a focus move), and a screen it opened has taken focus.
A key never waits more than :data:`KEY_WAIT`. Keys typed by hand, each after the app
has finished with the last, never wait.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from textual import events
from textual.app import App, ReturnType
from textual.message import Message
from textual.screen import Screen

KEY_WAIT = 0.5
"""Seconds a key waits for the one before at most (a widget closed with it in its queue)."""
SCREEN_POLL = 0.005
"""Seconds between two looks at whether a newly opened screen has taken focus."""


class KeyDone(Message):
    """Posted behind a key to the widget it went to, bubbling up the same way: when it
    reaches the app, so has the key, or a widget on the way took it."""

    def __init__(self, key: events.Key) -> None:
        super().__init__()
        self.key = key


class OrderedKeysApp(App[ReturnType]):
    """An app whose keys from the terminal go through :meth:`_arrive` one at a time."""

    def __init__(self) -> None:
        super().__init__()
        self._held: deque[events.Key] = deque()
        self._current: events.Key | None = None
        self._key_screen: Screen[Any] | None = None
        self._since = 0.0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self._arrive(event)
        else:
            await super().on_event(event)

    def on_key_done(self, message: KeyDone) -> None:
        if message.key is self._current:
            # Behind what the key's action queued on the app (Widget.focus is deferred).
            self.call_later(self._next, message.key)

    async def _arrive(self, key: events.Key) -> None:
        if self._current is not None and time.monotonic() - self._since < KEY_WAIT:
            if not self._held:
                self.set_timer(KEY_WAIT, self._expire)
            self._held.append(key)
            return
        await self._run(key)

    async def _run(self, key: events.Key) -> None:
        self._current, self._key_screen, self._since = key, self.screen, time.monotonic()
        target = self.focused or self.screen
        await super().on_event(key)  # Textual's way: priority bindings, else to the focus
        if key.is_forwarded:
            target.post_message(KeyDone(key))
        else:  # a priority binding took it
            self.call_later(self._next, key)

    async def _next(self, key: events.Key) -> None:
        if key is not self._current:
            return
        screen = self.screen
        waiting = time.monotonic() - self._since < KEY_WAIT
        if screen is not self._key_screen and waiting:
            # A screen opened or came back: let it first take what was queued for it
            # (its mount, a dialog's result), then come back here.
            self._key_screen = screen
            screen.post_message(KeyDone(key))
        elif screen.focused is None and screen.focus_chain and waiting:
            self.set_timer(SCREEN_POLL, lambda: self._next(key))  # its focus is on the way
        else:
            await self._release()

    async def _expire(self) -> None:
        if self._current is not None and time.monotonic() - self._since >= KEY_WAIT:
            await self._release()
        if self._held:
            self.set_timer(KEY_WAIT, self._expire)

    async def _release(self) -> None:
        self._current = None
        while self._held and self._current is None:
            await self._run(self._held.popleft())
