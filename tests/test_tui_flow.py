"""The whole facilitation flow through the real app, driven with Pilot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitator import cli
from facilitator.session.events import EventKind
from facilitator.session.state import SessionState
from facilitator.session.store import SessionStore
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens.dialogs import ConfirmScreen, NoteScreen, SpeakerScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.live import LiveScreen
from facilitator.tui.screens.start import StartScreen
from facilitator.tui.widgets.recent_tags import RecentTags
from facilitator.tui.widgets.status_bar import StatusBar
from tests.conftest import FakeMonotonic


def config_from_flags(args: list[str], monkeypatch: pytest.MonkeyPatch) -> AppConfig:
    """Run the real command line and catch the app config it would launch."""
    captured: list[AppConfig] = []
    monkeypatch.setattr(cli, "launch_app", lambda config: captured.append(config))
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    return captured[0]


async def settle(app: FacilitatorApp) -> LiveScreen:
    """Wait until every press so far is committed and its message handled."""
    screen = app.screen
    if not isinstance(screen, LiveScreen):
        screen = next(s for s in app.screen_stack if isinstance(s, LiveScreen))
    assert screen.writer.flush(10)
    for _ in range(5):
        pass
    return screen


async def test_full_session_from_flags(
    monkeypatch: pytest.MonkeyPatch, fake_monotonic: FakeMonotonic
) -> None:
    config = config_from_flags(
        ["run", "--title", "Group one", "--participants", "8", "--no-audio", "--author", "Sam"],
        monkeypatch,
    )
    config.monotonic = fake_monotonic
    assert config.session is not None and len(config.participants) == 8
    app = FacilitatorApp(config)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        for _ in range(7):  # step through all eight questions
            fake_monotonic.advance(60)
            await pilot.press("right")
        await pilot.press("right")  # past the last one: nothing happens
        fake_monotonic.advance(5)
        await pilot.press("1", "2")  # research evidence, funding
        await pilot.press("plus")  # funding was a success
        fake_monotonic.advance(5)
        await pilot.press("q", "minus")  # scaling up, a challenge
        await pilot.press("u")  # undo: scaling up withdrawn
        fake_monotonic.advance(5)
        await pilot.press("n")
        note_at = fake_monotonic()
        assert isinstance(app.screen, NoteScreen)
        fake_monotonic.advance(30)  # typing takes time; the note keeps the press time
        await pilot.press(*"Ann agrees", "enter")
        await pilot.press("s")
        assert isinstance(app.screen, SpeakerScreen)
        await pilot.press("3")
        await pilot.press("m")
        screen.writer.flush()
        await pilot.pause()
        recent = app.screen.query_one(RecentTags).content.plain
        assert "Funding" in recent and "Setting up" not in recent
        await pilot.press("ctrl+e")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    folder = config.session
    assert app.return_value == folder
    with SessionStore.open(folder) as store:
        events = store.events()
    kinds = [e.kind for e in events]
    assert kinds == [
        EventKind.SESSION_START,
        *[EventKind.QUESTION] * 8,
        EventKind.TAG,
        EventKind.TAG,
        EventKind.EDIT,
        EventKind.TAG,
        EventKind.EDIT,
        EventKind.UNDO,
        EventKind.NOTE,
        EventKind.SPEAKER,
        EventKind.MARKER,
        EventKind.SESSION_END,
    ]
    times = [e.media_time for e in events]
    assert times == sorted(times), "media times never go backwards"
    assert [e.data["index"] for e in events if e.kind is EventKind.QUESTION] == list(range(8))
    assert times[8] == 7 * 60.0, "the eighth question shows at seven minutes"
    note = next(e for e in events if e.kind is EventKind.NOTE)
    assert note.data == {"text": "Ann agrees"} and note.media_time == note_at - 1000.0
    speaker = next(e for e in events if e.kind is EventKind.SPEAKER)
    assert speaker.data == {"participant": "P3"} and speaker.media_time == note.media_time + 30
    assert all(e.author == "Sam" for e in events)
    state = SessionState.from_events(events)
    assert [(t.code, t.valence) for t in state.live_tags()] == [
        ("research-evidence", None),
        ("funding", "success"),
    ]
    assert state.ended


async def test_pause_freezes_the_clock_and_stamps_at_the_pause_point(
    make_session: Callable[..., Path], sessions_root: Path, fake_monotonic: FakeMonotonic
) -> None:
    folder = make_session()
    app = FacilitatorApp(AppConfig(sessions_root, session=folder, monotonic=fake_monotonic))
    async with app.run_test(size=(80, 24)) as pilot:
        fake_monotonic.advance(10)
        await pilot.press("p")
        fake_monotonic.advance(100)
        await pilot.press("1")
        await pilot.pause()
        assert "PAUSED" in app.screen.query_one(StatusBar).content.plain
        await pilot.press("p")
        fake_monotonic.advance(1)
        await pilot.press("2")
        app.screen.writer.flush()  # type: ignore[attr-defined]
        await pilot.pause()
    with SessionStore.open(folder) as store:
        tags = store.events([EventKind.TAG, EventKind.PAUSE, EventKind.RESUME])
    assert [(e.kind, e.media_time) for e in tags] == [
        (EventKind.PAUSE, 10.0),
        (EventKind.TAG, 10.0),
        (EventKind.RESUME, 10.0),
        (EventKind.TAG, 11.0),
    ]


async def test_resume_continues_the_clock_and_duplicates_nothing(
    make_session: Callable[..., Path], sessions_root: Path, fake_monotonic: FakeMonotonic
) -> None:
    folder = make_session()
    app = FacilitatorApp(AppConfig(sessions_root, session=folder, monotonic=fake_monotonic))
    async with app.run_test() as pilot:
        await pilot.press("right", "right")
        fake_monotonic.advance(42)
        await pilot.press("3")
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
    with SessionStore.open(folder) as store:
        before = store.events()
    assert not SessionState.from_events(before).ended

    fake_monotonic.advance(3600)  # the laptop was off for an hour: not media time
    config = config_from_flags(["resume", folder.name[:15]], pytest.MonkeyPatch())
    config.monotonic = fake_monotonic
    app = FacilitatorApp(config)
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert screen.session.question_index == 2, "the question shown before is still shown"
        fake_monotonic.advance(8)
        await pilot.press("4")
        screen.writer.flush()
        await pilot.pause()
    with SessionStore.open(folder) as store:
        after = store.events()
    assert after[: len(before)] == before, "nothing recorded before changed"
    new = after[len(before) :]
    assert [e.kind for e in new] == [EventKind.SESSION_RESUME, EventKind.TAG]
    assert new[0].media_time == 42.0 and new[1].media_time == 50.0


def test_resume_refuses_an_ended_session_without_reopen(
    make_session: Callable[..., Path],
) -> None:
    from facilitator.session.events import EventRequest

    folder = make_session()
    with SessionStore.open(folder) as store:
        store.append(EventRequest(EventKind.SESSION_END, 5.0, 0.0, "fac"))
    result = CliRunner().invoke(cli.app, ["resume", folder.name])
    assert result.exit_code != 0
    assert "--reopen" in str(result.exception)


async def test_keys_can_be_remapped_in_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_monotonic: FakeMonotonic
) -> None:
    settings = tmp_path / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('author = "Kit"\n[keymap]\n"facilitator.note" = "k"\n')
    config = config_from_flags(["run", "--title", "Remap", "--no-audio"], monkeypatch)
    assert config.author == "Kit"
    app = FacilitatorApp(config)
    async with app.run_test() as pilot:
        await pilot.press("n")
        assert isinstance(app.screen, LiveScreen), "n is no longer the note key"
        await pilot.press("k")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape", "question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert "k" in [keys for keys, desc in app.screen.actions if desc == "Note"]


def test_settings_that_clash_with_the_codebook_are_refused(tmp_path: Path) -> None:
    settings = tmp_path / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('[keymap]\n"facilitator.marker" = "1"\n')
    result = CliRunner().invoke(cli.app, ["run", "--title", "Clash"])
    assert result.exit_code != 0
    assert 'uses "1", which is also "Marker"' in str(result.exception)


async def test_command_palette_offers_actions_and_codes(
    make_session: Callable[..., Path], sessions_root: Path, fake_monotonic: FakeMonotonic
) -> None:
    folder = make_session()
    app = FacilitatorApp(AppConfig(sessions_root, session=folder, monotonic=fake_monotonic))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"mental health")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"next question")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        screen.writer.flush()
        await pilot.pause()
        assert screen.session.question_index == 1
        assert [t.code for t in screen.state.live_tags()] == ["mental-health"]


async def test_start_screen_creates_the_session_with_consent(sessions_root: Path) -> None:
    app = FacilitatorApp(AppConfig(sessions_root, participants=[]))
    async with app.run_test(size=(100, 40)) as pilot:
        assert isinstance(app.screen, StartScreen)
        count = app.screen.query_one("#count")
        count.focus()
        await pilot.press("backspace", "3")
        await pilot.pause()
        rows = app.screen.query("ParticipantRow")
        assert len(rows) == 3
        await pilot.click(".consent-quoted", offset=(2, 1))
        app.screen.query_one("#title").focus()
        await pilot.press(*"Reflection", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LiveScreen)
        folder = app.screen.folder
    with SessionStore.open(folder) as store:
        assert store.title == "Reflection"
        people = store.participants()
    assert [p.id for p in people] == ["P1", "P2", "P3"]
    assert [p.consent_quoted for p in people] == [True, False, False]
    assert all(p.consent_recorded for p in people)
