"""The media clock, state replay and the writer thread."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.codebook import Valence
from facilitator.session.clock import MonotonicClock
from facilitator.session.events import Anchor, Event, EventKind, EventRequest
from facilitator.session.live import LiveSession
from facilitator.session.state import SessionState
from facilitator.session.store import SessionStore
from facilitator.session.writer import EventWriter
from tests.conftest import FakeMonotonic


def test_clock_pauses_and_resumes_without_a_gap(fake_monotonic: FakeMonotonic) -> None:
    clock = MonotonicClock(10.0, monotonic=fake_monotonic)
    fake_monotonic.advance(5)
    assert clock.now() == 15.0
    assert clock.pause() == 15.0
    fake_monotonic.advance(100)
    assert clock.now() == 15.0 and not clock.running
    assert clock.anchor().media_time_at(fake_monotonic() + 50) == 15.0, "frozen while paused"
    clock.resume()
    fake_monotonic.advance(2)
    assert clock.now() == 17.0
    anchor = clock.anchor()
    assert anchor.running and anchor.media_time_at(anchor.monotonic + 3) == 20.0


def test_state_replays_questions_speakers_pauses_and_end() -> None:
    def ev(i: int, kind: EventKind, t: float, **data: object) -> Event:
        return Event(i, kind, t, 0.0, "fac", dict(data))

    state = SessionState.from_events(
        [
            ev(1, EventKind.SESSION_START, 0),
            ev(2, EventKind.QUESTION, 0, question_id="q1", index=0),
            ev(3, EventKind.SPEAKER, 3, participant="P2"),
            ev(4, EventKind.PAUSE, 5),
            ev(5, EventKind.QUESTION, 5, question_id="q2", index=1),
            ev(6, EventKind.SESSION_END, 9),
        ]
    )
    assert state.question_index == 1 and state.question_started_at() == 5
    assert state.speaker == "P2" and state.paused and state.ended
    assert state.last_media_time == 9


def run_writer(folder: Path, actions: Callable[[LiveSession], None]) -> list[Event | None]:
    committed: list[Event | None] = []
    errors: list[str] = []
    writer = EventWriter(folder, lambda r, e: committed.append(e), errors.append)
    writer.start()
    with SessionStore.open(folder) as store:
        live = LiveSession(
            store.guide(), store.codebook(), MonotonicClock(), writer.submit, author="fac"
        )
        actions(live)
    assert writer.flush(10)
    writer.stop()
    assert errors == []
    return committed


def test_writer_commits_in_order_with_press_times(make_session: Callable[..., Path]) -> None:
    folder = make_session()

    def actions(live: LiveSession) -> None:
        live.start(resumed=False)
        live.tag("funding")
        live.valence(Valence.CHALLENGE)
        live.note("said twice", at=0.0)
        live.undo()
        live.undo()  # nothing left: reported back as None
        live.next_question()

    committed = run_writer(folder, actions)
    kinds = [e.kind if e else None for e in committed]
    assert kinds == [
        EventKind.SESSION_START,
        EventKind.QUESTION,
        EventKind.TAG,
        EventKind.EDIT,
        EventKind.NOTE,
        EventKind.UNDO,
        None,
        EventKind.QUESTION,
    ]
    with SessionStore.open(folder) as store:
        assert store.latest_anchor() is not None
        assert len(store.events()) == 7


def test_writer_retries_after_a_failed_write(
    make_session: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_session()
    real_append = SessionStore.append
    failures = {"left": 2}

    def flaky(self: SessionStore, request: EventRequest) -> Event | None:
        if failures["left"]:
            failures["left"] -= 1
            raise sqlite3.OperationalError("database or disk is full")
        return real_append(self, request)

    monkeypatch.setattr(SessionStore, "append", flaky)
    monkeypatch.setattr("facilitator.session.writer.RETRY_SECONDS", 0.01)
    errors: list[str] = []
    committed: list[Event | None] = []
    writer = EventWriter(folder, lambda r, e: committed.append(e), errors.append)
    writer.start()
    writer.submit(EventRequest(EventKind.TAG, 1.0, 0.0, "fac", {"code": "funding"}))
    writer.submit(Anchor(1.0, 5.0, 0.0, True))
    assert writer.flush(10)
    writer.stop()
    assert "disk is full" in errors[0] and "Free some disk space" in errors[0]
    assert errors[-1] == "", "the warning is cleared once saving works again"
    assert [e.kind for e in committed if e] == [EventKind.TAG]
