"""User settings (settings.toml in the config folder): key remapping and the author name.

author = "Facilitator"
[keymap]
"facilitator.note" = "n"
"facilitator.end" = "ctrl+e"
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from facilitator import tomlfile
from facilitator.keymap import LIVE_ACTIONS, SYSTEM_KEYS, split_keys
from facilitator.paths import config_dir

SETTINGS_FILE = "settings.toml"


class Settings(BaseModel):
    """What a user may set once for every session."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    author: str = Field(default="facilitator", min_length=1)
    keymap: dict[str, str] = Field(default_factory=dict)

    @field_validator("keymap")
    @classmethod
    def _known_actions(cls, v: dict[str, str]) -> dict[str, str]:
        known = {a.id for a in LIVE_ACTIONS}
        unknown = sorted(set(v) - known)
        if unknown:
            raise ValueError(
                f"unknown action(s) {', '.join(unknown)}; "
                f"the actions are: {', '.join(sorted(known))}"
            )
        owners: dict[str, str] = {}
        for a in LIVE_ACTIONS:
            for key in split_keys(v.get(a.id, a.keys)):
                if key in SYSTEM_KEYS:
                    raise ValueError(f'key "{key}" ({a.id}) is reserved by the app')
                if owners.setdefault(key, a.id) != a.id:
                    raise ValueError(f'key "{key}" is given to both {owners[key]} and {a.id}')
        return v


def settings_path() -> Path:
    """Where settings.toml lives."""
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the file, or defaults when there is no file."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    return tomlfile.load_model(Settings, path)
