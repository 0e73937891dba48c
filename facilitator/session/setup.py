"""Creating a new session from a guide, a codebook and participants."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from facilitator.codebook import resolve_codebook
from facilitator.guide import resolve_guide
from facilitator.session.catalogue import new_session_folder
from facilitator.session.store import Participant, SessionStore


def create_session(
    root: Path,
    *,
    title: str,
    guide: str,
    codebook: str,
    participants: Sequence[Participant],
    input_meta: dict[str, Any] | None = None,
) -> Path:
    """Validate the guide and codebook, snapshot them into a new session folder; return it."""
    guide_path, _ = resolve_guide(guide)
    codebook_path, _ = resolve_codebook(codebook)
    folder = new_session_folder(root, title)
    store = SessionStore.create(
        folder,
        title=title,
        guide=(guide_path.stem, guide_path.read_text(encoding="utf-8")),
        codebook=(codebook_path.stem, codebook_path.read_text(encoding="utf-8")),
        participants=participants,
        extra_meta={"input": input_meta or {"kind": "none"}},
    )
    store.close()
    return folder
