"""Recording for real: PortAudio capture from a private PulseAudio daemon, file replay,
kill -9, pause/resume, an input that disappears, a full disk, segment roll-over."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile

from facilitator.audio import SAMPLE_RATE, wavfile
from facilitator.audio.devices import find_input_device, list_input_devices
from facilitator.audio.recorder import Recorder, RecorderStatus
from facilitator.audio.segments import recorded_frames, recover_segments, segments
from facilitator.audio.sources import DeviceSource, FileSource
from facilitator.errors import FacilitatorError
from tests.audio_fixtures import PulseServer, best_lag, noise, write_wav

pytestmark = pytest.mark.timeout(120)


def read_all(folder: Path) -> np.ndarray:
    """Every segment's samples, one after another."""
    parts = [soundfile.read(str(p), dtype="int16")[0] for p in segments(folder)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int16)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def test_devices_list_the_virtual_input(pulse: PulseServer) -> None:
    names = [d.name for d in list_input_devices()]
    assert "pulse" in names
    assert find_input_device("pulse").name == "pulse"
    with pytest.raises(FacilitatorError, match=r"Input devices:\n.*pulse"):
        find_input_device("no-such-microphone")


def test_capture_matches_what_was_played(pulse: PulseServer, tmp_path: Path) -> None:
    played = noise(4.0, seed=7)
    wav = write_wav(tmp_path / "played.wav", played)
    statuses: list[RecorderStatus] = []
    recorder = Recorder(tmp_path, DeviceSource(find_input_device("pulse")), statuses.append)
    recorder.start()
    wait_for(lambda: recorder.clock.frames > 0)  # the virtual device takes ~0.5 s to start
    pulse.play(wav).wait(timeout=30)
    time.sleep(0.7)
    recorder.stop()
    recorded = read_all(tmp_path)
    assert len(recorded) == recorder.clock.frames, "media clock = frames written"
    head, tail = played[:SAMPLE_RATE], played[-SAMPLE_RATE:]
    start, corr_start = best_lag(recorded, head)
    end, corr_end = best_lag(recorded, tail)
    # PulseAudio resamples 16 kHz → 44.1 kHz → 16 kHz on the way, so not bit-exact.
    assert corr_start > 0.8 and corr_end > 0.8, (corr_start, corr_end)
    duration = (end + len(tail) - start) / SAMPLE_RATE
    assert abs(duration - 4.0) <= 0.05, f"played 4.0 s, recorded {duration:.3f} s"
    assert recorder.overflows == 0
    assert any(s.level.rms_db > -30 for s in statuses), "the meter saw the noise"
    assert len(statuses) < 2.2 * 20 * 6, "status updates are throttled to ~20 a second"


CRASH_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from facilitator.audio.devices import find_input_device
    from facilitator.audio.recorder import Recorder
    from facilitator.audio.sources import DeviceSource
    rec = Recorder(Path(sys.argv[1]), DeviceSource(find_input_device("pulse")), lambda s: None)
    rec.start()
    print("RECORDING", flush=True)
    time.sleep(600)
    """
)


@pytest.mark.parametrize("seconds", [3.0])
def test_kill_9_loses_at_most_a_second(pulse: PulseServer, tmp_path: Path, seconds: float) -> None:
    wav = write_wav(tmp_path / "long.wav", noise(seconds + 5, seed=3))
    folder = tmp_path / "session"
    folder.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH_SCRIPT, str(folder)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "RECORDING"
    time.sleep(1.0)  # the virtual device takes ~0.5 s before audio flows
    player = pulse.play(wav)
    started = time.monotonic()
    time.sleep(seconds)
    os.kill(child.pid, signal.SIGKILL)
    killed_after = time.monotonic() - started
    child.wait(timeout=10)
    player.kill()
    (segment,) = segments(folder)
    unrepaired = soundfile.info(str(segment)).frames / SAMPLE_RATE
    assert unrepaired >= seconds - 1.0, "the file plays as it is, missing at most ~1 s"
    (fix,) = recover_segments(folder)
    recovered = fix.frames_after / SAMPLE_RATE
    assert recovered >= unrepaired and recovered >= seconds - 1.0
    assert recovered <= killed_after + 1.0
    data, rate = soundfile.read(str(segment), dtype="int16")
    assert rate == SAMPLE_RATE and len(data) == fix.frames_after
    _, corr = best_lag(data, noise(seconds + 5, seed=3)[SAMPLE_RATE : 2 * SAMPLE_RATE])
    assert corr > 0.8, "what was played is in the file"


def test_file_source_pause_resume_keeps_everything_before_and_no_gap(tmp_path: Path) -> None:
    source_audio = noise(6.0, seed=5)
    wav = write_wav(tmp_path / "in.wav", source_audio)
    folder = tmp_path / "s"
    folder.mkdir()
    recorder = Recorder(folder, FileSource(wav, speed=4.0), lambda s: None, speed=4.0)
    recorder.start()
    wait_for(lambda: recorder.clock.frames >= 2 * SAMPLE_RATE)
    paused_at = recorder.pause()
    time.sleep(0.3)  # 1.2 s of the file goes by while paused: not recorded
    frames_at_pause = recorder.clock.frames
    recorder.resume()
    wait_for(lambda: recorder.status().state == "ended")
    recorder.stop()
    recorded = read_all(folder)
    assert len(recorded) == recorder.clock.frames
    assert abs(paused_at - frames_at_pause / SAMPLE_RATE) <= 0.11
    assert np.array_equal(recorded[:frames_at_pause], source_audio[:frames_at_pause]), (
        "everything before the pause is there, bit for bit"
    )
    rest = recorded[frames_at_pause:]
    skip, corr = best_lag(source_audio, rest[:SAMPLE_RATE])
    assert corr > 0.999 and skip > frames_at_pause + 0.8 * SAMPLE_RATE
    assert np.array_equal(rest, source_audio[skip : skip + len(rest)]), "no gap, no glitch"
    assert len(recorded) < len(source_audio) - 0.8 * SAMPLE_RATE


def test_device_gone_keeps_the_recording_and_another_input_continues(
    pulse: PulseServer, tmp_path: Path
) -> None:
    statuses: list[RecorderStatus] = []
    recorder = Recorder(tmp_path, DeviceSource(find_input_device("pulse")), statuses.append)
    recorder.start()
    wait_for(lambda: recorder.clock.frames >= SAMPLE_RATE)
    pulse.stop()  # the "microphone" disappears
    wait_for(lambda: recorder.status().state == "input lost")
    assert "choose another input" in recorder.status().warning
    frames_before = recorder.clock.frames
    assert frames_before >= SAMPLE_RATE
    replacement = write_wav(tmp_path / "other.wav", noise(1.0, seed=9))
    recorder.switch_source(FileSource(replacement, speed=4.0))
    wait_for(lambda: recorder.status().state == "ended")
    recorder.stop()
    recorded = read_all(tmp_path)
    assert len(recorded) == recorder.clock.frames == frames_before + SAMPLE_RATE
    assert np.array_equal(recorded[frames_before:], noise(1.0, seed=9)), "same timeline"


def test_disk_full_stops_cleanly_and_keeps_what_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wav = write_wav(tmp_path / "in.wav", noise(4.0, seed=2))
    folder = tmp_path / "s"
    folder.mkdir()
    real_write = wavfile.WavSegmentWriter.write

    def write(self: wavfile.WavSegmentWriter, samples: np.ndarray) -> None:
        if self.frames >= 2 * SAMPLE_RATE:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, samples)

    monkeypatch.setattr(wavfile.WavSegmentWriter, "write", write)
    statuses: list[RecorderStatus] = []
    recorder = Recorder(folder, FileSource(wav, speed=8.0), statuses.append, speed=8.0)
    recorder.start()
    wait_for(lambda: recorder.status().state == "disk full")
    assert "Everything up to 2 s is saved" in recorder.status().warning
    recorder.stop()
    data, _ = soundfile.read(str(segments(folder)[0]), dtype="int16")
    assert np.array_equal(data, noise(4.0, seed=2)[: 2 * SAMPLE_RATE])


def test_low_disk_and_silence_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from facilitator.audio import recorder as recorder_module

    wav = write_wav(tmp_path / "quiet.wav", np.zeros(12 * SAMPLE_RATE, dtype=np.int16))
    folder = tmp_path / "s"
    folder.mkdir()
    rec = Recorder(folder, FileSource(wav, speed=12.0), lambda s: None, speed=12.0)
    rec.start()
    wait_for(lambda: rec.clock.frames >= 11 * SAMPLE_RATE)
    assert "No sound for 1" in rec.status().warning
    monkeypatch.setattr(recorder_module, "LOW_DISK_SECONDS", 10**12)
    assert "Disk nearly full" in rec.status().warning
    rec.stop()


def test_segments_roll_over_before_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wavfile, "MAX_SEGMENT_BYTES", SAMPLE_RATE * 2)  # one second a file
    audio = noise(3.5, seed=4)
    wav = write_wav(tmp_path / "in.wav", audio)
    folder = tmp_path / "s"
    folder.mkdir()
    rec = Recorder(folder, FileSource(wav, speed=10.0), lambda s: None, speed=10.0)
    rec.start()
    wait_for(lambda: rec.status().state == "ended")
    rec.stop()
    assert len(segments(folder)) == 4
    assert recorded_frames(folder) == len(audio)
    assert np.array_equal(read_all(folder), audio)


def test_a_resumed_recorder_continues_the_timeline_in_a_new_segment(tmp_path: Path) -> None:
    wav = write_wav(tmp_path / "in.wav", noise(1.0, seed=8))
    folder = tmp_path / "s"
    folder.mkdir()
    for _ in range(2):
        rec = Recorder(folder, FileSource(wav, speed=10.0), lambda s: None, speed=10.0)
        start = rec.clock.frames / SAMPLE_RATE
        rec.start()
        wait_for(lambda r=rec: r.status().state == "ended")
        rec.stop()
    assert start == 1.0, "the second run starts where the first ended"
    assert [p.name for p in segments(folder)] == ["segment-0001.wav", "segment-0002.wav"]
    assert recorded_frames(folder) == 2 * SAMPLE_RATE


def test_a_file_that_is_not_audio(tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    with pytest.raises(FacilitatorError, match=r"Cannot read .*notes\.wav as audio"):
        FileSource(bad)
