"""SessionScreen: what the facilitator's screen and a note-taker's tagger share.

The store is the truth. The screen polls it for events committed by any process (the
facilitator, other taggers) and folds them into its state in commit order; its own presses go
through the EventWriter thread and show as done once committed.
"""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.screen import Screen

from facilitator.codebook import Valence
from facilitator.keymap import LIVE_ACTIONS, KeyAction
from facilitator.session.clock import MediaClock
from facilitator.session.events import Anchor, Event, EventKind, EventRequest
from facilitator.session.follow import EventFollower
from facilitator.session.live import LiveSession
from facilitator.session.state import SessionState
from facilitator.session.store import SessionStore
from facilitator.session.writer import EventWriter
from facilitator.tui.messages import EventCommitted, StoreProblem
from facilitator.tui.screens.dialogs import NoteScreen
from facilitator.tui.screens.help import HelpScreen
from facilitator.tui.widgets.question_panel import QuestionPanel
from facilitator.tui.widgets.recent_tags import RecentTags
from facilitator.tui.widgets.transcript import TranscriptPanel

FOLLOW_SECONDS = 0.25


class SessionScreen(Screen[None]):
    """Opens the store, follows its events, and turns key presses into stamped events."""

    ACTION_IDS: frozenset[str] = frozenset(a.id for a in LIVE_ACTIONS)
    session: LiveSession  # made by the concrete screen with its own clock

    def __init__(self, folder: Path, *, author: str) -> None:
        super().__init__()
        self.folder = folder
        self.author = author
        self.store = SessionStore.open(folder)
        self.guide = self.store.guide()
        self.codebook = self.store.codebook()
        self.participants = self.store.participants()
        self.state = SessionState()
        self.follower = EventFollower(self.store)
        self._follow()
        self.writer = EventWriter(folder, self._committed_from_thread, self._problem_from_thread)
        self._pending: set[int] = set()
        self._problem = ""
        self._hotkeys = self.codebook.by_key()
        self._shown_question: int | None = None
        self._last_segment_id = 0

    def make_session(self, clock: MediaClock, **kwargs: object) -> LiveSession:
        """The LiveSession that stamps this screen's presses with `clock`."""
        return LiveSession(
            self.guide,
            self.codebook,
            clock,
            self._submit,
            author=self.author,
            question_index=self.state.question_index,
            **kwargs,  # type: ignore[arg-type]
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def start_following(self) -> None:
        """Start the writer and the polling of the store (call from on_mount)."""
        self.writer.start()
        self.set_interval(FOLLOW_SECONDS, self._follow_and_show)
        self.call_after_refresh(self.show_new_segments)

    def on_unmount(self) -> None:
        """Commit what is queued and stop the writer."""
        self.writer.stop()
        self.store.close()

    # -- following the store -----------------------------------------------------------------

    def _follow(self) -> list[Event]:
        new = self.follower.poll()
        for event in new:
            self.state.apply(event)
        return new

    def _follow_and_show(self) -> None:
        if self._follow():
            self.events_arrived()
        self.show_new_segments()

    def show_new_segments(self) -> None:
        """Append transcript segments stored since the last look (by any process)."""
        new = self.store.segments(after_id=self._last_segment_id)
        if new:
            self._last_segment_id = max(s.id for s in new)
            panel = self.query_one(TranscriptPanel)
            for segment in new:
                panel.add_segment(segment)

    def events_arrived(self) -> None:
        """New events were folded into the state: refresh what shows them."""
        self.refresh_tags()
        if self.state.question_index is not None and self.state.question_index != (
            self._shown_question
        ):
            self.session.question_index = self.state.question_index
            self.show_question()
        self.tick()

    def tick(self) -> None:
        """Refresh clocks and status (the concrete screen knows what it shows)."""

    def show_question(self) -> None:
        """Show the session's current question."""
        self._shown_question = self.session.question_index or 0
        self.query_one(QuestionPanel).show_question(self._shown_question)

    def refresh_tags(self) -> None:
        """Show the latest tags and how many presses are still being saved."""
        self.query_one(RecentTags).show(
            self.state.live_tags(), len(self._pending), own_author=self.author
        )

    # -- the writer thread talks to us through messages ----------------------------------------

    def _submit(self, request: EventRequest | Anchor) -> None:
        if isinstance(request, EventRequest):
            self._pending.add(id(request))
        self.writer.submit(request)
        self.refresh_tags()

    def _committed_from_thread(self, request: EventRequest, event: Event | None) -> None:
        self.post_message(EventCommitted(request, event))

    def _problem_from_thread(self, text: str) -> None:
        self.post_message(StoreProblem(text))

    def on_event_committed(self, message: EventCommitted) -> None:
        """A press is stored: read it back (with anything others stored) and show it done."""
        self._pending.discard(id(message.request))
        if message.event is None and message.request.kind is EventKind.UNDO:
            self.notify("No tag of yours to undo.", severity="warning")
        elif message.event is None and message.request.kind is EventKind.EDIT:
            self.notify("Tag something first, then mark it.", severity="warning")
        self._follow()
        self.events_arrived()

    def on_store_problem(self, message: StoreProblem) -> None:
        """Show (or clear) a saving problem."""
        self._problem = message.text
        if message.text:
            self.notify(message.text, severity="error", timeout=10)
        self.tick()

    # -- shared actions ------------------------------------------------------------------------

    def key_actions(self) -> list[KeyAction]:
        """This screen's actions with the keys now in force."""
        keymap = getattr(self.app, "keymap", {})
        return [
            KeyAction(a.id, keymap.get(a.id, a.keys), a.action, a.description, a.show)
            for a in LIVE_ACTIONS
            if a.id in self.ACTION_IDS
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
        at = self.session.clock.now()

        def done(text: str | None) -> None:
            if text:
                self.session.note(text, at)

        self.app.push_screen(NoteScreen(at), done)

    def action_help(self) -> None:
        """Show every key."""
        actions = [(a.keys, a.description) for a in self.key_actions()]
        self.app.push_screen(HelpScreen(actions, self.codebook))
