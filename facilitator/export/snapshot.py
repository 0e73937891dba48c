"""A consistent snapshot of a session for export, with pseudonymisation and redaction applied.

Tag → transcript rule (documented for analysts): a tag points at the utterance in progress
when the key was pressed; if none was in progress, at the utterance that finished most recently
within `JUST_FINISHED_SECONDS` before the press; otherwise at no text (it is still exported on
the audio timeline).

A session still being recorded is exported as it stands now: everything committed so far, and
the audio up to the last second made whole on disk.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from facilitator.audio import SAMPLE_RATE
from facilitator.audio.segments import recorded_frames, recover_segments, segments
from facilitator.codebook import Codebook
from facilitator.guide import Guide
from facilitator.session.events import EventKind
from facilitator.session.state import SessionState, Tag
from facilitator.session.store import Participant, SessionStore
from facilitator.session.transcript import LIVE, Segment

JUST_FINISHED_SECONDS = 10.0
REDACTED = "[redacted]"


@dataclass(frozen=True)
class TimedNote:
    """A free-text note or a marker at a moment."""

    media_time: float
    author: str
    text: str
    kind: str  # note | marker


@dataclass
class Snapshot:
    """Everything an export writes, read once from the store."""

    session_id: str
    title: str
    meta: dict[str, Any]
    guide: Guide
    guide_text: str
    codebook: Codebook
    codebook_text: str
    participants: list[Participant]
    tags: list[Tag]
    notes: list[TimedNote]
    questions: list[tuple[str, float]]
    speakers: list[tuple[str, float]]
    segments: list[Segment]
    audio: list[Path]
    duration: float
    authors: list[str] = field(default_factory=list)
    redact_words: list[str] = field(default_factory=list)
    pseudonymised: bool = False

    def guid(self, *key: object) -> str:
        """A stable GUID for an exported object of this session."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(map(str, (self.session_id, *key)))))

    def speaker_label(self, participant: str | None) -> str:
        """A participant's label: the display name, or the id when pseudonymised or unnamed."""
        if participant is None:
            return ""
        person = next((p for p in self.participants if p.id == participant), None)
        if self.pseudonymised or person is None or not person.display_name:
            return participant
        return person.display_name

    def clean(self, text: str) -> str:
        """Text with display names (when pseudonymised) and listed words replaced."""
        words = list(self.redact_words)
        if self.pseudonymised:
            words += [p.display_name for p in self.participants if p.display_name]
        for word in sorted(words, key=len, reverse=True):
            text = re.sub(rf"(?i)\b{re.escape(word)}\b", REDACTED, text)
        return text

    def segment_at(self, t: float) -> Segment | None:
        """The utterance a moment points at (see the module docstring)."""
        for s in self.segments:
            if s.media_start <= t <= s.media_end:
                return s
        finished = [s for s in self.segments if 0 <= t - s.media_end <= JUST_FINISHED_SECONDS]
        return finished[-1] if finished else None

    def question_at(self, t: float) -> str | None:
        """The question on screen at a moment."""
        current = None
        for qid, start in self.questions:
            if start <= t:
                current = qid
        return current


def take_snapshot(
    folder: Path,
    *,
    version: str = LIVE,
    pseudonymise: bool = False,
    redact: list[str] | None = None,
) -> Snapshot:
    """Read the session once (audio headers repaired first, so nothing on disk is left out)."""
    recover_segments(folder)
    with SessionStore.open(folder) as store:
        events = store.events()
        state = SessionState.from_events(events)
        _, guide_text = store.snapshot("guide")
        _, codebook_text = store.snapshot("codebook")
        transcript = store.segments(version)
        snap = Snapshot(
            session_id=folder.name,
            title=store.title,
            meta=store.meta(),
            guide=store.guide(),
            guide_text=guide_text,
            codebook=store.codebook(),
            codebook_text=codebook_text,
            participants=store.participants(),
            tags=state.live_tags(),
            notes=[
                TimedNote(
                    e.media_time,
                    e.author,
                    str(e.data.get("text") or e.data.get("label") or "important moment"),
                    str(e.kind),
                )
                for e in events
                if e.kind in (EventKind.NOTE, EventKind.MARKER)
            ],
            questions=list(state.question_starts),
            speakers=[
                (str(e.data["participant"]), e.media_time)
                for e in events
                if e.kind is EventKind.SPEAKER
            ],
            segments=transcript,
            audio=segments(folder),
            duration=store.last_media_time(),
            authors=sorted({e.author for e in events}),
            redact_words=list(redact or []),
            pseudonymised=pseudonymise,
        )
    if snap.audio:
        snap.duration = recorded_frames(folder) / SAMPLE_RATE
    return snap
