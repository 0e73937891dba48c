"""TranscriptionWorker: the recogniser thread, fed from the recorder on a queue of its own.

Recognition never blocks recording: `feed` only queues. If recognition falls behind, it says by
how much and catches up; audio is never dropped. Words are stamped in media time: the
recogniser's own time plus the media time of the first block it was given. Every
`RECREATE_SECONDS` of audio the recogniser is replaced at an utterance boundary (Vosk
recognisers are reported to grow over hours), keeping the time offset.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from facilitator.asr.engine import SAMPLE_RATE, load_model, new_recognizer, partial_of, words_of
from facilitator.errors import FacilitatorError
from facilitator.session.transcript import Segment

RECREATE_SECONDS = 600.0
STATUS_INTERVAL = 0.25


@dataclass(frozen=True)
class TranscriptionStatus:
    """What the transcript panel shows besides final text."""

    state: str  # loading | listening | failed | stopped
    partial: str = ""
    behind_seconds: float = 0.0
    message: str = ""


class TranscriptionWorker:
    """An owned service: start(), feed() from the recorder thread, stop()."""

    def __init__(
        self,
        model_path: Path,
        model_name: str,
        on_segment: Callable[[Segment], None],
        on_status: Callable[[TranscriptionStatus], None],
        *,
        recreate_seconds: float = RECREATE_SECONDS,
        model: Any = None,
    ) -> None:
        self.model_path = model_path
        self.model_name = model_name
        self._model = model
        self._on_segment = on_segment
        self._on_status = on_status
        self._recreate_seconds = recreate_seconds
        self._queue: queue.Queue[tuple[np.ndarray[Any, Any], float]] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="transcriber", daemon=True)
        self._latest_end = 0.0
        self._recognizer: Any = None
        self._offset = 0.0
        self._fed = 0.0
        self.recognizers_made = 0
        self.idle = threading.Event()

    def start(self) -> None:
        """Start the thread (it loads the model first)."""
        self._thread.start()

    def feed(self, samples: np.ndarray[Any, Any], media_start: float) -> None:
        """Queue 16 kHz int16 audio that starts at `media_start` (never blocks)."""
        self.idle.clear()
        self._latest_end = media_start + len(samples) / SAMPLE_RATE
        self._queue.put((samples, media_start))

    def stop(self, timeout: float = 30.0) -> None:
        """Recognise what is queued (up to `timeout`), flush the last utterance, stop."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_idle(self, timeout: float = 60.0) -> bool:
        """Wait until everything fed so far has been recognised."""
        return self.idle.wait(timeout)

    # -- the thread ------------------------------------------------------------------------

    def _run(self) -> None:
        self._on_status(TranscriptionStatus("loading", message=f"loading {self.model_name}"))
        try:
            if self._model is None:
                self._model = load_model(self.model_path)
        except FacilitatorError as exc:
            self._on_status(TranscriptionStatus("failed", message=str(exc)))
            return
        self._on_status(TranscriptionStatus("listening"))
        partial, last_status = "", 0.0
        while True:
            try:
                samples, media_start = self._queue.get(timeout=0.1)
            except queue.Empty:
                self.idle.set()
                if self._stop.is_set():
                    break
                continue
            partial = self._recognise(samples, media_start, partial)
            now = time.monotonic()
            if now - last_status >= STATUS_INTERVAL:
                last_status = now
                behind = max(0.0, self._latest_end - (self._offset + self._fed))
                self._on_status(TranscriptionStatus("listening", partial, behind))
            if self._queue.empty():
                self.idle.set()
        self._finish()
        self._on_status(TranscriptionStatus("stopped"))

    def _recognise(self, samples: np.ndarray[Any, Any], media_start: float, partial: str) -> str:
        if self._recognizer is not None and abs(media_start - (self._offset + self._fed)) > 0.01:
            self._finish()  # the timeline jumped (a new segment): close the utterance first
        if self._recognizer is None:
            self._recognizer = new_recognizer(self._model)
            self.recognizers_made += 1
            self._offset, self._fed = media_start, 0.0
        final = self._recognizer.AcceptWaveform(samples.astype("<i2", copy=False).tobytes())
        self._fed += len(samples) / SAMPLE_RATE
        if final:
            self._emit(self._recognizer.Result())
            if self._fed >= self._recreate_seconds:
                self._recognizer = None  # a fresh one at the next block, same timeline
            return ""
        return partial_of(self._recognizer.PartialResult()) or partial

    def _finish(self) -> None:
        if self._recognizer is not None:
            self._emit(self._recognizer.FinalResult())
            self._recognizer = None

    def _emit(self, result_json: str) -> None:
        text, words = words_of(result_json, self._offset)
        if words:
            self._on_segment(
                Segment(words[0].start, words[-1].end, text, words, model=self.model_name)
            )
