"""Event kinds and the event record. Events are append-only; edits are new events."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    """Everything that can happen in a session."""

    SESSION_START = "session_start"
    SESSION_RESUME = "session_resume"
    SESSION_END = "session_end"
    QUESTION = "question"  # data: question_id, index
    TAG = "tag"  # data: code, subcode, valence, note
    EDIT = "edit"  # ref: the tag; data: the fields that change (valence, media_time)
    UNDO = "undo"  # ref: the tag withdrawn
    NOTE = "note"  # data: text
    MARKER = "marker"  # data: label
    SPEAKER = "speaker"  # data: participant
    PAUSE = "pause"
    RESUME = "resume"


EDITS_OF_TAGS = frozenset({EventKind.EDIT, EventKind.UNDO})


@dataclass(frozen=True)
class Event:
    """A stored event: media time is seconds into the recording; wall time is Unix seconds."""

    id: int
    kind: EventKind
    media_time: float
    wall_time: float
    author: str
    data: dict[str, Any] = field(default_factory=dict)
    ref: int | None = None


@dataclass(frozen=True)
class EventRequest:
    """An event to be appended. `ref=None` on an edit or undo means the author's last live tag."""

    kind: EventKind
    media_time: float
    wall_time: float
    author: str
    data: dict[str, Any] = field(default_factory=dict)
    ref: int | None = None


@dataclass(frozen=True)
class Anchor:
    """Media time ↔ monotonic clock at one instant, so other processes can compute 'now'."""

    media_time: float
    monotonic: float
    wall_time: float
    running: bool

    def media_time_at(self, monotonic: float) -> float:
        """Media time at a monotonic instant after this anchor (frozen while not running)."""
        if not self.running:
            return self.media_time
        return self.media_time + max(0.0, monotonic - self.monotonic)
