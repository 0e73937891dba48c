"""The live screen: question, timers, transcript, tags, status; every action on one key."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Label

from facilitator.audio.inputs import AudioInput
from facilitator.audio.recorder import Recorder, RecorderStatus
from facilitator.audio.segments import recover_segments
from facilitator.codebook import Valence
from facilitator.errors import FacilitatorError
from facilitator.keymap import LIVE_ACTIONS, KeyAction
from facilitator.session.clock import MediaClock, MonotonicClock
from facilitator.session.events import Anchor, Event, EventKind, EventRequest
from facilitator.session.live import LiveSession
from facilitator.session.state import SessionState
from facilitator.session.store import SessionStore
from facilitator.session.writer import EventWriter
from facilitator.tui.commands import LiveCommands
from facilitator.tui.messages import EventCommitted, RecorderUpdate, StoreProblem
from facilitator.tui.screens.dialogs import ConfirmScreen, NoteScreen, SpeakerScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.screens.input import InputScreen
from facilitator.tui.widgets.question_panel import QuestionPanel
from facilitator.tui.widgets.recent_tags import RecentTags
from facilitator.tui.widgets.status_bar import StatusBar
from facilitator.tui.widgets.tag_bar import TagBar
from facilitator.tui.widgets.timers import Timers
from facilitator.tui.widgets.transcript import TranscriptPanel

ANCHOR_SECONDS = 5.0
TICK_SECONDS = 0.25


class LiveScreen(Screen[None]):
    """Runs one session. The store is the truth: the screen shows what has been committed."""

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
    ) -> None:
        super().__init__()
        self.folder = folder
        self.resumed = resumed
        self.author = author
        self.store = SessionStore.open(folder)
        self.guide = self.store.guide()
        self.codebook = self.store.codebook()
        self.participants = self.store.participants()
        self.state = SessionState.from_events(self.store.events())
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
        self.writer = EventWriter(folder, self._committed_from_thread, self._problem_from_thread)
        self.session = LiveSession(
            self.guide,
            self.codebook,
            self.clock,
            self._submit,
            author=author,
            question_index=self.state.question_index,
            transport=self.recorder,
        )
        self._pending: set[int] = set()
        self._problem = ""
        self._hotkeys = self.codebook.by_key()

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

    def on_mount(self) -> None:
        """Start the writer and the recorder, record the (re)start, start the timers."""
        self.writer.start()
        if self.recorder is not None:
            try:
                self.recorder.start()
            except FacilitatorError as exc:
                self._recording_failed(str(exc))
        self.session.start(resumed=self.resumed)
        self._show_question()
        self.set_interval(TICK_SECONDS, self._tick)
        self.set_interval(ANCHOR_SECONDS, self._anchor)
        self._tick()

    def on_unmount(self) -> None:
        """Stop the recorder, commit what is queued and stop the writer."""
        if self.recorder is not None:
            self.recorder.stop()
        self.writer.stop()
        self.store.close()

    # -- the writer thread talks to us through messages ------------------------------------

    def _submit(self, request: EventRequest | Anchor) -> None:
        if isinstance(request, EventRequest):
            self._pending.add(id(request))
        self.writer.submit(request)
        self._refresh_tags()

    def _committed_from_thread(self, request: EventRequest, event: Event | None) -> None:
        self.post_message(EventCommitted(request, event))

    def _problem_from_thread(self, text: str) -> None:
        self.post_message(StoreProblem(text))

    def _status_from_thread(self, status: RecorderStatus) -> None:
        self.post_message(RecorderUpdate(status))

    def on_recorder_update(self, message: RecorderUpdate) -> None:
        """Show the recording's state and level (at most ~20 times a second)."""
        previous = self.recorder_status
        self.recorder_status = message.status
        changed = previous is None or previous.state != message.status.state
        if changed and message.status.state != "recording" and message.status.warning:
            self.notify(message.status.warning, severity="warning", timeout=10)
        self._tick()

    def _recording_failed(self, reason: str) -> None:
        """Recording could not start: keep time without it and say so plainly."""
        self.recorder = None
        self.clock = MonotonicClock(self.store.last_media_time())
        self.session.clock = self.clock
        self.session.transport = self.clock
        self._audio_problem = f"NOT RECORDING: {reason}"
        self.notify(self._audio_problem, severity="error", timeout=30)

    def on_event_committed(self, message: EventCommitted) -> None:
        """Show a committed event as done."""
        self._pending.discard(id(message.request))
        if message.event is not None:
            self.state.apply(message.event)
        elif message.request.kind is EventKind.UNDO:
            self.notify("No tag of yours to undo.", severity="warning")
        elif message.request.kind is EventKind.EDIT:
            self.notify("Tag something first, then mark it.", severity="warning")
        self._refresh_tags()
        self._tick()

    def on_store_problem(self, message: StoreProblem) -> None:
        """Show (or clear) a saving problem."""
        self._problem = message.text
        if message.text:
            self.notify(message.text, severity="error", timeout=10)
        self._tick()

    # -- refreshing ------------------------------------------------------------------------

    def _tick(self) -> None:
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
        )

    def _anchor(self) -> None:
        self.session.anchor()

    def _show_question(self) -> None:
        self.query_one(QuestionPanel).show_question(self.session.question_index or 0)

    def _refresh_tags(self) -> None:
        self.query_one(RecentTags).show(self.state.live_tags(), len(self._pending))

    # -- actions ---------------------------------------------------------------------------

    def key_actions(self) -> list[KeyAction]:
        """The live actions with the keys now in force."""
        keymap = getattr(self.app, "keymap", {})
        return [
            KeyAction(a.id, keymap.get(a.id, a.keys), a.action, a.description, a.show)
            for a in LIVE_ACTIONS
        ]

    def on_key(self, event: events.Key) -> None:
        """A codebook hotkey tags this moment."""
        theme = self._hotkeys.get(event.key)
        if theme is not None:
            event.stop()
            self.action_tag(theme.id)

    def action_tag(self, code: str) -> None:
        """Tag this moment with `code`."""
        self.session.tag(code)

    def action_next_question(self) -> None:
        """Show the next question."""
        if self.session.next_question() is None:
            self.notify("This is the last question.")
        self._show_question()

    def action_prev_question(self) -> None:
        """Show the previous question."""
        if self.session.prev_question() is None:
            self.notify("This is the first question.")
        self._show_question()

    def action_valence(self, valence: str) -> None:
        """Mark the last tag as a success or a challenge."""
        self.session.valence(Valence(valence))

    def action_undo(self) -> None:
        """Withdraw the last tag."""
        self.session.undo()

    def action_marker(self) -> None:
        """Mark an important moment."""
        self.session.marker()
        self.notify("Marker set.", timeout=2)

    def action_note(self) -> None:
        """Open a note stamped now."""
        at = self.clock.now()

        def done(text: str | None) -> None:
            if text:
                self.session.note(text, at)

        self.app.push_screen(NoteScreen(at), done)

    def action_speaker(self) -> None:
        """Record who starts speaking now."""
        at = self.clock.now()

        def done(participant: str | None) -> None:
            if participant:
                self.session.speaker(participant, at)

        self.app.push_screen(SpeakerScreen(self.participants, at), done)

    def action_toggle_pause(self) -> None:
        """Pause or resume the media clock."""
        if self.clock.running:
            self.session.pause()
        else:
            self.session.resume()
        self._tick()

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

    def action_help(self) -> None:
        """Show every key."""
        actions = [(a.keys, a.description) for a in self.key_actions()]
        self.app.push_screen(HelpScreen(actions, self.codebook))

    def action_end_session(self) -> None:
        """End the session after confirmation."""

        def done(yes: bool | None) -> None:
            if yes:
                self.session.end()
                self.writer.flush()
                self.app.exit(self.folder)

        self.app.push_screen(
            ConfirmScreen("End this session? The recording stops.", "End session", "Carry on"), done
        )
