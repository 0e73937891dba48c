"""The media clock: seconds into the recording. Paused time is not media time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from facilitator.session.events import Anchor


class MediaClock(Protocol):
    """What the session needs from a clock; the audio recorder provides one driven by frames."""

    @property
    def running(self) -> bool: ...

    def now(self) -> float:
        """Media time now (frozen while paused)."""
        ...

    def pause(self) -> float:
        """Stop media time; return the pause point."""
        ...

    def resume(self) -> float:
        """Start media time again; return where it continues from."""
        ...

    def anchor(self) -> Anchor:
        """Media time against the monotonic clock now, for other processes."""
        ...


class MonotonicClock:
    """A media clock that runs from `time.monotonic()` when no audio source is attached."""

    def __init__(
        self,
        start_at: float = 0.0,
        *,
        running: bool = True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._offset = start_at
        self._since: float | None = monotonic() if running else None

    @property
    def running(self) -> bool:
        """Whether media time is advancing."""
        return self._since is not None

    def now(self) -> float:
        """Media time now."""
        with self._lock:
            return self._now()

    def _now(self) -> float:
        if self._since is None:
            return self._offset
        return self._offset + (self._monotonic() - self._since)

    def pause(self) -> float:
        """Freeze media time."""
        with self._lock:
            self._offset = self._now()
            self._since = None
            return self._offset

    def resume(self) -> float:
        """Continue media time from where it was paused."""
        with self._lock:
            if self._since is None:
                self._since = self._monotonic()
            return self._offset

    def anchor(self) -> Anchor:
        """Media time ↔ monotonic time now."""
        with self._lock:
            mono = self._monotonic()
            media = self._offset if self._since is None else self._offset + (mono - self._since)
            return Anchor(media, mono, time.time(), self._since is not None)
