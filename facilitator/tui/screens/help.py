"""The help screen: every key of the live screen, as currently mapped, and the codebook keys."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from facilitator.codebook import Codebook
from facilitator.keymap import SYMBOL_DISPLAY, split_keys


def show_keys(keys: str) -> str:
    """Key names as people read them: 'plus' → '+'."""
    return " / ".join(SYMBOL_DISPLAY.get(k, k) for k in split_keys(keys))


class HelpScreen(ModalScreen[None]):
    """Keys of the app and of the codebook; any of Escape, ? or q closes it."""

    BINDINGS = [Binding("escape,question_mark,q,f1", "close", "Close", id="help.close")]

    def __init__(self, actions: list[tuple[str, str]], codebook: Codebook) -> None:
        super().__init__()
        self.actions = actions
        self.codebook = codebook

    def compose(self) -> ComposeResult:
        app_keys = Table.grid(padding=(0, 2))
        for keys, description in self.actions:
            app_keys.add_row(f"[b]{show_keys(keys)}[/b]", description)
        app_keys.add_row("[b]ctrl+p[/b]", "Command palette (every action by name)")
        codes = Table.grid(padding=(0, 2))
        for theme in self.codebook.themes:
            codes.add_row(f"[b]{show_keys(theme.key)}[/b]", f"[{theme.colour}]■[/] {theme.name}")
        with VerticalScroll(classes="dialog help"):
            yield Static("[b]Keys[/b]  (change them in settings.toml: see the README)")
            yield Static(app_keys)
            yield Static(f"\n[b]Tag this moment[/b] — {self.codebook.title}")
            yield Static(codes)
            yield Static("\n[dim]Escape closes this help.[/dim]")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
