"""Following a live session from another process: its clock, from anchors; its new events."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from facilitator.session.events import Anchor, Event
from facilitator.session.store import SessionStore

LIVE_ANCHOR_SECONDS = 30.0
TAGGER_SERVER_META = "tagger_server"  # state of `facilitator serve-taggers` for this session
TAGGER_SERVER_HEARTBEAT = 5.0


class AnchoredClock:
    """Media time computed from the recorder's latest anchor row (monotonic time is shared by
    every process on one machine). A tagger cannot pause the recording."""

    def __init__(self, anchor: Anchor | None, monotonic: Callable[[], float] = time.monotonic):
        self._anchor = anchor or Anchor(0.0, monotonic(), time.time(), False)
        self._monotonic = monotonic

    def update(self, anchor: Anchor | None) -> None:
        """Take a newer anchor."""
        if anchor is not None:
            self._anchor = anchor

    @property
    def running(self) -> bool:
        """Whether the facilitator's recording is running."""
        return self._anchor.running

    def now(self) -> float:
        """Media time now, as the recorder would stamp it."""
        return self._anchor.media_time_at(self._monotonic())

    def pause(self) -> float:
        """Taggers do not pause the session: media time is unchanged."""
        return self.now()

    def resume(self) -> float:
        """Taggers do not resume the session: media time is unchanged."""
        return self.now()

    def anchor(self) -> Anchor:
        """The anchor in use."""
        return self._anchor


class EventFollower:
    """Reads events appended since the last call (by any process), in commit order."""

    def __init__(self, store: SessionStore, after_id: int = 0) -> None:
        self.store = store
        self.last_id = after_id

    def poll(self) -> list[Event]:
        """New events since the last poll."""
        events = self.store.events(after_id=self.last_id)
        if events:
            self.last_id = events[-1].id
        return events


def is_live(folder: Path, now: float | None = None) -> bool:
    """A session not ended whose recorder wrote an anchor in the last 30 seconds."""
    from facilitator.session.state import SessionState

    with SessionStore.open(folder) as store:
        anchor = store.latest_anchor()
        if anchor is None or SessionState.from_events(store.events()).ended:
            return False
    return (now or time.time()) - anchor.wall_time <= LIVE_ANCHOR_SECONDS
