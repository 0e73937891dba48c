"""Snapshot tests of the start, live and help screens at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from facilitator.audio.devices import InputDevice
from facilitator.session.store import default_participants
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens import start
from tests.conftest import FakeMonotonic

SIZES = [(80, 24), (120, 40)]


class SilentInput:
    """Stands in for the snapshot's pretend microphone: a source that never sends audio."""

    def open_source(self) -> Any:
        class Source:
            name, rate, overflows = "USB microphone", 16000, 0

            def start(self, out: Any) -> None: ...

            def stop(self) -> None: ...

        return Source()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_start_screen(
    snap_compare: Any, sessions_root: Path, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    microphone = InputDevice(3, "USB microphone", "ALSA", 1, 48000.0, True, False)
    monkeypatch.setattr(start, "list_input_devices", lambda: [microphone])
    monkeypatch.setattr(start, "_audio_input", lambda choice: SilentInput())
    app = FacilitatorApp(AppConfig(sessions_root, participants=default_participants(3)))
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_live_screen(
    snap_compare: Any,
    make_session: Callable[..., Path],
    sessions_root: Path,
    size: tuple[int, int],
) -> None:
    clock = FakeMonotonic()
    app = FacilitatorApp(
        AppConfig(sessions_root, session=make_session("Partnership group 3"), monotonic=clock)
    )

    async def run_before(pilot: Any) -> None:
        clock.advance(95)
        await pilot.press("right")
        clock.advance(130)
        await pilot.press("2", "plus", "5")
        app.screen.writer.flush()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(
    snap_compare: Any,
    make_session: Callable[..., Path],
    sessions_root: Path,
    size: tuple[int, int],
) -> None:
    app = FacilitatorApp(
        AppConfig(sessions_root, session=make_session(), monotonic=FakeMonotonic())
    )
    assert snap_compare(app, terminal_size=size, press=["question_mark"])
