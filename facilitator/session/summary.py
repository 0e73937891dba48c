"""A session summary for `facilitator show` (plain data, JSON-ready)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from facilitator.session.state import SessionState
from facilitator.session.store import SessionStore


def iso(wall: float) -> str:
    """Unix seconds as an ISO 8601 UTC timestamp."""
    return datetime.fromtimestamp(wall, tz=UTC).isoformat(timespec="seconds")


def summarise(store: SessionStore) -> dict[str, Any]:
    """Title, guide, counts of events by kind, duration, question starts and live tags."""
    meta = store.meta()
    events = store.events()
    state = SessionState.from_events(events)
    guide = store.guide()
    texts = {q.id: q.text for q in guide.questions}
    guide_name, _ = store.snapshot("guide")
    codebook_name, _ = store.snapshot("codebook")
    return {
        "id": store.folder.name,
        "folder": str(store.folder),
        "title": meta.get("title"),
        "created": iso(float(meta.get("created_wall", 0.0))),
        "guide": {"name": guide_name, "title": guide.title},
        "codebook": {"name": codebook_name, "title": store.codebook().title},
        "participants": [
            {
                "id": p.id,
                "consent_recorded": p.consent_recorded,
                "consent_quoted": p.consent_quoted,
            }
            for p in store.participants()
        ],
        "duration_seconds": round(store.last_media_time(), 3),
        "ended": state.ended,
        "events": store.count_by_kind(),
        "questions": [
            {"id": qid, "text": texts.get(qid, ""), "started_at": round(t, 3)}
            for qid, t in state.question_starts
        ],
        "tags": [
            {
                "event_id": t.event_id,
                "media_time": round(t.media_time, 3),
                "code": t.code,
                "subcode": t.subcode,
                "valence": t.valence,
                "author": t.author,
                "note": t.note,
            }
            for t in state.live_tags()
        ],
    }
