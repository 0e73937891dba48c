"""Crash-safe WAV segments.

Why this format: a 16-bit PCM WAV opens in every audio tool and in Vosk without conversion. We
write the header once, append raw samples, and about once a second (`SYNC_SECONDS`) rewrite the
two length fields and fsync. After a crash, kill -9 or power cut the file is still a valid WAV
whose header covers everything up to the last sync (at most ~1 s less than was captured), and
`repair_wav` (run by `facilitator resume` and `facilitator recover`) extends the header over any
whole samples written after it, so nothing that reached the disk is lost.

A WAV cannot exceed 4 GiB; the recorder starts a new segment file well before that
(`MAX_SEGMENT_BYTES`, 2 GiB ≈ 18.6 hours at 16 kHz), so session length has no limit.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

import numpy as np
import numpy.typing as npt

from facilitator.audio import BYTES_PER_FRAME, SAMPLE_RATE

HEADER_BYTES = 44
SYNC_SECONDS = 1.0
MAX_SEGMENT_BYTES = 2**31


def wav_header(data_bytes: int, rate: int = SAMPLE_RATE) -> bytes:
    """A 44-byte header for 16-bit mono PCM with `data_bytes` of samples."""
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,
        1,  # PCM
        1,  # mono
        rate,
        rate * BYTES_PER_FRAME,
        BYTES_PER_FRAME,
        16,
        b"data",
        data_bytes,
    )


class WavSegmentWriter:
    """Appends int16 samples to a new WAV file, syncing the header and data about every second."""

    def __init__(self, path: Path, rate: int = SAMPLE_RATE, sync_seconds: float = SYNC_SECONDS):
        self.path = path
        self.rate = rate
        self.frames = 0
        self._synced = 0
        self._sync_every = int(rate * sync_seconds)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._file.write(wav_header(0, rate))
        self.sync()

    @property
    def data_bytes(self) -> int:
        """Bytes of samples written so far."""
        return self.frames * BYTES_PER_FRAME

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        """Append samples; sync when a second has gathered since the last sync."""
        self._file.write(samples.astype("<i2", copy=False).tobytes())
        self.frames += len(samples)
        if self.frames - self._synced >= self._sync_every:
            self.sync()

    def sync(self) -> None:
        """Make the header cover every sample written and force both to disk."""
        self._file.flush()
        self._file.seek(4)
        self._file.write(struct.pack("<I", 36 + self.data_bytes))
        self._file.seek(40)
        self._file.write(struct.pack("<I", self.data_bytes))
        self._file.seek(0, os.SEEK_END)
        self._file.flush()
        os.fsync(self._file.fileno())
        self._synced = self.frames

    def close(self) -> None:
        """Sync and close."""
        if not self._file.closed:
            try:
                self.sync()
            finally:
                self._file.close()


def repair_wav(path: Path, rate: int = SAMPLE_RATE) -> tuple[int, int]:
    """Make the header of a segment cover all whole samples on disk.

    Returns (frames the header covered before, frames it covers now).
    """
    size = path.stat().st_size
    data_bytes = max(0, size - HEADER_BYTES)
    data_bytes -= data_bytes % BYTES_PER_FRAME
    with open(path, "r+b") as f:
        head = f.read(HEADER_BYTES)
        before = 0
        if len(head) == HEADER_BYTES and head[:4] == b"RIFF" and head[36:40] == b"data":
            before = struct.unpack("<I", head[40:44])[0] // BYTES_PER_FRAME
        if size < HEADER_BYTES or before * BYTES_PER_FRAME != data_bytes:
            f.seek(0)
            f.write(wav_header(data_bytes, rate))
            f.truncate(HEADER_BYTES + data_bytes)
            f.flush()
            os.fsync(f.fileno())
    return before, data_bytes // BYTES_PER_FRAME


def segment_frames(path: Path) -> int:
    """Frames a segment holds according to its header."""
    with open(path, "rb") as f:
        head = f.read(HEADER_BYTES)
    if len(head) < HEADER_BYTES:
        return 0
    return int(struct.unpack("<I", head[40:44])[0]) // BYTES_PER_FRAME
