"""Live transcription with a real Vosk model and real (synthetic Korean) speech."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import soundfile

from facilitator.asr.worker import TranscriptionStatus, TranscriptionWorker
from facilitator.audio import SAMPLE_RATE
from facilitator.audio.recorder import Recorder
from facilitator.audio.segments import segments
from facilitator.audio.sources import FileSource
from facilitator.session.transcript import Segment
from tests.audio_fixtures import best_lag
from tests.speech_fixtures import Speech

pytestmark = pytest.mark.timeout(300)


def run_worker(
    model: tuple[Path, Any], feed: Callable[[TranscriptionWorker], None], **kwargs: Any
) -> tuple[list[Segment], list[tuple[str, object]]]:
    """A worker with the shared model; returns its segments and every callback in order."""
    segments_out: list[Segment] = []
    log: list[tuple[str, object]] = []

    def on_segment(segment: Segment) -> None:
        segments_out.append(segment)
        log.append(("final", segment))

    def on_status(status: TranscriptionStatus) -> None:
        log.append(("status", status))

    worker = TranscriptionWorker(model[0], "ko", on_segment, on_status, model=model[1], **kwargs)
    worker.start()
    feed(worker)
    assert worker.wait_idle(120)
    worker.stop()
    return segments_out, log


def feed_blocks(worker: TranscriptionWorker, samples: np.ndarray, start: float = 0.0) -> None:
    for i in range(0, len(samples), 1600):
        worker.feed(samples[i : i + 1600], start + i / SAMPLE_RATE)


def test_words_are_timed_inside_the_spoken_windows(
    korean_model: tuple[Path, Any], korean_speech: Speech
) -> None:
    segs, log = run_worker(korean_model, lambda w: feed_blocks(w, korean_speech.samples))
    words = [w for s in segs for w in s.words]
    assert len(words) >= 6, "words come out of real speech"
    starts = [w.start for w in words]
    assert starts == sorted(starts) and all(w.end >= w.start for w in words)
    assert all(korean_speech.window_of(w.start) is not None for w in words)
    assert all(korean_speech.window_of(w.end) is not None for w in words)
    heard = {korean_speech.window_of(w.start) for w in words}
    assert heard == {0, 1, 2}, "every utterance is heard"
    assert all(0 <= w.conf <= 1 for w in words)
    for seg in segs:
        assert seg.media_start == seg.words[0].start and seg.model == "ko"
    # partials come before the final of each utterance
    first_final = next(i for i, (kind, _) in enumerate(log) if kind == "final")
    partials = [
        p for kind, p in log[:first_final]
        if kind == "status" and isinstance(p, TranscriptionStatus) and p.partial
    ]  # fmt: skip
    assert partials, "a partial result was shown before the first final"


def test_an_offset_timeline_and_recreated_recognisers_keep_times(
    korean_model: tuple[Path, Any], korean_speech: Speech
) -> None:
    offset = 3600.0  # an hour into the session
    segs, _ = run_worker(
        korean_model,
        lambda w: feed_blocks(w, korean_speech.samples, start=offset),
        recreate_seconds=2.0,  # recreate after every utterance
    )
    words = [w for s in segs for w in s.words]
    assert {korean_speech.window_of(w.start - offset) for w in words} == {0, 1, 2}


def test_pause_and_resume_do_not_shift_later_words(
    korean_model: tuple[Path, Any], korean_speech: Speech, tmp_path: Path
) -> None:
    """Through the real recorder: pause in the silence after the first sentence; later words
    land where that speech is in the recording (paused time is not media time)."""
    folder = tmp_path / "s"
    folder.mkdir()
    speed = 4.0
    segs: list[Segment] = []
    worker = TranscriptionWorker(
        korean_model[0], "ko", segs.append, lambda s: None, model=korean_model[1]
    )
    recorder = Recorder(folder, FileSource(korean_speech.path, speed), lambda s: None, speed=speed)
    recorder.add_listener(worker.feed)
    worker.start()
    recorder.start()
    pause_at = korean_speech.windows[0][1] + 0.5
    while recorder.clock.frames < pause_at * SAMPLE_RATE:
        time.sleep(0.01)
    recorder.pause()
    time.sleep(1.0 / speed)  # about a second of the source goes by unrecorded
    recorder.resume()
    while recorder.status().state != "ended":
        time.sleep(0.05)
    recorder.stop()
    assert worker.wait_idle(120)
    worker.stop()
    recorded, _ = soundfile.read(str(segments(folder)[0]), dtype="int16")
    words = [w for s in segs for w in s.words]
    placed = []  # where each sentence is in the recording
    for start, end in korean_speech.windows:
        sentence = korean_speech.samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
        lag, corr = best_lag(recorded, sentence)
        assert corr > 0.99
        placed.append((lag / SAMPLE_RATE, lag / SAMPLE_RATE + (end - start)))
    for i, (start, end) in enumerate(placed):
        assert any(start - 0.3 <= w.start <= end + 0.3 for w in words), f"sentence {i} heard"
        if i > 0:
            assert start < korean_speech.windows[i][0] - 0.5, "moved earlier by the pause"
    assert all(any(start - 0.3 <= w.start <= end + 0.3 for start, end in placed) for w in words), (
        "every word falls where speech is in the recording"
    )
