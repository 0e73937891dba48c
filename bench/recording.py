"""Benchmark: the capture + writer path.

(a) CPU time our recorder spends per minute of audio (replaying a file through the same
    pipeline as a microphone), as % of one core at real time, and as a ratio to a baseline
    in the same process: just reading the same file in the same 0.1 s blocks.
(b) A two-hour recording replayed at high speed: input overflows, the largest backlog in the
    recorder's queue, RSS at start and end, and that every frame reached the disk.

    .venv/bin/python bench/recording.py [--minutes 120] [--speed 200] [--dir .]
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile

from facilitator.audio import BLOCK_FRAMES, SAMPLE_RATE
from facilitator.audio.recorder import Recorder, RecorderStatus
from facilitator.audio.segments import recorded_frames
from facilitator.audio.sources import FileSource


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds() -> float:
    """CPU time of this process (all threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_recording(path: Path, minutes: float) -> None:
    """A long 16 kHz mono file of quiet noise, written a minute at a time."""
    rng = np.random.default_rng(0)
    with soundfile.SoundFile(str(path), "w", SAMPLE_RATE, 1, subtype="PCM_16") as f:
        for _ in range(int(minutes)):
            f.write((rng.standard_normal(60 * SAMPLE_RATE) * 2000).astype(np.int16))


def baseline(path: Path) -> float:
    """CPU seconds to just read the file in 0.1 s blocks."""
    start = cpu_seconds()
    with soundfile.SoundFile(str(path)) as f:
        for _ in f.blocks(blocksize=BLOCK_FRAMES, dtype="int16"):
            pass
    return cpu_seconds() - start


def record(path: Path, folder: Path, speed: float) -> dict[str, float]:
    """Replay through the recorder; measure CPU, backlog, memory."""
    folder.mkdir()
    statuses: list[RecorderStatus] = []
    recorder = Recorder(folder, FileSource(path, speed), statuses.append, speed=speed)
    rss_start = rss_mb()
    cpu_start, wall_start = cpu_seconds(), time.monotonic()
    recorder.start()
    backlog = 0
    while recorder.status().state != "ended":
        backlog = max(backlog, recorder._queue.qsize())
        time.sleep(0.05)
    recorder.stop()
    return {
        "cpu_s": cpu_seconds() - cpu_start,
        "wall_s": time.monotonic() - wall_start,
        "overflows": recorder.overflows,
        "max_queue_blocks": backlog,
        "rss_start_mb": round(rss_start, 1),
        "rss_end_mb": round(rss_mb(), 1),
        "frames_on_disk": recorded_frames(folder),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=120)
    parser.add_argument("--cpu-minutes", type=float, default=10)
    parser.add_argument("--speed", type=float, default=200)
    parser.add_argument("--dir", default=".", help="where to write (a real disk)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-") as tmp:
        root = Path(tmp)
        short, long = root / "short.wav", root / "long.wav"
        make_recording(short, args.cpu_minutes)
        base = baseline(short)
        cpu = record(short, root / "cpu", speed=args.speed)
        audio_minutes = args.cpu_minutes
        make_recording(long, args.minutes)
        run = record(long, root / "long", speed=args.speed)
        expected = int(args.minutes * 60 * SAMPLE_RATE)
    per_minute = cpu["cpu_s"] / audio_minutes
    print(
        json.dumps(
            {
                "cpu_seconds_per_audio_minute": round(per_minute, 4),
                "percent_of_one_core_at_real_time": round(100 * per_minute / 60, 3),
                "target_percent": 2.0,
                "ratio_vs_bare_file_read": round(cpu["cpu_s"] / max(base, 1e-9), 2),
                "two_hour_replay": {
                    "audio_minutes": args.minutes,
                    "speed": args.speed,
                    **{k: v for k, v in run.items() if k != "cpu_s"},
                    "all_frames_written": run["frames_on_disk"] == expected,
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
