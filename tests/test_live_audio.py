"""Audio through the live screen and the command line, for real."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from facilitator import cli
from facilitator.audio import SAMPLE_RATE
from facilitator.audio.inputs import AudioInput
from facilitator.audio.segments import segments
from facilitator.session.events import EventKind
from facilitator.session.store import SessionStore
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens.live import LiveScreen
from facilitator.tui.widgets.status_bar import StatusBar
from tests.audio_fixtures import PulseServer, noise, write_wav

pytestmark = pytest.mark.timeout(120)


async def test_file_source_drives_the_media_clock_on_the_live_screen(
    make_session: Callable[..., Path], sessions_root: Path, tmp_path: Path
) -> None:
    audio = noise(8.0, seed=11)
    wav = write_wav(tmp_path / "group.wav", audio)
    folder = make_session()
    config = AppConfig(
        sessions_root, session=folder, audio=AudioInput("file", file=str(wav), speed=4.0)
    )
    app = FacilitatorApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen) and screen.recorder is not None
        while screen.clock.now() < 3.0:
            await pilot.pause(0.05)
        before = screen.clock.now()
        await pilot.press("1")
        after = screen.clock.now()
        while screen.recorder_status is None or screen.recorder_status.state != "ended":
            await pilot.pause(0.05)
        status = app.screen.query_one(StatusBar).content.plain
        assert "ENDED" in status and "0:0" not in status.split()[0]
        assert 8.0 <= screen.clock.now() <= 8.15, "the clock is the file (+ at most 1.5 blocks)"
        screen.writer.flush()
        await pilot.pause()
    with SessionStore.open(folder) as store:
        (tag,) = store.events([EventKind.TAG])
        anchors = store.latest_anchor()
    assert before <= tag.media_time <= after, "stamped in file time when the key was pressed"
    assert anchors is not None
    data, _ = soundfile.read(str(segments(folder)[0]), dtype="int16")
    assert np.array_equal(data, audio), "the session's recording is the replayed file"


async def test_live_screen_records_from_the_virtual_microphone(
    pulse: PulseServer, make_session: Callable[..., Path], sessions_root: Path, tmp_path: Path
) -> None:
    folder = make_session()
    config = AppConfig(sessions_root, session=folder, audio=AudioInput("device", "pulse"))
    app = FacilitatorApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        pulse.play(write_wav(tmp_path / "talk.wav", noise(2.0, seed=1)))
        deadline = time.monotonic() + 20
        while screen.clock.now() < 2.0 and time.monotonic() < deadline:
            await pilot.pause(0.05)
        status = screen.query_one(StatusBar).content.plain
        assert "REC" in status and "tags 0" in status
        await pilot.press("p")
        paused_at = screen.clock.now()
        await pilot.pause(0.5)
        assert screen.clock.now() == paused_at and "PAUSED" in (
            screen.query_one(StatusBar).content.plain
        )
    assert soundfile.info(str(segments(folder)[0])).frames >= 2 * SAMPLE_RATE


def test_devices_command_and_a_missing_device(pulse: PulseServer) -> None:
    result = CliRunner().invoke(cli.app, ["devices"])
    assert result.exit_code == 0 and "pulse" in result.output
    result = CliRunner().invoke(cli.app, ["run", "--title", "x", "--input", "Blue Yeti"])
    assert result.exit_code != 0
    assert '"Blue Yeti" is not an input device here' in str(result.exception)
    assert "pulse" in str(result.exception), "the message lists the devices there are"


def test_recover_command_repairs_a_crashed_recording(
    make_session: Callable[..., Path],
) -> None:
    from facilitator.audio.segments import next_segment_path
    from facilitator.audio.wavfile import WavSegmentWriter

    folder = make_session()
    writer = WavSegmentWriter(next_segment_path(folder))
    writer.write(noise(1.0))
    writer._file.write(noise(0.5).tobytes())
    writer._file.flush()  # then the power went
    result = CliRunner().invoke(cli.app, ["recover", str(folder)])
    assert result.exit_code == 0, result.output
    assert "segment-0001.wav: 1.5 s, recovered 0.5 s" in result.output
    assert soundfile.info(str(segments(folder)[0])).frames == int(1.5 * SAMPLE_RATE)


def test_input_flags_are_exclusive(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli.app, ["run", "--title", "x", "--no-audio", "--input-file", str(tmp_path / "a.wav")]
    )
    assert "Choose one of --input, --input-file and --no-audio" in str(result.exception)


async def test_start_screen_previews_the_input_level(
    pulse: PulseServer, sessions_root: Path, tmp_path: Path
) -> None:
    from textual.widgets import Select, Static

    from facilitator.tui.screens.start import StartScreen

    app = FacilitatorApp(AppConfig(sessions_root))
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        choice = screen.query_one("#input", Select)
        pulse_index = next(v for label, v in choice._options if "pulse" in str(label))
        choice.value = pulse_index
        player = pulse.play(write_wav(tmp_path / "loud.wav", noise(3.0, seed=2)))
        preview = screen.query_one("#preview", Static)
        deadline = time.monotonic() + 15
        while "█" not in str(preview.content) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        player.kill()
        assert "█" in str(preview.content), "the meter moves with the sound"
        choice.value = "none"
        await pilot.pause()
        assert str(preview.content) == "" and screen._monitor is None
