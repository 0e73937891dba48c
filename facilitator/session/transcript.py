"""Transcript segments: recognised words with their media times."""

from __future__ import annotations

from dataclasses import dataclass

LIVE = "live"


@dataclass(frozen=True)
class Word:
    """One recognised word; times are seconds of media time."""

    word: str
    start: float
    end: float
    conf: float


@dataclass(frozen=True)
class Segment:
    """A final result: an utterance with its words, the question on screen and the speaker."""

    media_start: float
    media_end: float
    text: str
    words: tuple[Word, ...]
    version: str = LIVE
    model: str = ""
    question_id: str | None = None
    speaker: str | None = None
    id: int = 0
