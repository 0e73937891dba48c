"""EventWriter: the thread that commits events so the UI never waits on the disk.

A request is only reported as committed after SQLite has committed it (WAL, synchronous=FULL).
If a write fails (disk full, read-only medium), the request is kept and retried; nothing
already pressed is dropped.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from facilitator.session.events import Anchor, Event, EventRequest
from facilitator.session.store import SessionStore
from facilitator.session.transcript import Segment

RETRY_SECONDS = 1.0

Request = EventRequest | Anchor | Segment


class EventWriter:
    """An owned service: `start()`, `submit()` from any thread, `stop()` drains and closes."""

    def __init__(
        self,
        folder: Path,
        on_committed: Callable[[EventRequest, Event | None], None],
        on_error: Callable[[str], None],
    ) -> None:
        self._folder = folder
        self._on_committed = on_committed
        self._on_error = on_error
        self._queue: queue.Queue[Request] = queue.Queue()
        self._stop = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="event-writer", daemon=True)

    def start(self) -> None:
        """Start the writer thread."""
        self._thread.start()

    def submit(self, request: Request) -> None:
        """Queue an event or anchor for commit (thread-safe, never blocks)."""
        self._idle.clear()
        self._queue.put(request)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted so far is committed."""
        return self._idle.wait(timeout)

    @property
    def pending(self) -> int:
        """Requests not yet committed."""
        return self._queue.qsize()

    def stop(self, timeout: float = 10.0) -> None:
        """Commit what is queued, then end the thread."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        store = SessionStore.open(self._folder)
        try:
            while True:
                try:
                    request = self._queue.get(timeout=0.1)
                except queue.Empty:
                    self._idle.set()
                    if self._stop.is_set():
                        return
                    continue
                self._commit(store, request)
                if self._queue.empty():
                    self._idle.set()
        finally:
            store.close()

    def _commit(self, store: SessionStore, request: Request) -> None:
        warned = False
        while True:
            try:
                if isinstance(request, Anchor):
                    store.add_anchor(request)
                elif isinstance(request, Segment):
                    store.add_segment(request)
                else:
                    self._on_committed(request, store.append(request))
                if warned:
                    self._on_error("")
                return
            except (sqlite3.OperationalError, OSError) as exc:
                self._on_error(
                    f"Cannot save to the session file ({exc}). Free some disk space or check "
                    "the drive; what you press is kept and saved as soon as it can be."
                )
                warned = True
                # Keep retrying, even while stopping: a pressed key must not be lost.
                time.sleep(RETRY_SECONDS)
