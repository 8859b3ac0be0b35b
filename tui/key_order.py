"""Keys are handled one at a time, in the order they came, even when they come at once.

Textual hands a key to the focused widget and goes on with the next one; a key no widget
takes runs its binding only once it has bubbled back up to the app. Keys sent together
(a paste, a script, a fast typist) so reached the old focus before the binding of the
key before them had moved it: ``/putin`` sent at once opened the Tags screen (its ``t``
reached the table), and ``a`` then a tag lost the tag. Here a key waits until the one
before has been through the widget it went to and that widget's ancestors; if it reached
the app, until what its binding posted there has been handled too (``enter`` in a field
submits through a message); until the app's callbacks it queued have run (a focus move);
and until a screen it opened or went back to has taken what was queued for it, has
focus and has been laid out once. A key never waits more than :data:`KEY_WAIT`; a paste
waits with the keys. Keys typed by hand, each after the app has finished with the last,
never wait.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from textual import events
from textual.app import App, ReturnType
from textual.message import Message
from textual.message_pump import MessagePump
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
    """An app whose keys (and pastes) from the terminal are handled one at a time."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key_held: deque[events.Key | events.Paste] = deque()
        self._key_current: events.Key | None = None
        self._key_target: MessagePump | None = None
        self._key_screen: Screen[Any] | None = None
        self._key_since = 0.0
        self._key_rounds = 0
        """KeyDone rounds still to come back for the current key."""
        self._key_new_screen = False
        self._key_refreshed = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self._key_arrive(event)
        else:
            await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        if event is self._key_current:
            # It bubbled up to the app: its binding may post a message (Input.Submitted,
            # Button.Pressed) behind the KeyDone already on its way; a second one follows.
            self._key_rounds = 2

    def on_key_done(self, message: KeyDone) -> None:
        key = message.key
        if key is not self._key_current:
            return
        self._key_rounds -= 1
        target = self._key_target
        if self._key_rounds > 0 and target is not None and target.post_message(KeyDone(key)):
            return
        # Behind what the key's action queued on the app (Widget.focus is deferred).
        self.call_later(self._key_next, key)

    async def _key_arrive(self, event: events.Key | events.Paste) -> None:
        if self._key_current is not None and time.monotonic() - self._key_since < KEY_WAIT:
            if not self._key_held:
                self.set_timer(KEY_WAIT, self._key_expire)
            self._key_held.append(event)
        elif isinstance(event, events.Key):
            await self._key_run(event)
        else:
            await super().on_event(event)

    async def _key_run(self, key: events.Key) -> None:
        self._key_current, self._key_screen = key, self.screen
        self._key_since, self._key_rounds = time.monotonic(), 1
        self._key_new_screen = self._key_refreshed = False
        await super().on_event(key)  # Textual's way: priority bindings, else to the focus
        # Worked out after: handling a key can give focus back (after the terminal's blur).
        target = self._key_target = self.focused or self.screen
        if not (key.is_forwarded and target.post_message(KeyDone(key))):
            self.call_later(self._key_next, key)  # a priority binding took it

    async def _key_next(self, key: events.Key) -> None:
        if key is not self._key_current:
            return
        screen = self.screen
        waiting = time.monotonic() - self._key_since < KEY_WAIT
        if screen is not self._key_screen and waiting:
            # A screen opened or came back: let it first take what was queued for it
            # (its mount, a dialog's result), then come back here.
            self._key_screen, self._key_new_screen = screen, True
            self._key_target, self._key_rounds = screen, 1
            if screen.post_message(KeyDone(key)):
                return
        if self._key_new_screen and screen.focused is None and screen.focus_chain and waiting:
            self.set_timer(SCREEN_POLL, lambda: self._key_next(key))  # its focus is on the way
            return
        if self._key_new_screen and not self._key_refreshed and waiting:
            # And its first refresh: what it does once laid out (select the first match).
            self._key_refreshed = True
            screen.call_after_refresh(self._key_next, key)
            return
        await self._key_release()

    async def _key_expire(self) -> None:
        if self._key_current is not None and time.monotonic() - self._key_since >= KEY_WAIT:
            await self._key_release()
        if self._key_held:
            self.set_timer(KEY_WAIT, self._key_expire)

    async def _key_release(self) -> None:
        self._key_current = None
        while self._key_held and self._key_current is None:
            event = self._key_held.popleft()
            if isinstance(event, events.Key):
                await self._key_run(event)
            else:
                await super().on_event(event)
