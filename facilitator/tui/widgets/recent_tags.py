"""The latest tags, with a mark once each one is safely stored."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from facilitator.codebook import Codebook
from facilitator.session.state import Tag
from facilitator.tui.format import clock

SHOWN = 8
VALENCE_SIGN = {"success": "+", "challenge": "−"}


class RecentTags(Static):
    """Committed tags (✓) newest first, and how many presses are still being saved."""

    def __init__(self, codebook: Codebook, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.codebook = codebook

    def on_mount(self) -> None:
        """Start empty."""
        self.border_title = "Tags"
        self.show([], 0)

    def show(self, tags: list[Tag], pending: int) -> None:
        """Render the newest tags; `pending` counts presses not yet stored."""
        lines = []
        if pending:
            lines.append(Text(f"… saving {pending}", style="dim"))
        for tag in reversed(tags[-SHOWN:]):
            theme = self.codebook.theme(tag.code)
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{clock(tag.media_time)} ", "dim")
            line.append("■", theme.colour)
            line.append(f"{VALENCE_SIGN.get(tag.valence or '', ' ')} ", "bold")
            line.append("✓ ", "green")
            line.append(theme.name)
            lines.append(line)
        if not tags and not pending:
            lines.append(Text("No tags yet: press a theme's key.", style="dim"))
        self.update(Group(*lines))
