"""The state of a session derived from its events (pure: replaying the log rebuilds it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from facilitator.session.events import Event, EventKind


@dataclass(frozen=True)
class Tag:
    """A live tag as it stands after its edits."""

    event_id: int
    media_time: float
    code: str
    author: str
    subcode: str | None = None
    valence: str | None = None
    note: str | None = None


@dataclass
class SessionState:
    """What the event log says now: current question, live tags, paused, ended."""

    question_index: int | None = None
    question_starts: list[tuple[str, float]] = field(default_factory=list)
    tags: dict[int, Tag] = field(default_factory=dict)
    speaker: str | None = None
    paused: bool = False
    ended: bool = False
    started: bool = False
    last_media_time: float = 0.0
    last_event_id: int = 0

    @classmethod
    def from_events(cls, events: Iterable[Event]) -> SessionState:
        """Replay events in order."""
        state = cls()
        for event in events:
            state.apply(event)
        return state

    def apply(self, event: Event) -> None:
        """Fold one event into the state (events must arrive in id order)."""
        if event.id <= self.last_event_id:
            return
        self.last_event_id = event.id
        self.last_media_time = max(self.last_media_time, event.media_time)
        kind, data = event.kind, event.data
        if kind in (EventKind.SESSION_START, EventKind.SESSION_RESUME):
            self.started, self.ended, self.paused = True, False, False
        elif kind is EventKind.SESSION_END:
            self.ended = True
        elif kind is EventKind.QUESTION:
            self.question_index = int(data["index"])
            self.question_starts.append((str(data["question_id"]), event.media_time))
        elif kind is EventKind.TAG:
            self.tags[event.id] = Tag(
                event.id,
                event.media_time,
                str(data["code"]),
                event.author,
                data.get("subcode"),
                data.get("valence"),
                data.get("note"),
            )
        elif kind is EventKind.UNDO and event.ref is not None:
            self.tags.pop(event.ref, None)
        elif kind is EventKind.EDIT and event.ref in self.tags:
            tag = self.tags[event.ref]
            changes = {k: v for k, v in data.items() if k in ("valence", "media_time", "note")}
            self.tags[event.ref] = replace(tag, **changes)
        elif kind is EventKind.SPEAKER:
            self.speaker = str(data["participant"])
        elif kind is EventKind.PAUSE:
            self.paused = True
        elif kind is EventKind.RESUME:
            self.paused = False

    def live_tags(self) -> list[Tag]:
        """Live tags ordered by media time."""
        return sorted(self.tags.values(), key=lambda t: (t.media_time, t.event_id))

    def question_started_at(self) -> float | None:
        """Media time at which the current question was last shown."""
        return self.question_starts[-1][1] if self.question_starts else None
