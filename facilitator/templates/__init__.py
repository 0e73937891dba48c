"""Built-in guides and codebooks shipped as TOML files."""

from __future__ import annotations

from pathlib import Path

from facilitator.errors import FacilitatorError

TEMPLATES = Path(__file__).parent


def builtin_names(kind: str) -> list[str]:
    """Names (file stems) of the built-in templates of one kind: 'guides' or 'codebooks'."""
    return sorted(p.stem for p in (TEMPLATES / kind).glob("*.toml"))


def builtin_path(kind: str, name_or_path: str) -> Path:
    """The file for a built-in name, or `name_or_path` itself when it is an existing file."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" or candidate.exists():
        return candidate
    path = TEMPLATES / kind / f"{name_or_path}.toml"
    if path.exists():
        return path
    names = ", ".join(builtin_names(kind))
    singular = kind.rstrip("s")
    raise FacilitatorError(
        f'There is no built-in {singular} called "{name_or_path}". '
        f"Built-in {kind}: {names}. Or give the path of a .toml file."
    )
