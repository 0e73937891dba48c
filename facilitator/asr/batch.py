"""Re-transcribe a recording faster than real time on every core.

The audio is split at silences into roughly equal pieces (a few per core so the cores stay
busy), each piece is recognised by a process of its own with its own recogniser (the model is
loaded once per process), and the results are merged back in time order.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from facilitator.asr.engine import SAMPLE_RATE, load_model, new_recognizer, words_of
from facilitator.session.transcript import Segment

FRAME = 480  # 30 ms
MIN_SILENCE_FRAMES = 10  # 0.3 s
PIECES_PER_WORKER = 2  # each new recogniser pays ~0.5 s warm-up: few, large pieces
FEED = 4000  # samples per AcceptWaveform: 0.25 s

_model: Any = None


def split_at_silences(samples: npt.NDArray[np.int16], pieces: int) -> list[tuple[int, int]]:
    """(start, end) sample ranges covering all of `samples`, cut in the middle of silences
    nearest to equal shares; never inside speech when a silence is available."""
    if pieces <= 1 or len(samples) < FRAME * 4:
        return [(0, len(samples))]
    frames = len(samples) // FRAME
    energy = np.sqrt(
        np.mean(samples[: frames * FRAME].astype(np.float32).reshape(frames, FRAME) ** 2, axis=1)
    )
    quiet = energy <= max(np.percentile(energy, 20) * 2, 30.0)
    centres = []
    run_start = None
    for i, q in enumerate([*quiet, False]):
        if q and run_start is None:
            run_start = i
        elif not q and run_start is not None:
            if i - run_start >= MIN_SILENCE_FRAMES:
                centres.append((run_start + i) // 2 * FRAME)
            run_start = None
    cuts: list[int] = []
    for k in range(1, pieces):
        target = k * len(samples) // pieces
        if centres:
            best = min(centres, key=lambda c: abs(c - target))
            if best not in cuts and (not cuts or best > cuts[-1]):
                cuts.append(best)
    edges = [0, *cuts, len(samples)]
    return [(a, b) for a, b in itertools.pairwise(edges) if b > a]


def _load(model_path: str) -> None:
    global _model
    _model = load_model(Path(model_path))


def _recognise(piece: npt.NDArray[np.int16], offset: float) -> list[tuple[str, list[Any]]]:
    recognizer = new_recognizer(_model)
    results = []
    for i in range(0, len(piece), FEED):
        if recognizer.AcceptWaveform(piece[i : i + FEED].astype("<i2").tobytes()):
            results.append(recognizer.Result())
    results.append(recognizer.FinalResult())
    out = []
    for result in results:
        text, words = words_of(result, offset)
        if words:
            out.append((text, list(words)))
    return out


def transcribe(
    samples: npt.NDArray[np.int16],
    model_path: Path,
    model_name: str,
    *,
    version: str,
    workers: int | None = None,
    progress: Callable[[float, float], None] = lambda done, total: None,
) -> list[Segment]:
    """Recognise `samples` (16 kHz mono int16) in parallel; segments in time order."""
    workers = workers or os.cpu_count() or 1
    pieces = split_at_silences(samples, workers * PIECES_PER_WORKER)
    total = len(samples) / SAMPLE_RATE
    done = 0.0
    segments: list[Segment] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, context, initializer=_load, initargs=(str(model_path),)
    ) as pool:
        futures = [pool.submit(_recognise, samples[a:b], a / SAMPLE_RATE) for a, b in pieces]
        for (a, b), future in zip(pieces, futures, strict=True):
            for text, words in future.result():
                segments.append(
                    Segment(words[0].start, words[-1].end, text, tuple(words), version, model_name)
                )
            done += (b - a) / SAMPLE_RATE
            progress(done, total)
    return segments
