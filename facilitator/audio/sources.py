"""Audio sources: a live input device, or a recording replayed as if it were live.

A source puts `(samples, captured_at)` tuples on the queue it is given: int16 mono samples at
the source's own `rate`, and the monotonic instant the last of them was captured. When it
stops by itself it puts a `SourceStopped` instead.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from facilitator.audio import BLOCK_SECONDS, SAMPLE_RATE
from facilitator.audio.devices import OPEN_STREAMS, InputDevice, sounddevice
from facilitator.errors import FacilitatorError


@dataclass(frozen=True)
class SourceStopped:
    """The source ended (a file ran out) or failed (a device went away)."""

    reason: str
    failed: bool


Item = tuple[np.ndarray[Any, np.dtype[np.int16]], float] | SourceStopped


class AudioSource(Protocol):
    """Something that produces audio blocks onto a queue."""

    name: str
    rate: int

    @property
    def overflows(self) -> int: ...

    def start(self, out: queue.Queue[Item]) -> None: ...

    def stop(self) -> None: ...


class DeviceSource:
    """Captures from an input device with a callback that only copies into the queue."""

    def __init__(self, device: InputDevice) -> None:
        self.device = device
        self.name = device.name
        self.rate = SAMPLE_RATE
        self._overflows = 0
        self._stream: Any = None
        self._stopping = False

    @property
    def overflows(self) -> int:
        """Blocks PortAudio reported as overflowed (audio lost before it reached us)."""
        return self._overflows

    def _open_rate(self, sd: Any) -> int:
        try:
            sd.check_input_settings(
                self.device.index, channels=1, dtype="int16", samplerate=SAMPLE_RATE
            )
            return SAMPLE_RATE
        except Exception:  # PortAudio says "invalid sample rate" in many ways
            return int(self.device.default_rate)

    def start(self, out: queue.Queue[Item]) -> None:
        """Open the stream (at 16 kHz, else the device's own rate) and start capturing."""
        sd = sounddevice()
        self.rate = self._open_rate(sd)

        def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
            try:
                if status.input_overflow:
                    self._overflows += 1
                out.put_nowait((indata[:, 0].copy(), time.monotonic()))
            except Exception:  # never raise into PortAudio's thread
                self._overflows += 1

        def finished() -> None:
            if not self._stopping:  # stopped by us: not a failure
                out.put(SourceStopped(f"the input {self.name!r} stopped", failed=True))

        try:
            self._stream = sd.InputStream(
                device=self.device.index,
                samplerate=self.rate,
                channels=1,
                dtype="int16",
                blocksize=int(self.rate * BLOCK_SECONDS),
                callback=callback,
                finished_callback=finished,
            )
            self._stream.start()
            OPEN_STREAMS[0] += 1
        except Exception as exc:  # PortAudioError and OSError alike
            raise FacilitatorError(
                f"Cannot record from {self.device.label}: {exc}. Check it is plugged in and not "
                "used by another program, or choose another input (facilitator devices)."
            ) from None

    def stop(self) -> None:
        """Stop and close the stream."""
        self._stopping = True
        stream, self._stream = self._stream, None
        if stream is not None:
            OPEN_STREAMS[0] -= 1
            try:
                stream.abort(ignore_errors=True)
                stream.close(ignore_errors=True)
            except Exception:  # a vanished device may refuse even this
                pass


class FileSource:
    """Replays a recording in real time (or `speed` times faster) through the same pipeline."""

    def __init__(self, path: Path, speed: float = 1.0) -> None:
        import soundfile

        try:
            self._info = soundfile.info(str(path))
        except Exception as exc:  # libsndfile's own message is the useful part
            raise FacilitatorError(f"Cannot read {path} as audio: {exc}") from None
        if speed <= 0:
            raise FacilitatorError("--speed must be more than 0.")
        self.path = path
        self.name = path.name
        self.rate = int(self._info.samplerate)
        self.speed = speed
        self.overflows = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def duration(self) -> float:
        """Length of the recording in seconds."""
        return float(self._info.duration)

    def start(self, out: queue.Queue[Item]) -> None:
        """Start replaying on a thread of its own."""
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(out,), name="file-source", daemon=True
        )
        self._thread.start()

    def _run(self, out: queue.Queue[Item]) -> None:
        import soundfile

        block = int(self.rate * BLOCK_SECONDS)
        started = time.monotonic()
        sent = 0
        with soundfile.SoundFile(str(self.path)) as f:
            for data in f.blocks(blocksize=block, dtype="int16", always_2d=True):
                if self._stop.is_set():
                    return
                mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1).astype(np.int16)
                sent += len(mono)
                due = started + sent / self.rate / self.speed
                delay = due - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
                out.put((np.ascontiguousarray(mono), time.monotonic()))
        out.put(SourceStopped(f"the end of {self.name} was reached", failed=False))

    def stop(self) -> None:
        """Stop replaying."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
