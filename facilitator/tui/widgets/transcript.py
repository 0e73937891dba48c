"""The transcript panel: a RichLog (line-based, lazily rendered) that wraps long turns, with the
provisional (partial) words on a line of their own underneath."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import RichLog, Static

from facilitator.session.transcript import Segment
from facilitator.tui.format import clock

BEHIND_WARNING_SECONDS = 2.0


class TranscriptLog(RichLog):
    """Final lines; the view follows the talk unless the user scrolled up."""

    # Never take focus: every key on the live screen belongs to the facilitator's actions.
    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(wrap=True, min_width=20, markup=False, highlight=False, **kwargs)  # type: ignore[arg-type]

    def add_segment(self, segment: Segment) -> None:
        """Append a final result: time, speaker, text."""
        line = Text()
        line.append(f"{clock(segment.media_start)} ", "dim")
        if segment.speaker:
            line.append(f"{segment.speaker} ", "bold")
        line.append(segment.text)
        self.write(line, scroll_end=self.is_vertical_scroll_end)


class TranscriptPanel(Vertical):
    """The log, the partial line, and the transcription state in the border."""

    def compose(self) -> ComposeResult:
        yield TranscriptLog(id="transcript-log")
        yield Static(id="partial")

    def on_mount(self) -> None:
        """Title the panel."""
        self.border_title = "Transcript"

    def add_segment(self, segment: Segment) -> None:
        """A final result; it replaces the provisional words."""
        self.query_one(TranscriptLog).add_segment(segment)
        self.query_one("#partial", Static).update("")

    def show_partial(self, text: str) -> None:
        """Words still being recognised, visibly provisional."""
        self.query_one("#partial", Static).update(Text(f"… {text}" if text else "", "italic dim"))

    def set_state(self, text: str, behind: float = 0.0) -> None:
        """The state in the border: listening, loading, or how far behind the talk it is."""
        if behind >= BEHIND_WARNING_SECONDS:
            text = f"transcript {behind:.0f} s behind — catching up"
        self.border_subtitle = text

    def set_off(self, reason: str) -> None:
        """Transcription is off: say why, and how to turn it on, where there is room to read it."""
        self.border_subtitle = "transcription off"
        self.query_one("#partial", Static).update(Text(reason, "yellow"))
