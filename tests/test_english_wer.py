"""English word error rate on real human speech (LibriVox recordings in pocketsphinx-testdata).

Runs only when $FACILITATOR_ENGLISH_MODEL points at an English Vosk model folder (the default
English model cannot be downloaded on machines without internet), and skips otherwise.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from facilitator.asr.batch import transcribe
from facilitator.cli import _file_audio

LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")
MODEL = os.environ.get("FACILITATOR_ENGLISH_MODEL")

pytestmark = pytest.mark.timeout(600)


def word_error_rate(reference: list[str], hypothesis: list[str]) -> float:
    """Levenshtein distance over words, divided by the reference length."""
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[-1] / max(1, len(reference))


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z' ]", " ", text.lower()).split()


def references() -> dict[str, str]:
    """File id → reference text, from the Sphinx 'transcription' file."""
    found = {}
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        match = re.match(r"<s>(.*)</s>\s*\((.+)\)", line.strip())
        if match:
            found[match.group(2)] = match.group(1)
    return found


@pytest.mark.skipif(not MODEL, reason="set FACILITATOR_ENGLISH_MODEL to an English model")
def test_word_error_rate_on_librivox_below_25_percent() -> None:
    assert MODEL
    if not (LIBRIVOX / "transcription").exists():
        pytest.skip("pocketsphinx-testdata is not installed")
    reference_words, hypotheses = [], []
    for file_id, text in references().items():
        audio = _file_audio(LIBRIVOX / f"{file_id}.wav")
        segments = transcribe(audio, Path(MODEL), "en", version="wer", workers=2)
        reference_words += words(text)
        hypotheses += words(" ".join(s.text for s in segments))
    assert len(reference_words) > 50, "the reference transcripts were read"
    assert word_error_rate(reference_words, hypotheses) < 0.25


def test_word_error_rate_helper() -> None:
    assert word_error_rate(["a", "b", "c"], ["a", "c"]) == pytest.approx(1 / 3)
