"""The start screen: title, guide, codebook, participants with consent, and input."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, Static

from facilitator.audio.devices import list_input_devices
from facilitator.audio.inputs import AudioInput
from facilitator.audio.level import Level
from facilitator.audio.monitor import LevelMonitor
from facilitator.codebook import codebook_names
from facilitator.errors import FacilitatorError
from facilitator.guide import guide_names
from facilitator.session.store import Participant
from facilitator.tui.messages import LevelPreview
from facilitator.tui.widgets.status_bar import meter

MAX_PARTICIPANTS = 20


@dataclass(frozen=True)
class StartChoices:
    """What the facilitator chose on the start screen."""

    title: str
    guide: str
    codebook: str
    participants: list[Participant]
    audio: AudioInput


class ParticipantRow(Horizontal):
    """One participant: pseudonymous id, optional display name, consent boxes."""

    def __init__(self, number: int) -> None:
        super().__init__(classes="participant")
        self.number = number

    def compose(self) -> ComposeResult:
        yield Label(f"P{self.number}", classes="pid")
        yield Input(placeholder="name (optional, stays private)", classes="pname")
        yield Checkbox("recorded", value=True, classes="consent-recorded")
        yield Checkbox("quoted", value=False, classes="consent-quoted")

    def participant(self) -> Participant:
        """The row as a Participant."""
        name = self.query_one(".pname", Input).value.strip() or None
        return Participant(
            f"P{self.number}",
            name,
            self.query_one(".consent-recorded", Checkbox).value,
            self.query_one(".consent-quoted", Checkbox).value,
        )


class StartScreen(Screen[StartChoices]):
    """A form with sensible defaults: Enter on the title or ctrl+s starts."""

    BINDINGS = [Binding("ctrl+s", "start", "Start session", id="start.start")]

    def __init__(self, *, title: str, guide: str, codebook: str, participants: int) -> None:
        super().__init__()
        self.defaults = (title, guide, codebook, participants)
        self._monitor: LevelMonitor | None = None

    def compose(self) -> ComposeResult:
        title, guide, codebook, participants = self.defaults
        guides = _options(guide_names(), guide)
        codebooks = _options(codebook_names(), codebook)
        with VerticalScroll(id="start-form"):
            yield Label("New focus group session", classes="form-title")
            yield Label(
                "Enter on the title (or ctrl+s) starts. Consent: to be recorded, to be quoted.",
                classes="form-hint",
            )
            with Horizontal(classes="field"):
                yield Label("Title")
                yield Input(title, id="title")
            with Horizontal(classes="field"):
                yield Label("Guide")
                yield Select(guides, value=guide, allow_blank=False, id="guide")
            with Horizontal(classes="field"):
                yield Label("Codebook")
                yield Select(codebooks, value=codebook, allow_blank=False, id="codebook")
            with Horizontal(classes="field"):
                yield Label("Input")
                inputs = _input_options()
                yield Select(inputs, value=inputs[0][1], allow_blank=False, id="input")
                yield Static("", id="preview")
            with Horizontal(classes="field"):
                yield Label("Participants")
                yield Input(str(participants), id="count", type="integer", max_length=2)
            yield Vertical(id="participants")
            yield Button("Start session", id="start", variant="success")
        yield Footer()

    async def on_mount(self) -> None:
        """Fill in the participant rows; preview the chosen input's level."""
        await self._set_rows(self.defaults[3])
        self.query_one("#title", Input).focus()
        self._preview(str(self.query_one("#input", Select).value))

    def on_unmount(self) -> None:
        """Stop listening to the input."""
        self._stop_preview()

    @on(Select.Changed, "#input")
    def _input_changed(self, event: Select.Changed) -> None:
        self._preview(str(event.value))

    def _preview(self, choice: str) -> None:
        self._stop_preview()
        preview = self.query_one("#preview", Static)
        if choice == "none":
            preview.update("")
            return
        try:
            self._monitor = LevelMonitor(
                _audio_input(choice).open_source(), self._level_from_thread
            )
            self._monitor.start()
        except FacilitatorError as exc:
            self._monitor = None
            preview.update(Text(f"⚠ {exc}", "bold yellow"))

    def _stop_preview(self) -> None:
        monitor, self._monitor = self._monitor, None
        if monitor is not None:
            monitor.stop()

    def _level_from_thread(self, level: Level | None) -> None:
        self.post_message(LevelPreview(level))

    def on_level_preview(self, message: LevelPreview) -> None:
        """Show the input's level, so the facilitator sees the microphone works."""
        preview = self.query_one("#preview", Static)
        if message.level is None:
            preview.update(Text("⚠ this input stopped: choose another", "bold yellow"))
        else:
            preview.update(meter(message.level))

    @on(Input.Changed, "#count")
    async def _count_changed(self, event: Input.Changed) -> None:
        if event.value.isdigit():
            await self._set_rows(min(int(event.value), MAX_PARTICIPANTS))

    async def _set_rows(self, count: int) -> None:
        box = self.query_one("#participants", Vertical)
        rows = list(box.query(ParticipantRow))
        for row in rows[count:]:
            await row.remove()
        await box.mount_all(ParticipantRow(n) for n in range(len(rows) + 1, count + 1))

    @on(Input.Submitted, "#title")
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        """Start with what the form says."""
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.notify("Give the session a title.", severity="warning")
            return
        self.dismiss(
            StartChoices(
                title,
                str(self.query_one("#guide", Select).value),
                str(self.query_one("#codebook", Select).value),
                [row.participant() for row in self.query(ParticipantRow)],
                _audio_input(str(self.query_one("#input", Select).value)),
            )
        )


def _options(names: list[str], chosen: str) -> list[tuple[str, str]]:
    options = [(n, n) for n in names]
    if chosen not in names:
        options.insert(0, (chosen, chosen))
    return options


def _input_options() -> list[tuple[str, str]]:
    """Input devices (the default first), then 'no audio'."""
    try:
        devices = sorted(list_input_devices(), key=lambda d: not d.is_default)
    except FacilitatorError:
        devices = []
    return [(d.label, str(d.index)) for d in devices] + [("No audio — timer only", "none")]


def _audio_input(choice: str) -> AudioInput:
    return AudioInput() if choice == "none" else AudioInput("device", choice)
