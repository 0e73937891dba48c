"""SessionStore: the session.db of one session folder (SQLite in WAL mode, private files)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from facilitator.codebook import Codebook
from facilitator.errors import FacilitatorError, SessionError
from facilitator.guide import Guide
from facilitator.paths import make_private_dir, touch_private_file
from facilitator.session.events import Anchor, Event, EventKind, EventRequest
from facilitator.session.schema import migrate
from facilitator.session.transcript import LIVE, Segment, Word
from facilitator.tomlfile import parse_model

DB_NAME = "session.db"


@dataclass(frozen=True)
class Participant:
    """A participant under a pseudonymous id (P1..Pn) with consent as recorded."""

    id: str
    display_name: str | None = None
    consent_recorded: bool = True
    consent_quoted: bool = False

    @property
    def label(self) -> str:
        """The id, with the display name when there is one."""
        return f"{self.id} {self.display_name}" if self.display_name else self.id


def default_participants(count: int) -> list[Participant]:
    """P1..Pn with consent to be recorded (not to be quoted) until told otherwise."""
    return [Participant(f"P{i}") for i in range(1, count + 1)]


class SessionStore:
    """Read and append to one session's database. One instance per thread."""

    def __init__(self, folder: Path, conn: sqlite3.Connection) -> None:
        self.folder = folder
        self._conn = conn

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        *,
        title: str,
        guide: tuple[str, str],
        codebook: tuple[str, str],
        participants: Sequence[Participant],
        extra_meta: dict[str, Any] | None = None,
    ) -> SessionStore:
        """Make a new session folder; `guide` and `codebook` are (name, TOML text) snapshots."""
        if (folder / DB_NAME).exists():
            raise SessionError(f"A session already exists in {folder}.")
        make_private_dir(folder)
        store = cls.open(folder, create=True)
        with store._write() as c:
            meta = {
                "title": title,
                "created_wall": time.time(),
                "app_version": _app_version(),
                **(extra_meta or {}),
            }
            c.executemany(
                "INSERT INTO meta(key, value) VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in meta.items()],
            )
            for kind, (name, content) in (("guide", guide), ("codebook", codebook)):
                digest = hashlib.sha256(content.encode()).hexdigest()
                c.execute(
                    "INSERT INTO snapshots(kind, name, content, sha256) VALUES (?, ?, ?, ?)",
                    (kind, name, content, digest),
                )
            c.executemany(
                "INSERT INTO participants VALUES (?, ?, ?, ?, ?)",
                [
                    (p.id, i, p.display_name, int(p.consent_recorded), int(p.consent_quoted))
                    for i, p in enumerate(participants)
                ],
            )
        return store

    @classmethod
    def open(cls, folder: Path, *, create: bool = False) -> SessionStore:
        """Open (and migrate) the session in `folder`."""
        db = folder / DB_NAME
        if not create and not db.exists():
            raise SessionError(
                f"No session found in {folder} (there is no {DB_NAME}). "
                "Run 'facilitator sessions' to list sessions."
            )
        if not db.exists():
            # Never open and close a descriptor on an existing database: closing any descriptor
            # on a file drops every POSIX lock this process holds on it, so another thread's
            # connection would lose its locks while other processes write (SQLite corrupts).
            touch_private_file(db)
        try:
            conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            migrate(conn)
        except sqlite3.DatabaseError as exc:
            raise SessionError(
                f"{db} cannot be opened as a session database ({exc}). "
                "It may be damaged; keep a copy of the folder before trying anything else."
            ) from None
        return cls(folder, conn)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- metadata, snapshots, participants ----------------------------------------------------

    def meta(self) -> dict[str, Any]:
        """All metadata as a dict."""
        rows = self._conn.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows}

    def set_meta(self, key: str, value: Any) -> None:
        """Set one metadata value."""
        with self._write() as c:
            c.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)),
            )

    @property
    def title(self) -> str:
        """The session's title."""
        return str(self.meta().get("title", self.folder.name))

    def snapshot(self, kind: str) -> tuple[str, str]:
        """(name, TOML text) of the guide or codebook stored with the session."""
        row = self._conn.execute(
            "SELECT name, content FROM snapshots WHERE kind = ?", (kind,)
        ).fetchone()
        if row is None:
            raise SessionError(f"The session in {self.folder} has no {kind} stored.")
        return str(row[0]), str(row[1])

    def guide(self) -> Guide:
        """The guide as it was when the session started."""
        name, text = self.snapshot("guide")
        return parse_model(Guide, text, f"{self.folder.name}: guide {name}")

    def codebook(self) -> Codebook:
        """The codebook as it was when the session started."""
        name, text = self.snapshot("codebook")
        return parse_model(Codebook, text, f"{self.folder.name}: codebook {name}")

    def participants(self) -> list[Participant]:
        """Participants in order."""
        rows = self._conn.execute(
            "SELECT id, display_name, consent_recorded, consent_quoted "
            "FROM participants ORDER BY position"
        ).fetchall()
        return [Participant(r[0], r[1], bool(r[2]), bool(r[3])) for r in rows]

    # -- events ----------------------------------------------------------------------------

    def append(self, request: EventRequest) -> Event | None:
        """Append one event durably. An edit or undo without `ref` applies to the author's
        last live tag; it returns None when there is no such tag."""
        with self._write() as c:
            ref = request.ref
            if request.kind in (EventKind.EDIT, EventKind.UNDO) and ref is None:
                ref = self._last_live_tag(c, request.author)
                if ref is None:
                    return None
            cur = c.execute(
                "INSERT INTO events(kind, media_time, wall_time, author, data, ref) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    str(request.kind),
                    request.media_time,
                    request.wall_time,
                    request.author,
                    json.dumps(request.data, ensure_ascii=False),
                    ref,
                ),
            )
            event_id = cur.lastrowid
        assert event_id is not None
        return Event(
            event_id,
            request.kind,
            request.media_time,
            request.wall_time,
            request.author,
            dict(request.data),
            ref,
        )

    @staticmethod
    def _last_live_tag(c: sqlite3.Connection, author: str) -> int | None:
        row = c.execute(
            "SELECT id FROM events t WHERE kind = 'tag' AND author = ? AND NOT EXISTS "
            "(SELECT 1 FROM events u WHERE u.kind = 'undo' AND u.ref = t.id) "
            "ORDER BY id DESC LIMIT 1",
            (author,),
        ).fetchone()
        return None if row is None else int(row[0])

    def events(self, kinds: Iterable[EventKind] | None = None, after_id: int = 0) -> list[Event]:
        """Events in the order they were appended (optionally of some kinds, after an id)."""
        sql = "SELECT id, kind, media_time, wall_time, author, data, ref FROM events WHERE id > ?"
        args: list[Any] = [after_id]
        if kinds is not None:
            kinds = list(kinds)
            sql += f" AND kind IN ({','.join('?' * len(kinds))})"
            args += [str(k) for k in kinds]
        rows = self._conn.execute(sql + " ORDER BY id", args).fetchall()
        return [
            Event(r[0], EventKind(r[1]), r[2], r[3], r[4], json.loads(r[5]), r[6]) for r in rows
        ]

    def count_by_kind(self) -> dict[str, int]:
        """How many events of each kind."""
        rows = self._conn.execute("SELECT kind, COUNT(*) FROM events GROUP BY kind").fetchall()
        return {str(k): int(n) for k, n in rows}

    # -- transcript ------------------------------------------------------------------------

    def add_segment(self, segment: Segment) -> Segment:
        """Store a final result, with the question shown and the speaker at its start."""
        with self._write() as c:
            question = c.execute(
                "SELECT json_extract(data, '$.question_id') FROM events WHERE kind = 'question' "
                "AND media_time <= ? ORDER BY media_time DESC, id DESC LIMIT 1",
                (segment.media_start + 1e-6,),
            ).fetchone()
            speaker = c.execute(
                "SELECT json_extract(data, '$.participant') FROM events WHERE kind = 'speaker' "
                "AND media_time <= ? ORDER BY media_time DESC, id DESC LIMIT 1",
                (segment.media_start + 1e-6,),
            ).fetchone()
            question_id = segment.question_id or (question[0] if question else None)
            speaker_id = segment.speaker or (speaker[0] if speaker else None)
            words = [[w.word, w.start, w.end, w.conf] for w in segment.words]
            cur = c.execute(
                "INSERT INTO transcript_segments(version, media_start, media_end, text, words, "
                "question_id, speaker, model, created_wall) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    segment.version,
                    segment.media_start,
                    segment.media_end,
                    segment.text,
                    json.dumps(words, ensure_ascii=False),
                    question_id,
                    speaker_id,
                    segment.model,
                    time.time(),
                ),
            )
        return replace(
            segment, id=int(cur.lastrowid or 0), question_id=question_id, speaker=speaker_id
        )

    def segments(self, version: str = LIVE, after_id: int = 0) -> list[Segment]:
        """Segments of one transcript version in time order (optionally only newer rows)."""
        rows = self._conn.execute(
            "SELECT id, version, media_start, media_end, text, words, question_id, speaker, model "
            "FROM transcript_segments WHERE version = ? AND id > ? ORDER BY media_start, id",
            (version, after_id),
        ).fetchall()
        return [
            Segment(
                r[2],
                r[3],
                r[4],
                tuple(Word(*w) for w in json.loads(r[5])),
                r[1],
                r[8],
                r[6],
                r[7],
                r[0],
            )
            for r in rows
        ]

    def transcript_versions(self) -> dict[str, int]:
        """Transcript versions and how many segments each has."""
        rows = self._conn.execute(
            "SELECT version, COUNT(*) FROM transcript_segments GROUP BY version ORDER BY MIN(id)"
        ).fetchall()
        return {str(v): int(n) for v, n in rows}

    # -- clock anchors ----------------------------------------------------------------------

    def add_anchor(self, anchor: Anchor) -> None:
        """Record where media time stood against the monotonic clock."""
        with self._write() as c:
            c.execute(
                "INSERT INTO anchors(media_time, monotonic, wall_time, running) VALUES (?,?,?,?)",
                (anchor.media_time, anchor.monotonic, anchor.wall_time, int(anchor.running)),
            )

    def latest_anchor(self) -> Anchor | None:
        """The most recent anchor."""
        row = self._conn.execute(
            "SELECT media_time, monotonic, wall_time, running FROM anchors ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else Anchor(row[0], row[1], row[2], bool(row[3]))

    def last_media_time(self) -> float:
        """The latest media time the store knows of (events and anchors)."""
        row = self._conn.execute(
            "SELECT MAX(m) FROM (SELECT MAX(media_time) AS m FROM events "
            "UNION ALL SELECT MAX(media_time) FROM anchors)"
        ).fetchone()
        return float(row[0] or 0.0)


def _app_version() -> str:
    from facilitator import __version__

    return __version__


def open_store(folder: Path) -> SessionStore:
    """Open a session folder, turning any failure into a clear SessionError."""
    try:
        return SessionStore.open(folder)
    except FacilitatorError:
        raise
    except OSError as exc:
        raise SessionError(f"Cannot open the session in {folder}: {exc.strerror}.") from None
