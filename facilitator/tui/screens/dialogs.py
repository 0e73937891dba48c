"""Small modal dialogs: confirm, note, speaker."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from facilitator.session.store import Participant
from facilitator.tui.format import clock


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; y/Enter confirms, n/Escape cancels."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.labels = (yes, no)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title")
            yield Label("[b]y[/b] yes    [b]n[/b] no", classes="dialog-help")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.labels[0], id="yes", variant="error")
                yield Button(self.labels[1], id="no", variant="primary")

    def on_mount(self) -> None:
        """Focus the safe answer."""
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer from the buttons."""
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Answer from the keys."""
        self.dismiss(yes)


class NoteScreen(ModalScreen[str | None]):
    """Type a note; it is stamped at the moment the note key was pressed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, at: float) -> None:
        super().__init__()
        self.at = at

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Note at {clock(self.at)}", classes="dialog-title")
            yield Input(placeholder="Type the note, then Enter (Escape cancels)", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Keep a non-empty note."""
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        """Drop the note."""
        self.dismiss(None)


class SpeakerScreen(ModalScreen[str | None]):
    """Pick who is speaking: press a participant's number (0 is P10)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="speaker.cancel")]

    def __init__(self, participants: list[Participant], at: float) -> None:
        super().__init__()
        self.participants = participants
        self.at = at

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Who is speaking at {clock(self.at)}?", classes="dialog-title")
            for i, p in enumerate(self.participants[:10], start=1):
                yield Label(f"[b]{i % 10}[/b]  {p.label}")
            if len(self.participants) > 10:
                yield Input(placeholder="or type an id such as P12, then Enter", id="pid")

    def on_key(self, event: events.Key) -> None:
        """A digit picks P1..P10 at once."""
        if event.key.isdigit() and len(event.key) == 1:
            index = (int(event.key) or 10) - 1
            if index < len(self.participants):
                event.stop()
                self.dismiss(self.participants[index].id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Pick a participant by id."""
        wanted = event.value.strip().upper()
        if any(p.id == wanted for p in self.participants):
            self.dismiss(wanted)
        else:
            self.notify(f"No participant {wanted}", severity="warning")

    def action_cancel(self) -> None:
        """Pick nobody."""
        self.dismiss(None)
