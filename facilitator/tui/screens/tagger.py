"""The note-taker's tagger: the facilitator's question, the codebook keys, everyone's tags."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitator.keymap import LIVE_ACTIONS, TAGGER_ACTION_IDS
from facilitator.session.follow import AnchoredClock
from facilitator.tui.format import clock as show_clock
from facilitator.tui.screens.session_screen import SessionScreen
from facilitator.tui.widgets.question_panel import QuestionPanel
from facilitator.tui.widgets.recent_tags import RecentTags
from facilitator.tui.widgets.tag_bar import TagBar
from facilitator.tui.widgets.transcript import TranscriptPanel

HELP_LINE = (
    "Press a theme's key to tag this moment · + success · - challenge · "
    "n note · m important moment · u undo · ? help"
)


class TaggerScreen(SessionScreen):
    """Tags stamped in the session's media time, computed from the recorder's anchors."""

    ACTION_IDS = TAGGER_ACTION_IDS
    BINDINGS = [
        Binding(a.keys, a.action, a.description, show=False, id=a.id)
        for a in LIVE_ACTIONS
        if a.id in TAGGER_ACTION_IDS
    ]

    def __init__(
        self, folder: Path, *, author: str, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(folder, author=author)
        self.clock = AnchoredClock(self.store.latest_anchor(), monotonic)
        self.session = self.make_session(self.clock)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label(self.store.title, id="session-title")
            yield Static(id="tagger-status")
        yield QuestionPanel(self.guide, id="question")
        with Horizontal(id="middle"):
            yield TranscriptPanel(id="transcript")
            yield RecentTags(self.codebook, id="recent-tags")
        yield TagBar(self.codebook, id="tag-bar")
        yield Static(HELP_LINE, id="tagger-help")

    def on_mount(self) -> None:
        """Follow the session."""
        self.start_following()
        self.query_one(TranscriptPanel).set_state("as the facilitator's laptop hears it")
        self.show_question()
        self.refresh_tags()
        self.set_interval(0.25, self.tick)
        self.tick()

    def tick(self) -> None:
        """Take the newest anchor and show the session clock."""
        self.clock.update(self.store.latest_anchor())
        text = Text(no_wrap=True)
        text.append(f"tagging as {self.author}  ", "italic")
        if self.state.ended:
            text.append(" ENDED ", "bold white on grey35")
        elif not self.clock.running:
            text.append(" ❚❚ PAUSED ", "bold black on yellow")
        else:
            text.append(" ● LIVE ", "bold white on dark_red")
        text.append(f" {show_clock(self.clock.now())}", "bold")
        self.query_one("#tagger-status", Static).update(text)


class NameScreen(Screen[str]):
    """Asks the note-taker's name once; every tag and note carries it."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Your name", classes="dialog-title")
            yield Label("It is shown on your tags and notes. Then press Enter.")
            yield Input(placeholder="for example Sam", id="name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep a non-empty name."""
        name = event.value.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("Type your name first.", severity="warning")


class PickSessionScreen(Screen[Path]):
    """Several sessions are live: the note-taker picks one."""

    BINDINGS = [Binding("escape", "app.quit", "Quit", id="pick.quit")]

    def __init__(self, sessions: list[tuple[Path, str]]) -> None:
        super().__init__()
        self.sessions = sessions

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Which session are you tagging?", classes="dialog-title")
            yield OptionList(
                *[
                    Option(f"{title}  ({folder.name})", id=str(folder))
                    for folder, title in self.sessions
                ]
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Join that session."""
        self.dismiss(Path(str(event.option.id)))
