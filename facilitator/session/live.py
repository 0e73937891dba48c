"""LiveSession: what the live screen (or a tagger) does, as event requests stamped at the press.

The caller's `submit` queues each request for the EventWriter; the media time is read from the
clock when the key is pressed, never when the write happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from facilitator.codebook import Codebook, Valence
from facilitator.guide import Guide
from facilitator.session.clock import MediaClock
from facilitator.session.events import Anchor, EventKind, EventRequest

Submit = Callable[[EventRequest | Anchor], None]


class Transport(Protocol):
    """What pauses and resumes the recording (the recorder, or the clock alone)."""

    def pause(self) -> float: ...

    def resume(self) -> float: ...


class LiveSession:
    """Turns the facilitator's actions into stamped event requests."""

    def __init__(
        self,
        guide: Guide,
        codebook: Codebook,
        clock: MediaClock,
        submit: Submit,
        *,
        author: str,
        question_index: int | None = None,
        transport: Transport | None = None,
    ) -> None:
        self.guide = guide
        self.codebook = codebook
        self.clock = clock
        self.author = author
        self._submit = submit
        self.question_index = question_index
        self.transport: Transport = transport or clock

    def _event(
        self,
        kind: EventKind,
        data: dict[str, Any] | None = None,
        at: float | None = None,
    ) -> EventRequest:
        request = EventRequest(
            kind,
            self.clock.now() if at is None else at,
            time.time(),
            self.author,
            data or {},
        )
        self._submit(request)
        return request

    def start(self, *, resumed: bool) -> None:
        """Record the start (or resumption) and show the current question."""
        self._event(EventKind.SESSION_RESUME if resumed else EventKind.SESSION_START)
        self.anchor()
        if self.question_index is None:
            self.go_to(0)

    def anchor(self) -> None:
        """Record where media time stands against the monotonic clock."""
        self._submit(self.clock.anchor())

    def go_to(self, index: int) -> EventRequest | None:
        """Show question `index` (no event if it is out of range or already shown)."""
        if not 0 <= index < len(self.guide.questions) or index == self.question_index:
            return None
        self.question_index = index
        question = self.guide.questions[index]
        return self._event(EventKind.QUESTION, {"question_id": question.id, "index": index})

    def next_question(self) -> EventRequest | None:
        """Move to the next question."""
        return self.go_to(0 if self.question_index is None else self.question_index + 1)

    def prev_question(self) -> EventRequest | None:
        """Move back one question."""
        return self.go_to(0 if self.question_index is None else self.question_index - 1)

    def tag(self, code: str, subcode: str | None = None) -> EventRequest:
        """Put a theme code on this moment."""
        theme = self.codebook.theme(code)
        data: dict[str, Any] = {"code": code}
        if subcode:
            data["subcode"] = subcode
        if theme.valence:
            data["valence"] = str(theme.valence)
        return self._event(EventKind.TAG, data)

    def valence(self, valence: Valence) -> EventRequest:
        """Mark this author's last tag as a success or a challenge."""
        return self._event(EventKind.EDIT, {"valence": str(valence)})

    def undo(self) -> EventRequest:
        """Withdraw this author's last live tag."""
        return self._event(EventKind.UNDO)

    def note(self, text: str, at: float) -> EventRequest:
        """A free-text note stamped at `at` (when the note key was pressed)."""
        return self._event(EventKind.NOTE, {"text": text}, at=at)

    def marker(self, label: str = "") -> EventRequest:
        """An 'important moment' marker."""
        return self._event(EventKind.MARKER, {"label": label})

    def speaker(self, participant: str, at: float) -> EventRequest:
        """A speaker turn starting at `at`."""
        return self._event(EventKind.SPEAKER, {"participant": participant}, at=at)

    def pause(self) -> EventRequest:
        """Pause media time."""
        self.transport.pause()
        request = self._event(EventKind.PAUSE)
        self.anchor()
        return request

    def resume(self) -> EventRequest:
        """Resume media time."""
        self.transport.resume()
        request = self._event(EventKind.RESUME)
        self.anchor()
        return request

    def end(self) -> EventRequest:
        """End the session."""
        request = self._event(EventKind.SESSION_END)
        self.transport.pause()
        self.anchor()
        return request
