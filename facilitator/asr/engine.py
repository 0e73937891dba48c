"""The Vosk engine: load a model once, make recognisers that report word times."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from facilitator.asr.models import ModelProblem, check_model_dir
from facilitator.session.transcript import Word

SAMPLE_RATE = 16_000


def load_model(path: Path) -> Any:
    """Load a Vosk model (seconds; do it off the UI thread)."""
    check_model_dir(path)
    import vosk

    vosk.SetLogLevel(-1)
    try:
        return vosk.Model(str(path))
    except Exception as exc:  # Kaldi reports a broken model as a bare exception
        raise ModelProblem(f"The speech model in {path} could not be loaded ({exc}).") from None


def new_recognizer(model: Any) -> Any:
    """A recogniser for 16 kHz mono audio that reports words with times and confidence."""
    import vosk

    recognizer = vosk.KaldiRecognizer(model, SAMPLE_RATE)
    recognizer.SetWords(True)
    return recognizer


def words_of(result_json: str, offset: float) -> tuple[str, tuple[Word, ...]]:
    """Text and words (in media time: recogniser time + `offset`) of a final result."""
    result = json.loads(result_json)
    words = tuple(
        Word(w["word"], offset + float(w["start"]), offset + float(w["end"]), float(w["conf"]))
        for w in result.get("result", [])
    )
    return str(result.get("text", "")), words


def partial_of(partial_json: str) -> str:
    """The text of a partial result."""
    return str(json.loads(partial_json).get("partial", ""))
