"""What a session records from: nothing, an input device, or a file replayed as if live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from facilitator.audio.devices import find_input_device
from facilitator.audio.sources import AudioSource, DeviceSource, FileSource


@dataclass(frozen=True)
class AudioInput:
    """The input choice, as stored in the session's metadata."""

    kind: str = "none"  # none | device | file
    device: str | None = None  # name or index; None is the default input
    file: str | None = None
    speed: float = 1.0

    @property
    def enabled(self) -> bool:
        """Whether anything is recorded."""
        return self.kind != "none"

    def describe(self) -> str:
        """Short text for the screen."""
        if self.kind == "file":
            speed = f" ×{self.speed:g}" if self.speed != 1 else ""
            return f"file {Path(self.file or '').name}{speed}"
        if self.kind == "device":
            return self.device or "default input"
        return "no audio"

    def open_source(self) -> AudioSource:
        """Make the source (checking that the device or file exists)."""
        if self.kind == "file":
            return FileSource(Path(self.file or ""), self.speed)
        return DeviceSource(find_input_device(self.device))

    def to_meta(self) -> dict[str, Any]:
        """For the session's metadata."""
        return {"kind": self.kind, "device": self.device, "file": self.file, "speed": self.speed}

    @classmethod
    def from_meta(cls, value: Any) -> AudioInput:
        """From the session's metadata (older sessions stored just 'none')."""
        if isinstance(value, dict):
            return cls(
                value.get("kind", "none"),
                value.get("device"),
                value.get("file"),
                float(value.get("speed", 1.0)),
            )
        return cls()
