"""The transcript panel: a RichLog (line-based, lazily rendered) that wraps long turns."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import RichLog


class TranscriptPanel(RichLog):
    """Transcript lines are appended; the view follows the talk unless the user scrolled up."""

    # Never take focus: every key on the live screen belongs to the facilitator's actions.
    can_focus = False

    def __init__(self, **kwargs: object) -> None:
        super().__init__(wrap=True, min_width=20, markup=False, highlight=False, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        """Explain what fills the panel."""
        self.border_title = "Transcript"
        self.call_after_refresh(
            self.add_line, Text("Transcription is off: no speech model is attached.", style="dim")
        )

    def add_line(self, line: Text | str) -> None:
        """Append a line, following the end only if the view was already at the end."""
        self.write(line, scroll_end=self.is_vertical_scroll_end)
