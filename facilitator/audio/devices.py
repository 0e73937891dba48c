"""Input devices as PortAudio sees them, and choosing one by name or index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.errors import FacilitatorError

MONITOR_WORDS = ("monitor", "loopback", "stereo mix", "what u hear")


class AudioUnavailable(FacilitatorError):
    """No audio system to record from."""


@dataclass(frozen=True)
class InputDevice:
    """One device that can record."""

    index: int
    name: str
    host_api: str
    channels: int
    default_rate: float
    is_default: bool
    is_monitor: bool

    @property
    def label(self) -> str:
        """How the device is shown to people."""
        flags = (("default", self.is_default), ("call audio", self.is_monitor))
        marks = [mark for mark, on in flags if on]
        return f"{self.index}: {self.name}" + (f" ({', '.join(marks)})" if marks else "")


def sounddevice() -> Any:
    """Import sounddevice, explaining what to install when PortAudio is missing."""
    try:
        import sounddevice as sd
    except OSError as exc:
        raise AudioUnavailable(
            f"Audio capture is not available ({exc}). Install PortAudio: "
            "sudo apt-get install libportaudio2 — or run with --no-audio."
        ) from None
    return sd


OPEN_STREAMS = [0]  # input streams open in this process (PortAudio cannot rescan under them)


def rescan(sd: Any) -> None:
    """Make PortAudio look for devices again (one plugged in since), unless a stream is open."""
    if OPEN_STREAMS[0] == 0:
        sd._terminate()
        sd._initialize()


def list_input_devices() -> list[InputDevice]:
    """Every device with at least one input channel, as it is now."""
    sd = sounddevice()
    rescan(sd)
    apis = [a["name"] for a in sd.query_hostapis()]
    try:
        default_in = sd.default.device[0]
    except Exception:  # PortAudio reports no default in several ways
        default_in = -1
    devices = []
    for index, info in enumerate(sd.query_devices()):
        if info["max_input_channels"] < 1:
            continue
        name = str(info["name"])
        devices.append(
            InputDevice(
                index,
                name,
                apis[info["hostapi"]],
                int(info["max_input_channels"]),
                float(info["default_samplerate"]),
                index == default_in,
                any(w in name.lower() for w in MONITOR_WORDS),
            )
        )
    return devices


def find_input_device(wanted: str | None) -> InputDevice:
    """The device named (exactly, or by a unique part of its name) or numbered; None: default."""
    devices = list_input_devices()
    if not devices:
        raise AudioUnavailable(
            "No input device was found: plug in a microphone (or check the sound settings), "
            "or run with --no-audio to keep time and tags without recording."
        )
    if wanted is None:
        return next((d for d in devices if d.is_default), devices[0])
    if wanted.isdigit():
        matches = [d for d in devices if d.index == int(wanted)]
    else:
        matches = [d for d in devices if d.name == wanted] or [
            d for d in devices if wanted.lower() in d.name.lower()
        ]
    if len(matches) == 1:
        return matches[0]
    listing = "\n".join(f"  {d.label}" for d in devices)
    problem = "matches several devices" if matches else "is not an input device here"
    raise FacilitatorError(f'"{wanted}" {problem}. Input devices:\n{listing}')
