"""The latest tags, with a mark once each one is safely stored."""

from __future__ import annotations

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

    def show(self, tags: list[Tag], pending: int, own_author: str = "") -> None:
        """Render the newest tags; `pending` counts presses not yet stored. Tags by others
        than `own_author` show who made them."""
        text = Text(no_wrap=True, overflow="ellipsis")
        if pending:
            text.append(f"… saving {pending}\n", "dim")
        for tag in reversed(tags[-SHOWN:]):
            theme = self.codebook.theme(tag.code)
            text.append(f"{clock(tag.media_time)} ", "dim")
            text.append("■", theme.colour)
            text.append(f"{VALENCE_SIGN.get(tag.valence or '', ' ')} ", "bold")
            text.append("✓ ", "green")
            text.append(theme.name)
            if own_author and tag.author != own_author:
                text.append(f" · {tag.author}", "italic")
            text.append("\n")
        if not tags and not pending:
            text.append("No tags yet: press a theme's key.", "dim")
        text.rstrip()
        self.update(text)
