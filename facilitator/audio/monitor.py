"""LevelMonitor: listen to an input without recording, for a level preview before starting."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable

from facilitator.audio.level import Level, LevelMeter
from facilitator.audio.sources import AudioSource, Item, SourceStopped

REPORT_INTERVAL = 0.05


class LevelMonitor:
    """An owned thread: source → level meter → `on_level` at most 20 times a second."""

    def __init__(self, source: AudioSource, on_level: Callable[[Level | None], None]) -> None:
        self.source = source
        self._on_level = on_level
        self._queue: queue.Queue[Item] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="level-monitor", daemon=True)

    def start(self) -> None:
        """Start listening."""
        self.source.start(self._queue)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening."""
        self._stop.set()
        self.source.stop()
        if self._thread.is_alive():
            self._thread.join(5)

    def _run(self) -> None:
        meter = LevelMeter(self.source.rate)
        last = 0.0
        while not self._stop.is_set():
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(item, SourceStopped):
                if not self._stop.is_set():
                    self._on_level(None)
                return
            level = meter.feed(item[0])
            now = time.monotonic()
            if now - last >= REPORT_INTERVAL:
                last = now
                self._on_level(level)
