"""Command palette provider: every live-screen action, and every code, by name."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from facilitator.tui.screens.live import LiveScreen


class LiveCommands(Provider):
    """Offers the live screen's actions: next question, tag with a code, note, end…"""

    def _commands(self) -> list[tuple[str, str, str]]:
        screen: LiveScreen = self.screen  # type: ignore[assignment]
        commands = [(a.description, a.action, a.keys) for a in screen.key_actions()]
        commands += [(f"Tag: {t.name}", f"tag('{t.id}')", t.key) for t in screen.codebook.themes]
        return commands

    async def discover(self) -> Hits:
        """All commands, before anything is typed."""
        for name, action, keys in self._commands():
            yield DiscoveryHit(name, partial(self._run, action), help=f"key: {keys}")

    async def search(self, query: str) -> Hits:
        """Commands matching what was typed."""
        matcher = self.matcher(query)
        for name, action, keys in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, action), help=keys)

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)
