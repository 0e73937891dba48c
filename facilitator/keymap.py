"""The app's own actions and their default keys (data only, shared by the TUI and validation).

Every action has a stable id so users can remap it in settings.toml:

    [keymap]
    "facilitator.note" = "n"
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KeyAction:
    """One remappable action of the live screen."""

    id: str
    keys: str  # Textual key names, comma separated
    action: str  # Textual action string
    description: str
    show: bool = True


LIVE_ACTIONS: tuple[KeyAction, ...] = (
    KeyAction("facilitator.next_question", "right,pagedown", "next_question", "Next question"),
    KeyAction("facilitator.prev_question", "left,pageup", "prev_question", "Previous question"),
    KeyAction("facilitator.success", "plus", "valence('success')", "Last tag: success"),
    KeyAction("facilitator.challenge", "minus", "valence('challenge')", "Last tag: challenge"),
    KeyAction("facilitator.note", "n", "note", "Note"),
    KeyAction("facilitator.marker", "m", "marker", "Marker"),
    KeyAction("facilitator.speaker", "s", "speaker", "Speaker turn"),
    KeyAction("facilitator.undo", "u,ctrl+z", "undo", "Undo last tag"),
    KeyAction("facilitator.pause", "p", "toggle_pause", "Pause/resume"),
    KeyAction("facilitator.input", "i", "change_input", "Change input", show=False),
    KeyAction("facilitator.end", "ctrl+e", "end_session", "End session"),
    KeyAction("facilitator.help", "question_mark,f1", "help", "Help"),
)

# What a note-taker's tagger offers: deliberately few keys.
TAGGER_ACTION_IDS: frozenset[str] = frozenset(
    {
        "facilitator.success",
        "facilitator.challenge",
        "facilitator.note",
        "facilitator.marker",
        "facilitator.undo",
        "facilitator.help",
    }
)

# Keys Textual or the app use everywhere; a codebook hotkey may not take them either.
SYSTEM_KEYS: frozenset[str] = frozenset(
    {"ctrl+q", "ctrl+p", "ctrl+c", "escape", "enter", "tab", "shift+tab", "up", "down", "space"}
)

_SYMBOLS = {
    "+": "plus",
    "-": "minus",
    "?": "question_mark",
    " ": "space",
    "*": "asterisk",
    "/": "slash",
    ".": "full_stop",
    ",": "comma",
    "=": "equals_sign",
    "!": "exclamation_mark",
    "#": "number_sign",
}


# How key names are shown to people.
SYMBOL_DISPLAY: dict[str, str] = {v: k for k, v in _SYMBOLS.items() if k != " "} | {
    "space": "Space"
}


def normalise_key(key: str) -> str:
    """Textual's long name for a key: '+' → 'plus', 'Ctrl+E' → 'ctrl+e'."""
    key = key.strip()
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    return key.lower() if len(key) > 1 else key


def split_keys(keys: str) -> list[str]:
    """A comma-separated key list as normalised key names (a lone ',' is the comma key)."""
    if keys.strip() == ",":
        return ["comma"]
    return [normalise_key(k) for k in keys.split(",") if k.strip()]


def effective_keys(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Map each key to the action id that owns it, after applying user overrides."""
    overrides = overrides or {}
    owned: dict[str, str] = {}
    for action in LIVE_ACTIONS:
        for key in split_keys(overrides.get(action.id, action.keys)):
            owned[key] = action.id
    for key in SYSTEM_KEYS:
        owned[key] = "system"
    return owned
