"""The session store: private files, WAL, migrations, append-only events and edits."""

from __future__ import annotations

import json
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.errors import SessionError
from facilitator.session.events import Anchor, EventKind, EventRequest
from facilitator.session.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from facilitator.session.state import SessionState
from facilitator.session.store import DB_NAME, SessionStore
from facilitator.templates import TEMPLATES


def request(kind: EventKind, t: float, author: str = "fac", **data: object) -> EventRequest:
    return EventRequest(kind, t, 1_700_000_000.0 + t, author, dict(data))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_folder_and_files_are_private(make_session: Callable[..., Path]) -> None:
    folder = make_session()
    with SessionStore.open(folder) as store:
        store.append(request(EventKind.SESSION_START, 0.0))
        files = sorted(p.name for p in folder.iterdir())
        assert files == [DB_NAME, f"{DB_NAME}-shm", f"{DB_NAME}-wal"]
        assert mode(folder) == 0o700
        assert all(mode(folder / f) == 0o600 for f in files)


def test_wal_mode_and_schema_version(make_session: Callable[..., Path]) -> None:
    folder = make_session()
    conn = sqlite3.connect(folder / DB_NAME)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3


def test_migration_from_version_1_keeps_events(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO events(kind, media_time, wall_time, author, data) "
        "VALUES ('tag', 12.5, 1.0, 'ann', '{\"code\": \"funding\"}')"
    )
    conn.close()
    with SessionStore.open(folder) as store:
        assert [(e.kind, e.media_time, e.data) for e in store.events()] == [
            (EventKind.TAG, 12.5, {"code": "funding"})
        ]
        store.add_anchor(Anchor(13.0, 100.0, 2.0, True))  # a table that version 2 added
        assert store.latest_anchor() == Anchor(13.0, 100.0, 2.0, True)
    assert (
        sqlite3.connect(folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0]
        == SCHEMA_VERSION
    )
    assert len(MIGRATIONS) == SCHEMA_VERSION == 3


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SessionError, match="newer version of Facilitator"):
        SessionStore.open(folder)
    assert sqlite3.connect(folder / DB_NAME).execute("PRAGMA user_version").fetchone()[0] == 99


def test_not_a_database_and_missing_session(tmp_path: Path) -> None:
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(SessionError, match="keep a copy of the folder"):
        SessionStore.open(tmp_path / "junk")
    with pytest.raises(SessionError, match="facilitator sessions"):
        SessionStore.open(tmp_path / "nothing")


def test_edits_and_undo_are_new_events(make_session: Callable[..., Path]) -> None:
    with SessionStore.open(make_session()) as store:
        first = store.append(request(EventKind.TAG, 1.0, code="funding"))
        second = store.append(request(EventKind.TAG, 2.0, code="place"))
        other = store.append(request(EventKind.TAG, 2.5, author="ann", code="training"))
        edit = store.append(request(EventKind.EDIT, 3.0, valence="success"))
        undo = store.append(request(EventKind.UNDO, 4.0))
        assert first and second and other and edit and undo
        assert edit.ref == second.id and undo.ref == second.id
        again = store.append(request(EventKind.UNDO, 5.0))
        assert again is not None and again.ref == first.id, "undo walks back one tag at a time"
        assert store.append(request(EventKind.UNDO, 6.0)) is None, "nothing left of fac's"
        rows = store.events()
        assert [e.kind for e in rows].count(EventKind.TAG) == 3, "nothing is deleted"
        state = SessionState.from_events(rows)
        assert [t.code for t in state.live_tags()] == ["training"]


def test_retime_edit_moves_a_tag(make_session: Callable[..., Path]) -> None:
    with SessionStore.open(make_session()) as store:
        tag = store.append(request(EventKind.TAG, 10.0, code="funding"))
        assert tag is not None
        store.append(EventRequest(EventKind.EDIT, 11.0, 0.0, "fac", {"media_time": 8.0}, tag.id))
        state = SessionState.from_events(store.events())
        assert state.tags[tag.id].media_time == 8.0


def test_snapshots_do_not_follow_template_changes(
    make_session: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = make_session()
    original = (TEMPLATES / "guides" / "partnership-health-inequalities.toml").read_text()
    with SessionStore.open(folder) as store:
        name, text = store.snapshot("guide")
        assert (name, text) == ("partnership-health-inequalities", original)
        assert len(store.guide().questions) == 8
        assert len(store.codebook().themes) == 12
        row = store._conn.execute("SELECT sha256 FROM snapshots WHERE kind='guide'").fetchone()
        assert len(row[0]) == 64


def test_participants_and_consent(sessions_root: Path) -> None:
    from facilitator.session.setup import create_session
    from facilitator.session.store import Participant

    people = [Participant("P1", "Ann", True, True), Participant("P2", None, True, False)]
    folder = create_session(
        sessions_root,
        title="Consent",
        guide="community-partners-reflection",
        codebook="community-partners-reflection",
        participants=people,
    )
    with SessionStore.open(folder) as store:
        assert store.participants() == people
        assert store.meta()["title"] == "Consent"


def test_concurrent_writers_lose_nothing(make_session: Callable[..., Path]) -> None:
    folder = make_session()

    def write(author: str) -> None:
        with SessionStore.open(folder) as store:
            for i in range(100):
                store.append(request(EventKind.TAG, float(i), author=author, code="funding"))

    threads = [threading.Thread(target=write, args=(f"w{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with SessionStore.open(folder) as store:
        assert store.count_by_kind() == {"tag": 400}
        ids = [e.id for e in store.events()]
        assert ids == sorted(set(ids))


def test_last_media_time_includes_anchors(make_session: Callable[..., Path]) -> None:
    with SessionStore.open(make_session()) as store:
        assert store.last_media_time() == 0.0
        store.append(request(EventKind.MARKER, 42.0))
        store.add_anchor(Anchor(47.5, 10.0, 0.0, True))
        assert store.last_media_time() == 47.5
        assert json.loads(json.dumps(store.meta()))["app_version"]


def test_transcript_segments_carry_question_and_speaker(make_session: Callable[..., Path]) -> None:
    from facilitator.session.transcript import Segment, Word

    with SessionStore.open(make_session()) as store:
        store.append(request(EventKind.QUESTION, 0.0, question_id="q1", index=0))
        store.append(request(EventKind.SPEAKER, 4.0, participant="P2"))
        store.append(request(EventKind.QUESTION, 9.0, question_id="q2", index=1))
        words = (Word("hello", 5.0, 5.4, 0.9), Word("all", 5.5, 5.8, 1.0))
        first = store.add_segment(Segment(5.0, 5.8, "hello all", words, model="m"))
        second = store.add_segment(Segment(9.5, 10.0, "next", (Word("next", 9.5, 10.0, 1),)))
        batch = store.add_segment(Segment(1.0, 2.0, "x", (), version="batch-1"))
        assert (first.question_id, first.speaker) == ("q1", "P2")
        assert (second.question_id, second.speaker) == ("q2", "P2")
        assert batch.question_id == "q1" and batch.speaker is None
        assert [s.text for s in store.segments()] == ["hello all", "next"]
        assert store.segments()[0].words == words
        assert store.segments(after_id=first.id) == [second]
        assert store.transcript_versions() == {"live": 2, "batch-1": 1}


def test_opening_an_existing_session_never_opens_a_raw_descriptor_on_it(
    make_session: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing any descriptor on the database drops every POSIX lock this process holds on it,
    behind the backs of other connections (SQLite's documented corruption case): opening the
    store a second time, as the writer thread does, must not touch the file itself."""
    import os

    folder = make_session()
    holder = SessionStore.open(folder)
    opened: list[str] = []
    real_open = os.open

    def spy(path: object, *args: object, **kwargs: object) -> int:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    SessionStore.open(folder).close()
    holder.close()
    assert str(folder / DB_NAME) not in opened
