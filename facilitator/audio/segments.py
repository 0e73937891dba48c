"""The session's audio: numbered WAV segments in `audio/`, played one after another.

A new segment starts each time recording starts in a new process (a resumed session) and when
a segment nears the WAV size limit. Media time runs across segments without gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from facilitator.audio import SAMPLE_RATE
from facilitator.audio.wavfile import repair_wav, segment_frames
from facilitator.paths import make_private_dir

AUDIO_DIR = "audio"


def audio_dir(session_folder: Path) -> Path:
    """The folder of the session's audio segments."""
    return session_folder / AUDIO_DIR


def segments(session_folder: Path) -> list[Path]:
    """Segment files in order."""
    return sorted(audio_dir(session_folder).glob("segment-*.wav"))


def next_segment_path(session_folder: Path) -> Path:
    """The path for a new segment after the existing ones."""
    folder = make_private_dir(audio_dir(session_folder))
    existing = segments(session_folder)
    number = int(existing[-1].stem.split("-")[1]) + 1 if existing else 1
    return folder / f"segment-{number:04d}.wav"


@dataclass(frozen=True)
class Recovery:
    """What `recover_segments` found and fixed in one segment."""

    path: Path
    frames_before: int
    frames_after: int

    @property
    def recovered_seconds(self) -> float:
        """Audio the header did not cover before the repair."""
        return (self.frames_after - self.frames_before) / SAMPLE_RATE


def recover_segments(session_folder: Path) -> list[Recovery]:
    """Repair every segment's header after a crash (harmless on a clean file). A segment that
    cannot be opened at all is left as it is, for the caller to report."""
    recovered = []
    for path in segments(session_folder):
        try:
            recovered.append(Recovery(path, *repair_wav(path)))
        except OSError:
            continue
    return recovered


def recorded_frames(session_folder: Path) -> int:
    """Frames recorded in all segments, as their headers say (an unopenable segment: none)."""
    total = 0
    for path in segments(session_folder):
        try:
            total += segment_frames(path)
        except OSError:
            continue
    return total
