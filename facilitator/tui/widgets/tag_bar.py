"""The codebook's keys and colours, always on screen, in as many columns as fit."""

from __future__ import annotations

import math

from rich.table import Table
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from facilitator.codebook import Codebook
from facilitator.keymap import SYMBOL_DISPLAY

CHIP_WIDTH = 24


class TagBar(Widget):
    """Each theme as a chip: its key on its colour, then its name (cut short if needed)."""

    def __init__(self, codebook: Codebook, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.codebook = codebook

    def on_mount(self) -> None:
        """Title the bar."""
        self.border_title = "Tag this moment"

    def columns(self, width: int) -> int:
        """How many chips fit side by side in `width` cells."""
        return max(1, min(len(self.codebook.themes), width // CHIP_WIDTH))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per row of chips."""
        return math.ceil(len(self.codebook.themes) / self.columns(width))

    def render(self) -> Table:
        """The chips, re-flowed to the current width."""
        return self.render_chips(self.content_size.width)

    def render_chips(self, width: int) -> Table:
        """A grid of chips with as many columns as fit in `width` cells."""
        columns = self.columns(width)
        grid = Table.grid(padding=(0, 1), expand=True)
        for _ in range(columns):
            grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        chips = []
        for theme in self.codebook.themes:
            chip = Text(no_wrap=True, overflow="ellipsis")
            chip.append(
                f" {SYMBOL_DISPLAY.get(theme.key, theme.key)} ", "bold black on " + theme.colour
            )
            chip.append(f" {theme.name}", theme.colour)
            chips.append(chip)
        for start in range(0, len(chips), columns):
            grid.add_row(*chips[start : start + columns])
        return grid
