"""Elapsed against planned time, for the current question and the whole session."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.tui.format import clock


class Timers(Static):
    """One line: question elapsed / planned, session elapsed / planned."""

    def show(self, question: float, planned_q: float, session: float, planned_s: float) -> None:
        """Render the timers; an overrun turns the figure to the warning colour."""
        text = Text()
        for label, elapsed, planned in (
            ("question", question, planned_q),
            ("session", session, planned_s),
        ):
            text.append(f"{label} ")
            text.append(clock(elapsed), style="bold yellow" if elapsed > planned else "bold")
            text.append(f" / {clock(planned)}   ")
        self.update(text)
