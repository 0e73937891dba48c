"""TaggerApp: a note-taker's own terminal on a live session (`facilitator tag`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from facilitator.tui.screens.tagger import NameScreen, PickSessionScreen, TaggerScreen


class TaggerApp(App[None]):
    """Asks for a name (unless given), lets the note-taker pick a session if several are live,
    then shows the tagger."""

    CSS_PATH = "app.tcss"
    TITLE = "Facilitator — tagger"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, id="tagger.quit")]

    def __init__(
        self,
        sessions: list[tuple[Path, str]],
        *,
        author: str | None = None,
        keymap: dict[str, str] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()
        self.sessions = sessions
        self.author = author
        self.keymap = dict(keymap or {})
        self.monotonic = monotonic
        self.folder: Path | None = sessions[0][0] if len(sessions) == 1 else None

    def on_mount(self) -> None:
        """Ask what is still unknown, then tag."""
        self.set_keymap(self.keymap)
        self._next()

    def _next(self) -> None:
        if self.folder is None:
            self.push_screen(PickSessionScreen(self.sessions), self._picked)
        elif self.author is None:
            self.push_screen(NameScreen(), self._named)
        else:
            self.push_screen(
                TaggerScreen(self.folder, author=self.author, monotonic=self.monotonic)
            )

    def _picked(self, folder: Path | None) -> None:
        self.folder = folder
        self._next()

    def _named(self, name: str | None) -> None:
        self.author = name
        self._next()
