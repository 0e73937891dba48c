"""The session.db schema as an ordered list of migrations; `PRAGMA user_version` is the version."""

from __future__ import annotations

import sqlite3

from facilitator.errors import SessionError

MIGRATIONS: tuple[str, ...] = (
    # 1: metadata, participants, snapshots of the guide and codebook, the event log.
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        display_name TEXT,
        consent_recorded INTEGER NOT NULL,
        consent_quoted INTEGER NOT NULL
    );
    CREATE TABLE snapshots (
        kind TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        content TEXT NOT NULL,
        sha256 TEXT NOT NULL
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        media_time REAL NOT NULL CHECK (media_time >= 0),
        wall_time REAL NOT NULL,
        author TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        ref INTEGER REFERENCES events(id)
    );
    """,
    # 2: clock anchors (media time <-> monotonic time) and an index for per-kind queries.
    """
    CREATE TABLE anchors (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        media_time REAL NOT NULL,
        monotonic REAL NOT NULL,
        wall_time REAL NOT NULL,
        running INTEGER NOT NULL
    );
    CREATE INDEX events_kind ON events(kind, id);
    CREATE INDEX events_ref ON events(ref);
    """,
    # 3: the transcript: final recognition results with word times, in versions (live, batch…).
    """
    CREATE TABLE transcript_segments (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        version TEXT NOT NULL,
        media_start REAL NOT NULL,
        media_end REAL NOT NULL,
        text TEXT NOT NULL,
        words TEXT NOT NULL,
        question_id TEXT,
        speaker TEXT,
        model TEXT NOT NULL DEFAULT '',
        created_wall REAL NOT NULL
    );
    CREATE INDEX transcript_version ON transcript_segments(version, media_start);
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the database up to `target`, one transaction per step; return the new version."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise SessionError(
            f"This session was written by a newer version of Facilitator (schema {version}, "
            f"this version knows up to {SCHEMA_VERSION}). Update Facilitator to open it; "
            "the session has not been changed."
        )
    while version < target:
        script = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return version
