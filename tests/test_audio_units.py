"""WAV segments, repair, frame clock, level meter: the parts under the recorder."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest
import soundfile

from facilitator.audio import SAMPLE_RATE
from facilitator.audio.clock import FrameClock
from facilitator.audio.level import LevelMeter
from facilitator.audio.segments import next_segment_path, recorded_frames, recover_segments
from facilitator.audio.wavfile import WavSegmentWriter, repair_wav, segment_frames
from tests.audio_fixtures import noise
from tests.conftest import FakeMonotonic


def test_writer_syncs_the_header_every_second(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    writer = WavSegmentWriter(path)
    writer.write(noise(0.5))
    assert segment_frames(path) == 0, "not yet a second: header still says empty"
    writer.write(noise(0.6))
    assert segment_frames(path) == int(1.1 * SAMPLE_RATE), "synced after a second"
    data, rate = soundfile.read(str(path), dtype="int16")
    assert rate == SAMPLE_RATE and len(data) == int(1.1 * SAMPLE_RATE)
    writer.close()
    assert (path.stat().st_mode & 0o777) == 0o600


def test_repair_extends_the_header_over_unsynced_samples(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    audio = noise(2.5)
    writer = WavSegmentWriter(path)
    writer.write(audio[: 2 * SAMPLE_RATE])
    writer._file.write(audio[2 * SAMPLE_RATE :].tobytes() + b"\x01")  # torn last sample
    writer._file.flush()  # as if killed here: no close, no sync
    assert segment_frames(path) == 2 * SAMPLE_RATE
    before, after = repair_wav(path)
    assert (before, after) == (2 * SAMPLE_RATE, len(audio))
    data, _ = soundfile.read(str(path), dtype="int16")
    assert np.array_equal(data, audio)
    assert repair_wav(path) == (len(audio), len(audio)), "repair is idempotent"


def test_repair_of_a_file_cut_inside_its_header(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"RIFF\x00\x00")
    assert repair_wav(path) == (0, 0)
    assert soundfile.info(str(path)).frames == 0


def test_segments_are_numbered_and_recovered(tmp_path: Path) -> None:
    first = next_segment_path(tmp_path)
    WavSegmentWriter(first).close()
    second = next_segment_path(tmp_path)
    assert (first.name, second.name) == ("segment-0001.wav", "segment-0002.wav")
    w = WavSegmentWriter(second)
    w.write(noise(0.3))
    w._file.flush()
    assert recorded_frames(tmp_path) == 0
    fixed = recover_segments(tmp_path)
    assert [round(r.recovered_seconds, 3) for r in fixed] == [0.0, 0.3]
    assert recorded_frames(tmp_path) == int(0.3 * SAMPLE_RATE)


def test_header_fields_are_standard(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    w = WavSegmentWriter(path)
    w.write(noise(1.0))
    w.close()
    head = path.read_bytes()[:44]
    riff, size, wave = struct.unpack("<4sI4s", head[:12])
    assert (riff, wave, size) == (b"RIFF", b"WAVE", 36 + 2 * SAMPLE_RATE)
    info = soundfile.info(str(path))
    assert (info.samplerate, info.channels, info.subtype) == (16000, 1, "PCM_16")


def test_frame_clock_counts_frames_and_never_goes_back(fake_monotonic: FakeMonotonic) -> None:
    clock = FrameClock(SAMPLE_RATE, start_frames=16_000, monotonic=fake_monotonic)
    assert clock.now() == 1.0
    clock.advance(1600, fake_monotonic())
    fake_monotonic.advance(0.05)
    assert clock.now() == pytest.approx(1.15)
    fake_monotonic.advance(5)  # the source stalls: the clock runs on at most max_ahead
    assert clock.now() == pytest.approx(1.25)
    clock.advance(1600, fake_monotonic())  # a block arrives: frames say 1.2 s
    assert clock.now() == pytest.approx(1.25), "never backwards"
    fake_monotonic.advance(0.1)
    assert clock.now() == pytest.approx(1.3)
    assert clock.pause() == pytest.approx(1.3)
    fake_monotonic.advance(10)
    assert clock.now() == pytest.approx(1.3)
    clock.resume()
    assert clock.anchor().running


def test_frame_clock_runs_faster_for_a_sped_up_replay(fake_monotonic: FakeMonotonic) -> None:
    clock = FrameClock(SAMPLE_RATE, speed=4.0, monotonic=fake_monotonic)
    clock.advance(1600, fake_monotonic())
    fake_monotonic.advance(0.025)
    assert clock.now() == pytest.approx(0.2)


def test_level_meter_peak_hold_clipping_and_silence() -> None:
    meter = LevelMeter(SAMPLE_RATE)
    loud = np.full(1600, 32767, dtype=np.int16)
    level = meter.feed(loud)
    assert level.clipping and level.peak_db == pytest.approx(0.0, abs=0.01)
    quiet = (noise(0.1) // 10).astype(np.int16)  # about -40 dBFS: speech, not silence
    level = meter.feed(quiet)
    assert not level.clipping and level.held_peak_db == pytest.approx(0.0, abs=0.01)
    silent = np.zeros(1600, dtype=np.int16)
    for _ in range(20):
        level = meter.feed(silent)
    assert level.silent_seconds == pytest.approx(2.0)
    assert level.held_peak_db < -20, "the held peak falls back after the hold time"
