"""Recording state, media clock, tag count, level meter slot, speaker and save problems."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.tui.format import clock


class StatusBar(Static):
    """One line the facilitator can read at a glance."""

    def show(
        self,
        *,
        recording: str,
        paused: bool,
        media_time: float,
        tags: int,
        speaker: str | None,
        problem: str,
    ) -> None:
        """Render the status line."""
        text = Text()
        if problem:
            text.append(f" ⚠ {problem} ", style="bold white on red")
            self.update(text)
            return
        if paused:
            text.append(" ❚❚ PAUSED ", style="bold black on yellow")
        else:
            text.append(f" ● {recording} ", style="bold white on dark_red")
        text.append(f" {clock(media_time)} ", style="bold")
        text.append(f"│ tags {tags} ")
        text.append("│ level — ")
        if speaker:
            text.append(f"│ speaking {speaker} ")
        self.update(text)
