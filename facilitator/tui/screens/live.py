"""The facilitator's live screen: question, timers, transcript, tags, recording status."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Footer, Label

from facilitator.asr.models import ModelProblem, find_model
from facilitator.asr.worker import TranscriptionStatus, TranscriptionWorker
from facilitator.audio.inputs import AudioInput
from facilitator.audio.recorder import Recorder, RecorderStatus
from facilitator.audio.segments import recover_segments
from facilitator.errors import FacilitatorError
from facilitator.keymap import LIVE_ACTIONS
from facilitator.session.clock import MediaClock, MonotonicClock
from facilitator.session.follow import TAGGER_SERVER_HEARTBEAT, TAGGER_SERVER_META
from facilitator.tui.commands import LiveCommands
from facilitator.tui.messages import RecorderUpdate, TranscriptionUpdate
from facilitator.tui.screens.dialogs import ConfirmScreen, SpeakerScreen
from facilitator.tui.screens.input import InputScreen
from facilitator.tui.screens.session_screen import SessionScreen
from facilitator.tui.widgets.question_panel import QuestionPanel
from facilitator.tui.widgets.recent_tags import RecentTags
from facilitator.tui.widgets.status_bar import StatusBar
from facilitator.tui.widgets.tag_bar import TagBar
from facilitator.tui.widgets.timers import Timers
from facilitator.tui.widgets.transcript import TranscriptPanel

ANCHOR_SECONDS = 2.0
WEB_CHECK_SECONDS = 1.0
TICK_SECONDS = 0.25


class LiveScreen(SessionScreen):
    """Runs one session: records, keeps time, and takes every action on one key."""

    BINDINGS = [
        Binding(a.keys, a.action, a.description, show=a.show, id=a.id) for a in LIVE_ACTIONS
    ]
    COMMANDS = {LiveCommands}

    def __init__(
        self,
        folder: Path,
        *,
        resumed: bool,
        author: str,
        monotonic: Callable[[], float] = time.monotonic,
        audio: AudioInput | None = None,
        model: str | None = None,
    ) -> None:
        super().__init__(folder, author=author)
        self.resumed = resumed
        self.audio = audio or AudioInput.from_meta(self.store.meta().get("input"))
        self.recorder: Recorder | None = None
        self.recorder_status: RecorderStatus | None = None
        self._audio_problem = ""
        if self.audio.enabled:
            recover_segments(folder)  # after a crash: extend the headers over what is on disk
            self.recorder = Recorder(
                folder, self.audio.open_source(), self._status_from_thread, speed=self.audio.speed
            )
        self.clock: MediaClock = (
            self.recorder.clock
            if self.recorder
            else MonotonicClock(self.store.last_media_time(), monotonic=monotonic)
        )
        self.session = self.make_session(self.clock, transport=self.recorder)
        self.transcriber: TranscriptionWorker | None = None
        self._asr_state = "Transcription is off: this session is not recording audio (--no-audio)."
        if self.recorder is not None:
            self._attach_transcriber(self.recorder, model)
        self._web: dict[str, Any] = {}
        self._web_checked = 0.0

    # -- layout and lifecycle ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label(self.store.title, id="session-title")
            yield Timers(id="timers")
        yield QuestionPanel(self.guide, id="question")
        with Horizontal(id="middle"):
            yield TranscriptPanel(id="transcript")
            yield RecentTags(self.codebook, id="recent-tags")
        yield TagBar(self.codebook, id="tag-bar")
        yield StatusBar(id="status")
        yield Footer()

    def _attach_transcriber(self, recorder: Recorder, model: str | None) -> None:
        try:
            name, path = find_model(model)
        except ModelProblem as exc:
            self._asr_state = str(exc)
            return
        self.transcriber = TranscriptionWorker(
            path, name, self.writer.submit, self._transcription_from_thread
        )
        recorder.add_listener(self.transcriber.feed)
        self._asr_state = f"loading {name}…"

    def _transcription_from_thread(self, status: TranscriptionStatus) -> None:
        self.post_message(TranscriptionUpdate(status))

    def on_transcription_update(self, message: TranscriptionUpdate) -> None:
        """Partial words, delay and state of the recogniser (a few times a second)."""
        status = message.status
        panel = self.query_one(TranscriptPanel)
        if status.state == "failed":
            self.notify(status.message, severity="error", timeout=15)
            panel.set_off(status.message)
            return
        panel.show_partial(status.partial)
        label = {"loading": status.message, "listening": "listening", "stopped": "stopped"}
        panel.set_state(label.get(status.state, status.state), status.behind_seconds)

    def on_mount(self) -> None:
        """Start the writer and the recorder, record the (re)start, start the timers."""
        self.start_following()
        if self.transcriber is not None:
            self.query_one(TranscriptPanel).set_state(self._asr_state)
            self.transcriber.start()
        else:
            self.query_one(TranscriptPanel).set_off(self._asr_state)
        if self.recorder is not None:
            try:
                self.recorder.start()
            except FacilitatorError as exc:
                self._recording_failed(str(exc))
        self.session.start(resumed=self.resumed)
        self.show_question()
        self.refresh_tags()
        self.set_interval(TICK_SECONDS, self.tick)
        self.set_interval(ANCHOR_SECONDS, self.session.anchor)
        self.tick()

    def on_unmount(self) -> None:
        """Stop the recorder, let the recogniser finish, then commit what is queued."""
        if self.recorder is not None:
            self.recorder.stop()
        if self.transcriber is not None:
            self.transcriber.stop()
        super().on_unmount()

    # -- recording ---------------------------------------------------------------------------

    def _status_from_thread(self, status: RecorderStatus) -> None:
        self.post_message(RecorderUpdate(status))

    def on_recorder_update(self, message: RecorderUpdate) -> None:
        """Show the recording's state and level (at most ~20 times a second)."""
        previous = self.recorder_status
        self.recorder_status = message.status
        changed = previous is None or previous.state != message.status.state
        if changed and message.status.state != "recording" and message.status.warning:
            self.notify(message.status.warning, severity="warning", timeout=10)
        self.tick()

    def _recording_failed(self, reason: str) -> None:
        """Recording could not start: keep time without it and say so plainly."""
        self.recorder = None
        self.clock = MonotonicClock(self.store.last_media_time())
        self.session.clock = self.clock
        self.session.transport = self.clock
        self._audio_problem = f"NOT RECORDING: {reason}"
        self.notify(self._audio_problem, severity="error", timeout=30)

    # -- refreshing ------------------------------------------------------------------------

    def tick(self) -> None:
        """Timers and the status line."""
        now = self.clock.now()
        index = self.session.question_index or 0
        started = self.state.question_started_at()
        question_elapsed = now - started if started is not None else 0.0
        self.query_one(Timers).show(
            question_elapsed,
            self.guide.questions[index].minutes * 60,
            now,
            self.guide.planned_minutes * 60,
        )
        self.query_one(StatusBar).show(
            recording=self.recorder_status if self.recorder else None,
            paused=not self.clock.running,
            media_time=now,
            tags=len(self.state.tags),
            speaker=self.state.speaker,
            problem=self._problem or self._audio_problem,
            web=self._web_status(),
        )

    def _web_status(self) -> str:
        """'browser taggers 2 · code ABCD2345' while serve-taggers runs for this session."""
        now = time.monotonic()
        if now - self._web_checked >= WEB_CHECK_SECONDS:
            self._web_checked = now
            self._web = self.store.meta().get(TAGGER_SERVER_META) or {}
        web = self._web
        fresh = time.time() - float(web.get("updated_wall", 0)) < 3 * TAGGER_SERVER_HEARTBEAT
        if not (web.get("running") and fresh):
            return ""
        return f"browser taggers {web.get('connected', 0)} · code {web.get('code', '')}"

    # -- the facilitator's own actions ---------------------------------------------------------

    def action_next_question(self) -> None:
        """Show the next question."""
        if self.session.next_question() is None:
            self.notify("This is the last question.")
        self.show_question()

    def action_prev_question(self) -> None:
        """Show the previous question."""
        if self.session.prev_question() is None:
            self.notify("This is the first question.")
        self.show_question()

    def action_speaker(self) -> None:
        """Record who starts speaking now."""
        at = self.clock.now()

        def done(participant: str | None) -> None:
            if participant:
                self.session.speaker(participant, at)

        self.app.push_screen(SpeakerScreen(self.participants, at), done)

    def action_toggle_pause(self) -> None:
        """Pause or resume the recording and the media clock."""
        if self.clock.running:
            self.session.pause()
        else:
            self.session.resume()
        self.tick()

    def action_change_input(self) -> None:
        """Choose another input and carry on recording on the same timeline."""
        if self.recorder is None:
            self.notify("This session is not recording audio.", severity="warning")
            return

        def done(choice: str | None) -> None:
            if choice is None or self.recorder is None:
                return
            try:
                self.recorder.switch_source(AudioInput("device", choice).open_source())
            except FacilitatorError as exc:
                self.notify(str(exc), severity="error", timeout=15)

        self.app.push_screen(InputScreen(), done)

    def action_end_session(self) -> None:
        """End the session after confirmation."""

        def done(yes: bool | None) -> None:
            if yes:
                self.session.end()
                self.writer.flush()
                self.app.exit(self.folder)

        self.app.push_screen(
            ConfirmScreen("End this session? The recording stops.", "End session", "Carry on"),
            done,
        )
