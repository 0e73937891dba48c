"""Recorder: the owned thread that takes blocks from a source and writes them to disk.

Data flows one way: source → queue → recorder → (WAV segment, level meter, listeners). The
recorder does no UI work: it reports a small RecorderStatus through a callback at most
`STATUS_INTERVAL` apart (the UI coalesces those), and it keeps the session's FrameClock.
"""

from __future__ import annotations

import errno
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from facilitator.audio import BYTES_PER_FRAME, SAMPLE_RATE, wavfile
from facilitator.audio.clock import FrameClock
from facilitator.audio.level import Level, LevelMeter
from facilitator.audio.segments import next_segment_path, recorded_frames
from facilitator.audio.sources import AudioSource, Item, SourceStopped

STATUS_INTERVAL = 0.05  # 20 updates a second at most
DISK_CHECK_SECONDS = 2.0
LOW_DISK_SECONDS = 30 * 60
SILENCE_WARNING_SECONDS = 10.0
INPUT_LOST_SECONDS = 2.0


@dataclass(frozen=True)
class RecorderStatus:
    """What the facilitator needs to see about the recording."""

    state: str  # recording | paused | input lost | disk full | ended | stopped
    source: str
    media_time: float
    overflows: int
    level: Level = field(default_factory=Level)
    free_seconds: float | None = None
    warning: str = ""


class Recorder:
    """Records a session's audio into WAV segments; `clock` is the session's media clock."""

    def __init__(
        self,
        session_folder: Path,
        source: AudioSource,
        on_status: Callable[[RecorderStatus], None],
        *,
        speed: float = 1.0,
    ) -> None:
        self.folder = session_folder
        self.source = source
        self._on_status = on_status
        self.clock = FrameClock(SAMPLE_RATE, recorded_frames(session_folder), speed=speed)
        self._queue: queue.Queue[Item] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="recorder", daemon=True)
        self._writer: wavfile.WavSegmentWriter | None = None
        self._meter = LevelMeter(SAMPLE_RATE)
        self._resampler: Any = None
        self._listeners: list[Callable[[np.ndarray[Any, Any], float], None]] = []
        self._paused_at: float | None = None
        self._resumed_at = 0.0
        self._state = "recording"
        self._warning = ""
        self._free: float | None = None
        self._last_block = time.monotonic()
        self._overflows_before = 0

    # -- control (any thread) ------------------------------------------------------------

    def start(self) -> None:
        """Open a new segment, start the source and the recorder thread."""
        self._writer = wavfile.WavSegmentWriter(next_segment_path(self.folder))
        self._check_disk()
        self._start_source(self.source)
        self._thread.start()

    def _start_source(self, source: AudioSource) -> None:
        self.source = source
        self._resampler = None
        if source.rate != SAMPLE_RATE:
            import soxr

            self._resampler = soxr.ResampleStream(source.rate, SAMPLE_RATE, 1, dtype="int16")
        self._last_block = time.monotonic()
        source.start(self._queue)

    def switch_source(self, source: AudioSource) -> None:
        """Carry on recording from another input, on the same timeline."""
        old = self.source
        self._overflows_before += old.overflows
        old.stop()
        self._start_source(source)
        self._state = "paused" if not self.clock.running else "recording"
        self._warning = ""

    def add_listener(self, listener: Callable[[np.ndarray[Any, Any], float], None]) -> None:
        """Also hand every written block (16 kHz int16, media start time) to `listener`."""
        self._listeners.append(listener)

    def pause(self) -> float:
        """Stop writing; blocks captured before now are still written."""
        self._paused_at = time.monotonic()
        self._state = "paused"
        return self.clock.pause()

    def resume(self) -> float:
        """Write again from now, without a gap in media time."""
        self._resumed_at = time.monotonic()
        self._paused_at = None
        if self._state == "disk full":
            self._open_next_segment()
        self._state = "recording"
        return self.clock.resume()

    def stop(self) -> None:
        """Stop the source, write what is queued, close the segment."""
        self.source.stop()
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        if self._writer is not None:
            self._writer.close()
        self._state = "stopped"

    @property
    def overflows(self) -> int:
        """Input overflows over every source used."""
        return self._overflows_before + self.source.overflows

    def status(self) -> RecorderStatus:
        """The current status."""
        return RecorderStatus(
            self._state,
            self.source.name,
            self.clock.now(),
            self.overflows,
            self._meter.level,
            self._free,
            self._warning or self._soft_warning(),
        )

    # -- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        last_status = last_disk = 0.0
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._stop.is_set():
                    return
                item = None
            if item is not None:
                self._handle(item)
            now = time.monotonic()
            if self._state == "recording" and now - self._last_block > INPUT_LOST_SECONDS:
                self._state = "input lost"
                self.clock.stall()
                self._warning = f"No audio from {self.source.name} — choose another input (i)."
            if now - last_disk >= DISK_CHECK_SECONDS:
                last_disk = now
                self._check_disk()
            if now - last_status >= STATUS_INTERVAL:
                last_status = now
                self._on_status(self.status())

    def _handle(self, item: Item) -> None:
        if isinstance(item, SourceStopped):
            self.clock.stall()
            if item.failed:
                self._state = "input lost"
                self._warning = (
                    f"Recording stopped: {item.reason}. Everything up to here is saved; "
                    "choose another input (i) to carry on."
                )
            else:
                self._state = "ended"
                self._warning = f"Input finished: {item.reason}."
            self._on_status(self.status())
            return
        samples, captured_at = item
        self._last_block = time.monotonic()
        if self._state == "input lost":
            self._state, self._warning = "recording", ""
        if self._resampler is not None:
            samples = self._resampler.resample_chunk(samples)
        self._meter.feed(samples)
        if not self._should_write(captured_at) or self._writer is None:
            return
        media_start = self.clock.frames / SAMPLE_RATE
        try:
            if self._writer.data_bytes + len(samples) * BYTES_PER_FRAME > wavfile.MAX_SEGMENT_BYTES:
                self._open_next_segment()
            self._writer.write(samples)
        except OSError as exc:
            self._disk_failed(exc)
            return
        self.clock.advance(len(samples), captured_at)
        for listener in self._listeners:
            listener(samples, media_start)

    def _should_write(self, captured_at: float) -> bool:
        if self._state in ("disk full", "stopped"):
            return False
        if self._paused_at is not None:
            return captured_at <= self._paused_at
        return captured_at >= self._resumed_at

    def _open_next_segment(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = wavfile.WavSegmentWriter(next_segment_path(self.folder))

    def _disk_failed(self, exc: OSError) -> None:
        try:
            if self._writer is not None:
                self._writer.close()
        except OSError:
            pass
        self._writer = None
        self._state = "disk full" if exc.errno == errno.ENOSPC else "stopped"
        self._warning = (
            f"Recording stopped: cannot write audio ({exc.strerror}). Everything up to "
            f"{self.clock.frames / SAMPLE_RATE:.0f} s is saved. Free some space, then press "
            "p to record again."
        )
        self.clock.pause()
        self._on_status(self.status())

    def _check_disk(self) -> None:
        try:
            free = shutil.disk_usage(self.folder).free
        except OSError:
            return
        self._free = free / (SAMPLE_RATE * BYTES_PER_FRAME)

    def _soft_warning(self) -> str:
        if self._state != "recording":
            return ""
        if self._free is not None and self._free < LOW_DISK_SECONDS:
            return f"Disk nearly full: about {self._free / 60:.0f} minutes of recording left."
        if self._meter.level.silent_seconds >= SILENCE_WARNING_SECONDS:
            return (
                f"No sound for {self._meter.level.silent_seconds:.0f} s — is the microphone "
                "muted or the wrong input?"
            )
        if self._meter.level.clipping:
            return "Input too loud (clipping): move the microphone away or turn it down."
        return ""
