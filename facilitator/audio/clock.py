"""FrameClock: media time is the count of frames written, so sample = time × rate exactly."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from facilitator.session.events import Anchor


class FrameClock:
    """A MediaClock driven by the recorder. Between blocks it runs on from the last block's
    capture instant (at most `max_ahead`, 1.5 blocks), and it never goes backwards; so when
    the input stops it may stand up to `max_ahead` past the last frame written."""

    def __init__(
        self,
        rate: int,
        start_frames: int = 0,
        *,
        speed: float = 1.0,
        max_ahead: float = 0.15,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.speed = speed
        self._frames = start_frames
        self._max_ahead = max_ahead
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._at = monotonic()
        self._running = True
        self._stalled = False
        self._last = start_frames / rate

    @property
    def frames(self) -> int:
        """Frames written so far."""
        return self._frames

    @property
    def running(self) -> bool:
        """Whether frames are being written."""
        return self._running

    def advance(self, frames: int, captured_at: float) -> None:
        """The recorder wrote `frames` more; the last of them was captured at `captured_at`."""
        with self._lock:
            self._frames += frames
            self._at = captured_at
            self._stalled = False

    def stall(self) -> None:
        """The input stopped: hold at the frames written until audio comes again."""
        with self._lock:
            self._stalled = True

    def _now(self, mono: float) -> float:
        base = self._frames / self.rate
        if self._running and not self._stalled:
            base += min(self._max_ahead, max(0.0, (mono - self._at) * self.speed))
        self._last = max(self._last, base)
        return self._last

    def now(self) -> float:
        """Media time now."""
        with self._lock:
            return self._now(self._monotonic())

    def pause(self) -> float:
        """Stop media time at the frames written."""
        with self._lock:
            self._last = max(self._last, self._frames / self.rate)
            self._running = False
            return self._last

    def resume(self) -> float:
        """Media time runs again from the frames written."""
        with self._lock:
            self._running = True
            self._at = self._monotonic()
            return self._frames / self.rate

    def anchor(self) -> Anchor:
        """Media time ↔ monotonic time now."""
        with self._lock:
            mono = self._monotonic()
            return Anchor(self._now(mono), mono, time.time(), self._running)
