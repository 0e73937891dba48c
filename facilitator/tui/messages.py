"""Small messages that background services post to the UI."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from facilitator.asr.worker import TranscriptionStatus
from facilitator.audio.level import Level
from facilitator.audio.recorder import RecorderStatus
from facilitator.session.events import Event, EventRequest


@dataclass
class EventCommitted(Message):
    """The writer committed `request` as `event` (None: an edit with no tag to apply to)."""

    request: EventRequest
    event: Event | None


@dataclass
class StoreProblem(Message):
    """Saving is failing (text), or works again (empty text)."""

    text: str

    def can_replace(self, message: Message) -> bool:
        """Only the newest problem matters."""
        return isinstance(message, StoreProblem)


@dataclass
class RecorderUpdate(Message):
    """The recorder's state and level; a newer one replaces any not yet handled."""

    status: RecorderStatus

    def can_replace(self, message: Message) -> bool:
        """Only the newest reading matters."""
        return isinstance(message, RecorderUpdate)


@dataclass
class LevelPreview(Message):
    """The previewed input's level (None: the input stopped)."""

    level: Level | None

    def can_replace(self, message: Message) -> bool:
        """Only the newest reading matters."""
        return isinstance(message, LevelPreview)


@dataclass
class TranscriptionUpdate(Message):
    """The recogniser's state, partial words and delay; a newer one replaces the older."""

    status: TranscriptionStatus

    def can_replace(self, message: Message) -> bool:
        """Only the newest state matters."""
        return isinstance(message, TranscriptionUpdate)
