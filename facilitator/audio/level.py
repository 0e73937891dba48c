"""Input level: RMS and peak in dBFS, peak hold, clipping and long-silence detection."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FLOOR_DB = -90.0
SILENCE_DB = -55.0
CLIP_FRACTION = 0.999
PEAK_HOLD_SECONDS = 1.5


@dataclass(frozen=True)
class Level:
    """One reading of the meter."""

    rms_db: float = FLOOR_DB
    peak_db: float = FLOOR_DB
    held_peak_db: float = FLOOR_DB
    clipping: bool = False
    silent_seconds: float = 0.0


def to_db(fraction: float) -> float:
    """Full-scale fraction → dBFS, floored."""
    return max(FLOOR_DB, 20 * math.log10(fraction)) if fraction > 0 else FLOOR_DB


class LevelMeter:
    """Feeds on blocks; tracks peak hold, clipping and how long the input has been silent."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._held = FLOOR_DB
        self._held_for = 0.0
        self._silent = 0.0
        self.level = Level()

    def feed(self, samples: npt.NDArray[np.int16]) -> Level:
        """Measure a block."""
        if len(samples) == 0:
            return self.level
        seconds = len(samples) / self.rate
        as_float = samples.astype(np.float32) / 32768.0
        rms = to_db(float(np.sqrt(np.mean(as_float * as_float))))
        peak_fraction = float(np.max(np.abs(as_float)))
        peak = to_db(peak_fraction)
        self._held_for += seconds
        if peak >= self._held or self._held_for > PEAK_HOLD_SECONDS:
            self._held, self._held_for = peak, 0.0
        self._silent = self._silent + seconds if rms < SILENCE_DB else 0.0
        self.level = Level(rms, peak, self._held, peak_fraction >= CLIP_FRACTION, self._silent)
        return self.level
