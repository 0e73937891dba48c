"""FacilitatorApp: starts or resumes a session and shows the live screen."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from facilitator.audio.inputs import AudioInput
from facilitator.errors import FacilitatorError
from facilitator.session.setup import create_session
from facilitator.session.store import Participant
from facilitator.tui.screens.dialogs import ConfirmScreen
from facilitator.tui.screens.live import LiveScreen
from facilitator.tui.screens.start import StartChoices, StartScreen


@dataclass
class AppConfig:
    """How the app was asked to start (from the command line, or a test)."""

    sessions_root: Path
    author: str = "facilitator"
    keymap: dict[str, str] = field(default_factory=dict)
    session: Path | None = None  # go straight to this session's live screen
    resumed: bool = False
    title: str = "Focus group"
    guide: str = "partnership-health-inequalities"
    codebook: str = "partnership-health-inequalities"
    participants: list[Participant] = field(default_factory=list)
    monotonic: Callable[[], float] = time.monotonic  # tests freeze it for snapshots
    audio: AudioInput | None = None  # overrides the session's stored input when resuming
    model: str | None = None  # speech model name or folder (None: the installed default)


class FacilitatorApp(App[Path | None]):
    """The facilitator's app. Returns the session folder when it exits."""

    CSS_PATH = "app.tcss"
    TITLE = "Facilitator"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit")]

    def __init__(self, config: AppConfig) -> None:
        super().__init__()
        self.config = config
        self.keymap = dict(config.keymap)
        self.folder: Path | None = None

    def on_mount(self) -> None:
        """Go straight to the live screen when resuming or quick-starting; else ask."""
        self.set_keymap(self.keymap)
        if self.config.session is not None:
            self._go_live(self.config.session, resumed=self.config.resumed)
        else:
            self.push_screen(
                StartScreen(
                    title=self.config.title,
                    guide=self.config.guide,
                    codebook=self.config.codebook,
                    participants=len(self.config.participants),
                ),
                self._start,
            )

    def _start(self, choices: StartChoices | None) -> None:
        if choices is None:
            self.exit(None)
            return
        try:
            folder = create_session(
                self.config.sessions_root,
                title=choices.title,
                guide=choices.guide,
                codebook=choices.codebook,
                participants=choices.participants,
                input_meta=choices.audio.to_meta(),
            )
        except FacilitatorError as exc:
            self.notify(str(exc), severity="error", timeout=15)
            return
        self._go_live_safely(folder)

    def _go_live_safely(self, folder: Path) -> None:
        try:
            self._go_live(folder, resumed=False)
        except FacilitatorError as exc:
            self.notify(f"{exc} The session was kept: {folder.name}", severity="error", timeout=30)

    def _go_live(self, folder: Path, *, resumed: bool) -> None:
        self.folder = folder
        screen = LiveScreen(
            folder,
            resumed=resumed,
            author=self.config.author,
            monotonic=self.config.monotonic,
            audio=self.config.audio,
            model=self.config.model,
        )
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    async def action_quit(self) -> None:
        """Quit; on the live screen ask first, and leave the session resumable."""
        if not isinstance(self.screen, LiveScreen):
            self.exit(self.folder)
            return

        def done(yes: bool | None) -> None:
            if yes:
                self.exit(self.folder)

        self.push_screen(
            ConfirmScreen(
                "Quit without ending? The session stays open: 'facilitator resume' continues it.",
                "Quit",
                "Stay",
            ),
            done,
        )
