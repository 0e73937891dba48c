"""Codebooks: themes (with optional subthemes) that note-takers put on moments by one key."""

from __future__ import annotations

from collections import Counter
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from rich.color import Color, ColorParseError

from facilitator import tomlfile
from facilitator.keymap import LIVE_ACTIONS, effective_keys, normalise_key
from facilitator.templates import builtin_names, builtin_path

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Valence(StrEnum):
    """Whether a tagged moment is a success or a challenge."""

    SUCCESS = "success"
    CHALLENGE = "challenge"


class Subtheme(BaseModel):
    """A finer code under a theme."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    description: str = ""


class Theme(BaseModel):
    """A code with its hotkey and colour."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    key: str = Field(min_length=1)
    colour: str
    description: str = ""
    valence: Valence | None = None
    subthemes: tuple[Subtheme, ...] = ()

    @field_validator("key")
    @classmethod
    def _one_key(cls, v: str) -> str:
        key = normalise_key(v)
        if len(v.strip()) != 1 and "+" not in key and not key.startswith("f"):
            raise ValueError(
                f'hotkey "{v}" is not a single key: use one letter or digit, '
                'a function key such as "f5", or a combination such as "ctrl+t"'
            )
        return key

    @field_validator("colour")
    @classmethod
    def _colour(cls, v: str) -> str:
        try:
            Color.parse(v)
        except ColorParseError:
            raise ValueError(
                f'"{v}" is not a colour: use a name such as "green" or a hex code such as "#2a9d8f"'
            ) from None
        return v


class Codebook(BaseModel):
    """A set of themes for live tagging."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    description: str = ""
    themes: tuple[Theme, ...]

    @field_validator("themes")
    @classmethod
    def _has_themes(cls, v: tuple[Theme, ...]) -> tuple[Theme, ...]:
        if not v:
            raise ValueError("the codebook has no themes (add at least one [[themes]])")
        return v

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Codebook:
        text = (info.context or {}).get("text", "")
        problems = []
        ids = [t.id for t in self.themes] + [s.id for t in self.themes for s in t.subthemes]
        for dup, n in Counter(ids).items():
            if n > 1:
                problems.append(
                    f'id "{dup}" is used {n} times{_at(text, "id", dup)}: give each code its own id'
                )
        for dup, n in Counter(t.key for t in self.themes).items():
            if n > 1:
                names = ", ".join(t.name for t in self.themes if t.key == dup)
                problems.append(
                    f'hotkey "{dup}" is given to {n} themes ({names}): give each theme its own key'
                )
        app_keys = effective_keys()
        for t in self.themes:
            owner = app_keys.get(t.key)
            if owner:
                problems.append(
                    f'theme "{t.name}": hotkey "{t.key}"{_at(text, "key", t.key)} is one of '
                    f"the app's own keys ({_describe(owner)}): choose another key"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def by_key(self) -> dict[str, Theme]:
        """Themes by their hotkey."""
        return {t.key: t for t in self.themes}

    def theme(self, code: str) -> Theme:
        """A theme by id."""
        for t in self.themes:
            if t.id == code:
                return t
        raise KeyError(code)

    def clashes_with(self, keys: dict[str, str]) -> list[str]:
        """Themes whose hotkey is taken by an app action in `keys` (key → action id)."""
        return [
            f'theme "{t.name}" uses "{t.key}", which is also {_describe(keys[t.key])}'
            for t in self.themes
            if t.key in keys
        ]


def _at(text: str, key: str, value: str) -> str:
    line = tomlfile.line_of(text, key, value)
    return f" (line {line})" if line else ""


def _describe(action_id: str) -> str:
    for a in LIVE_ACTIONS:
        if a.id == action_id:
            return f'"{a.description}"'
    return "reserved by the app"


def load_codebook(path: Path) -> Codebook:
    """Load and validate a codebook file; raise InputFileError with every problem found."""
    return tomlfile.load_model(Codebook, path)


def codebook_names() -> list[str]:
    """Names of the built-in codebooks."""
    return builtin_names("codebooks")


def resolve_codebook(name_or_path: str) -> tuple[Path, Codebook]:
    """A built-in codebook by name, or a codebook file by path."""
    path = builtin_path("codebooks", name_or_path)
    return path, load_codebook(path)
