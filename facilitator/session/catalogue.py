"""Finding sessions: naming new session folders, listing them, resolving what the user typed."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import SessionError
from facilitator.paths import make_private_dir
from facilitator.session.state import SessionState
from facilitator.session.store import DB_NAME, SessionStore


def slugify(text: str, limit: int = 40) -> str:
    """A filesystem-safe short form of a title."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "session"


def new_session_folder(root: Path, title: str, now: float | None = None) -> Path:
    """A fresh, unused folder path for a session: YYYYMMDD-HHMMSS-title."""
    make_private_dir(root)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    base = f"{stamp}-{slugify(title)}"
    candidate, n = root / base, 2
    while candidate.exists():
        candidate, n = root / f"{base}-{n}", n + 1
    return candidate


@dataclass(frozen=True)
class SessionInfo:
    """One line of `facilitator sessions`."""

    id: str
    folder: Path
    title: str
    created_wall: float
    duration: float
    events: int
    ended: bool


def list_sessions(root: Path) -> list[SessionInfo]:
    """Sessions under `root`, oldest first; unreadable folders are skipped."""
    infos = []
    for db in sorted(root.glob(f"*/{DB_NAME}")):
        try:
            with SessionStore.open(db.parent) as store:
                meta = store.meta()
                state = SessionState.from_events(store.events())
                infos.append(
                    SessionInfo(
                        db.parent.name,
                        db.parent,
                        str(meta.get("title", "")),
                        float(meta.get("created_wall", 0.0)),
                        store.last_media_time(),
                        state.last_event_id,
                        state.ended,
                    )
                )
        except SessionError:
            continue
    return infos


def find_session(root: Path, ref: str) -> Path:
    """A session folder from a path, a folder name, or a unique start of a folder name."""
    path = Path(ref).expanduser()
    if (path / DB_NAME).exists():
        return path
    if (root / ref / DB_NAME).exists():
        return root / ref
    matches = [db.parent for db in root.glob(f"{glob_escape(ref)}*/{DB_NAME}")]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SessionError(
            f'No session "{ref}" in {root}. Run "facilitator sessions" to list them, '
            "or give the session folder's path."
        )
    names = ", ".join(sorted(m.name for m in matches))
    raise SessionError(f'"{ref}" matches several sessions ({names}); type more of the name.')


def glob_escape(text: str) -> str:
    """Escape glob wildcards in user text."""
    return re.sub(r"([*?\[])", r"[\1]", text)
