"""Where Facilitator keeps its files, and how private folders and files are made."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "facilitator"
DATA_DIR_ENV = "FACILITATOR_DATA_DIR"
CONFIG_DIR_ENV = "FACILITATOR_CONFIG_DIR"


def data_dir(override: str | Path | None = None) -> Path:
    """The data folder: the override, else $FACILITATOR_DATA_DIR, else the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME))


def sessions_dir(override: str | Path | None = None) -> Path:
    """The folder that holds one folder per session."""
    return data_dir(override) / "sessions"


def config_dir() -> Path:
    """The folder for settings.toml: $FACILITATOR_CONFIG_DIR, else the user config dir."""
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME))


def make_private_dir(path: Path) -> Path:
    """Create `path` (and parents) and make the leaf folder readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def touch_private_file(path: Path) -> Path:
    """Create `path` if missing and make it readable and writable by its owner only.

    Not for a file another connection may hold locks on (see SessionStore.open)."""
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path
