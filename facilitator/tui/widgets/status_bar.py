"""Recording state, media clock, level meter, overflows, disk left, tags, speaker, problems."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from facilitator.audio.level import Level
from facilitator.audio.recorder import RecorderStatus
from facilitator.tui.format import clock

METER_CELLS = 12
METER_FLOOR_DB = -60.0


def meter(level: Level) -> Text:
    """A bar from -60 to 0 dBFS with the held peak marked, red when clipping."""
    filled = round(METER_CELLS * max(0.0, level.rms_db - METER_FLOOR_DB) / -METER_FLOOR_DB)
    peak = round(METER_CELLS * max(0.0, level.held_peak_db - METER_FLOOR_DB) / -METER_FLOOR_DB)
    bar = Text()
    for cell in range(METER_CELLS):
        colour = (
            "green" if cell < METER_CELLS * 0.7 else "yellow" if cell < METER_CELLS - 1 else "red"
        )
        if cell < filled:
            bar.append("█", colour)
        elif cell == min(peak, METER_CELLS) - 1:
            bar.append("▏", colour)
        else:
            bar.append("·", "dim")
    if level.clipping:
        bar.append(" CLIP", "bold white on red")
    return bar


class StatusBar(Static):
    """One line the facilitator can read at a glance; a second line for a warning."""

    def show(
        self,
        *,
        recording: RecorderStatus | None,
        paused: bool,
        media_time: float,
        tags: int,
        speaker: str | None,
        problem: str,
        web: str = "",
    ) -> None:
        """Render the status."""
        text = Text(no_wrap=True, overflow="ellipsis")
        state = recording.state if recording else "timer only"
        if paused:
            text.append(" ❚❚ PAUSED ", "bold black on yellow")
        elif recording is None:
            text.append(" ○ NO AUDIO ", "bold white on grey35")
        elif state == "recording":
            text.append(" ● REC ", "bold white on dark_red")
        else:
            text.append(f" ■ {state.upper()} ", "bold white on red")
        text.append(f" {clock(media_time)} ", "bold")
        if recording is not None:
            text.append_text(meter(recording.level))
            if recording.overflows:
                text.append(f" overflows {recording.overflows}", "bold red")
            if recording.free_seconds is not None:
                text.append(f" │ disk {_left(recording.free_seconds)}")
        text.append(f" │ tags {tags}")
        if speaker:
            text.append(f" │ {speaker}")
        if web:
            text.append(f" │ {web}", "bold cyan")
        warning = problem or (recording.warning if recording else "")
        if warning:
            text.append(f"\n ⚠ {warning}", "bold yellow")
        self.update(text)


def _left(seconds: float) -> str:
    """Recording time left on the disk: hours when there are plenty, else minutes."""
    return f"{seconds / 3600:.0f} h" if seconds >= 7200 else f"{seconds / 60:.0f} min"
