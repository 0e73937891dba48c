"""Shared fixtures: a private data folder per test and ready-made sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from facilitator.session.setup import create_session
from facilitator.session.store import default_participants

pytest_plugins = ["tests.audio_fixtures", "tests.speech_fixtures"]

DEFAULT = "partnership-health-inequalities"


@pytest.fixture(autouse=True)
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data and config folders."""
    data = tmp_path / "data"
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(data))
    monkeypatch.setenv("FACILITATOR_CONFIG_DIR", str(tmp_path / "config"))
    return data


@pytest.fixture
def sessions_root(private_dirs: Path) -> Path:
    """The folder holding session folders."""
    return private_dirs / "sessions"


@pytest.fixture
def make_session(sessions_root: Path) -> Callable[..., Path]:
    """Create a session with the default guide and codebook."""

    def make(title: str = "Test group", participants: int = 4, **kwargs: str) -> Path:
        return create_session(
            sessions_root,
            title=title,
            guide=kwargs.get("guide", DEFAULT),
            codebook=kwargs.get("codebook", DEFAULT),
            participants=default_participants(participants),
        )

    return make


class FakeMonotonic:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_monotonic() -> FakeMonotonic:
    """A hand-moved monotonic clock."""
    return FakeMonotonic()
