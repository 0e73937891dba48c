"""Real audio for tests: a private PulseAudio daemon with a null sink, and test signals."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import soundfile

RATE = 16_000


@dataclass
class PulseServer:
    """A running private PulseAudio daemon whose 'room' sink monitor is the default input."""

    runtime: Path
    pid: int

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        """Play a file into the room (what the microphone will hear)."""
        return subprocess.Popen(["paplay", "--device=room", str(wav)], env=os.environ.copy())

    def stop(self) -> None:
        """Stop the daemon by its pid."""
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        for _ in range(50):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(self.pid, signal.SIGKILL)


def start_pulse() -> PulseServer:
    """Start a daemon in a private runtime folder (skip the test if that cannot be done)."""
    if shutil.which("pulseaudio") is None or shutil.which("paplay") is None:
        pytest.skip("PulseAudio is not installed: run 'bash scripts/setup.sh test' to install it")
    runtime = Path(tempfile.mkdtemp(prefix="facilitator-pulse-"))
    os.chmod(runtime, 0o700)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)
    os.environ["PULSE_RUNTIME_PATH"] = str(runtime / "pulse")
    result = subprocess.run(
        [
            "pulseaudio",
            "--daemonize=yes",
            "--exit-idle-time=-1",
            "--use-pid-file=yes",
            "-n",
            "--load=module-null-sink sink_name=room",
            "--load=module-native-protocol-unix",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    pid_file = runtime / "pulse" / "pid"
    for _ in range(50):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        time.sleep(0.1)
    else:
        pytest.skip(f"PulseAudio could not be started here: {result.stderr.strip()}")
    for cmd in (
        ["pactl", "set-default-sink", "room"],
        ["pactl", "set-default-source", "room.monitor"],
    ):
        subprocess.run(cmd, check=True, timeout=10)
    return PulseServer(runtime, int(pid_file.read_text().strip()))


@pytest.fixture
def pulse() -> Iterator[PulseServer]:
    """A private PulseAudio daemon for one test."""
    server = start_pulse()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.runtime, ignore_errors=True)


def noise(seconds: float, seed: int = 1, amplitude: float = 0.3) -> np.ndarray:
    """Seeded noise in the speech band (below 5 kHz) as int16 at 16 kHz: every stretch of it is
    recognisable, and sound-server resampling passes it through almost untouched."""
    rng = np.random.default_rng(seed)
    white = rng.standard_normal(int(seconds * RATE))
    spectrum = np.fft.rfft(white)
    spectrum[int(len(spectrum) * 5000 / (RATE / 2)) :] = 0
    band = np.fft.irfft(spectrum, len(white))
    band *= amplitude * 32767 / (3 * band.std())
    return np.clip(band, -32768, 32767).astype(np.int16)


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """Save int16 samples as a WAV."""
    soundfile.write(str(path), samples, rate, subtype="PCM_16")
    return path


def best_lag(haystack: np.ndarray, needle: np.ndarray) -> tuple[int, float]:
    """Where `needle` best matches inside `haystack`, and the normalised correlation there."""
    h = haystack.astype(np.float64)
    n = needle.astype(np.float64)
    size = len(h) + len(n)
    spectrum = np.fft.rfft(h, size) * np.conj(np.fft.rfft(n, size))
    corr = np.fft.irfft(spectrum, size)[: len(h) - len(n) + 1]
    lag = int(np.argmax(corr))
    window = h[lag : lag + len(n)]
    norm = np.sqrt((window**2).sum() * (n**2).sum()) or 1.0
    return lag, float(corr[lag] / norm)
