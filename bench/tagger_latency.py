"""Benchmark: a note-taker's key press → visible on the facilitator's screen, with N taggers.

The facilitator's app runs headless (Textual's run_test) recording a file replayed in real
time; N tagger processes each press a code every 0.1-0.4 s at random (LiveSession +
EventWriter, stamping from the anchors, as `facilitator tag` does) and put the monotonic press
instant in the tag's note. The facilitator's screen records when each tag reaches its tag
list. Monotonic time is the same clock in every process on one machine.
Reported with 1 tagger (baseline) and with N.

    .venv/bin/python bench/tagger_latency.py [--taggers 4] [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import soundfile

from facilitator.audio import SAMPLE_RATE
from facilitator.audio.inputs import AudioInput
from facilitator.audio.segments import recorded_frames
from facilitator.session.setup import create_session
from facilitator.session.store import default_participants
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens.live import LiveScreen

TAGGER = textwrap.dedent(
    """
    import random, sys, time
    from pathlib import Path
    from facilitator.session.events import EventKind
    from facilitator.session.follow import AnchoredClock
    from facilitator.session.live import LiveSession
    from facilitator.session.store import SessionStore
    from facilitator.session.writer import EventWriter

    folder, author, seconds = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    writer = EventWriter(folder, lambda r, e: None, lambda t: None)
    writer.start()
    with SessionStore.open(folder) as store:
        clock = AnchoredClock(store.latest_anchor())
        live = LiveSession(store.guide(), store.codebook(), clock, writer.submit, author=author)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            clock.update(store.latest_anchor())
            live._event(EventKind.TAG, {"code": "funding", "note": repr(time.monotonic())})
            time.sleep(random.uniform(0.1, 0.4))  # not in step with the screen's polling
    writer.flush(30)
    writer.stop()
    """
)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def run(root: Path, taggers: int, seconds: float) -> dict[str, float]:
    """One measurement: facilitator app + `taggers` processes for `seconds`."""
    wav = root / f"talk-{taggers}.wav"
    rng = np.random.default_rng(0)
    audio = (rng.standard_normal(int((seconds + 5) * SAMPLE_RATE)) * 2000).astype(np.int16)
    soundfile.write(str(wav), audio, SAMPLE_RATE, subtype="PCM_16")
    folder = create_session(
        root / "sessions",
        title=f"bench {taggers}",
        guide="partnership-health-inequalities",
        codebook="partnership-health-inequalities",
        participants=default_participants(8),
    )
    seen: dict[int, float] = {}
    app = FacilitatorApp(
        AppConfig(root / "sessions", session=folder, audio=AudioInput("file", file=str(wav)))
    )
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        original = screen.refresh_tags

        def refresh_and_time() -> None:
            original()
            now = time.monotonic()
            for tag in screen.state.tags.values():
                if tag.author != screen.author and tag.event_id not in seen:
                    seen[tag.event_id] = now - float(tag.note or "nan")

        screen.refresh_tags = refresh_and_time  # type: ignore[method-assign]
        await pilot.pause(1.0)
        procs = [
            subprocess.Popen([sys.executable, "-c", TAGGER, str(folder), f"t{n}", str(seconds)])
            for n in range(taggers)
        ]
        while any(p.poll() is None for p in procs):
            await pilot.pause(0.1)
        await pilot.pause(1.0)
        recorder = screen.recorder
        assert recorder is not None
        overflows = recorder.overflows
        backlog = recorder._queue.qsize()
    latencies = list(seen.values())
    return {
        "taggers": taggers,
        "tags_seen": len(latencies),
        "p50_s": round(statistics.median(latencies), 3),
        "p95_s": round(percentile(latencies, 95), 3),
        "max_s": round(max(latencies), 3),
        "recorder_overflows": overflows,
        "recorder_backlog_blocks_at_end": backlog,
        "recorded_seconds": round(recorded_frames(folder) / SAMPLE_RATE, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taggers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--dir", default=".")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-") as tmp:
        base = asyncio.run(run(Path(tmp), 1, args.seconds))
        many = asyncio.run(run(Path(tmp), args.taggers, args.seconds))
    print(
        json.dumps(
            {
                "baseline_one_tagger": base,
                "with_taggers": many,
                "p95_ratio_vs_one_tagger": round(many["p95_s"] / base["p95_s"], 2),
                "target_p95_s": 1.0,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
