"""Formatting helpers for times shown on screen."""


def clock(seconds: float) -> str:
    """Seconds as H:MM:SS, or MM:SS under an hour."""
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"
