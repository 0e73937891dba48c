"""Benchmark: export time of a synthetic two-hour session (20,000 words, 1,000 tags) for each
format, as a fraction of the session's length (target for the whole bundle with FLAC: ≤ 5 %).

    .venv/bin/python bench/export.py [--minutes 120] [--dir .]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from facilitator.audio import SAMPLE_RATE
from facilitator.audio.segments import next_segment_path
from facilitator.audio.wavfile import WavSegmentWriter
from facilitator.export.bundle import FORMATS, export
from facilitator.export.snapshot import take_snapshot
from facilitator.session.events import EventKind, EventRequest
from facilitator.session.setup import create_session
from facilitator.session.store import SessionStore, default_participants
from facilitator.session.transcript import Segment, Word


def build(root: Path, minutes: float) -> Path:
    """A session with `minutes` of audio, 2,000 ten-word segments and 1,000 tags."""
    default = "partnership-health-inequalities"
    folder = create_session(
        root, title="bench", guide=default, codebook=default, participants=default_participants(8)
    )
    rng = np.random.default_rng(0)
    writer = WavSegmentWriter(next_segment_path(folder))
    for _ in range(int(minutes)):
        writer.write((rng.standard_normal(60 * SAMPLE_RATE) * 800).astype(np.int16))
    writer.close()
    length = minutes * 60
    codes = ["funding", "place", "training", "mental-health", "research-evidence"]
    with SessionStore.open(folder) as store:
        for i in range(8):
            store.append(
                EventRequest(
                    EventKind.QUESTION,
                    i * length / 8,
                    0.0,
                    "fac",
                    {"question_id": f"q{i + 1}", "index": i},
                )
            )
        for i in range(1000):
            t = (i + 0.5) * length / 1000
            store.append(EventRequest(EventKind.TAG, t, 0.0, f"t{i % 4}", {"code": codes[i % 5]}))
        for i in range(2000):
            start = i * length / 2000
            words = tuple(
                Word(f"word{j}", start + j * 0.3, start + j * 0.3 + 0.25, 0.9) for j in range(10)
            )
            store.add_segment(Segment(start, words[-1].end, " ".join(w.word for w in words), words))
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120)
    parser.add_argument("--dir", default=".")
    args = parser.parse_args()
    length = args.minutes * 60
    results = {}
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-") as tmp:
        folder = build(Path(tmp) / "sessions", args.minutes)
        for fmt in FORMATS:
            t0 = time.monotonic()
            snap = take_snapshot(folder)
            export(snap, Path(tmp) / f"out-{fmt}", fmt, force=True, wav=False)
            seconds = time.monotonic() - t0
            results[fmt] = {
                "seconds": round(seconds, 2),
                "percent_of_session": round(100 * seconds / length, 3),
            }
    print(
        json.dumps(
            {
                "session_minutes": args.minutes,
                "words": 20000,
                "tags": 1000,
                "target_bundle_percent": 5.0,
                "formats": results,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
