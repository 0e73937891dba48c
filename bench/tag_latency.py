"""Benchmark: key press → committed row, for 1,000 tags in a session holding 100,000 events.

A tag is submitted the way the live screen does it (LiveSession → EventWriter thread → SQLite in
WAL mode, synchronous=FULL) and timed until the writer reports it committed. The baseline is a
bare INSERT + COMMIT with the same pragmas into an empty database, in the same process, so the
ratio says what our path costs over the unavoidable durable write on this machine.

    .venv/bin/python bench/tag_latency.py [--events 100000] [--tags 1000]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

from facilitator.session.clock import MonotonicClock
from facilitator.session.events import Event, EventRequest
from facilitator.session.live import LiveSession
from facilitator.session.setup import create_session
from facilitator.session.store import DB_NAME, SessionStore, default_participants
from facilitator.session.writer import EventWriter


def prefill(folder: Path, count: int) -> None:
    """Add `count` realistic events in one transaction."""
    conn = sqlite3.connect(folder / DB_NAME)
    rows = [
        ("tag" if i % 3 else "speaker", i * 0.07, 1.7e9 + i, "fac", '{"code": "funding"}')
        for i in range(count)
    ]
    conn.executemany(
        "INSERT INTO events(kind, media_time, wall_time, author, data) VALUES (?,?,?,?,?)", rows
    )
    conn.commit()
    conn.close()


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure_writer(folder: Path, tags: int) -> list[float]:
    """Latency of each tag from the press to the writer's commit report, in ms."""
    done = threading.Event()
    latencies: list[float] = []
    press = {"at": 0.0}

    def committed(request: EventRequest, event: Event | None) -> None:
        latencies.append((time.perf_counter() - press["at"]) * 1000)
        done.set()

    writer = EventWriter(folder, committed, lambda text: None)
    writer.start()
    with SessionStore.open(folder) as store:
        live = LiveSession(
            store.guide(), store.codebook(), MonotonicClock(), writer.submit, author="bench"
        )
        codes = [t.id for t in store.codebook().themes]
        for i in range(tags):
            done.clear()
            press["at"] = time.perf_counter()
            live.tag(codes[i % len(codes)])  # what the key handler calls
            if not done.wait(10):
                raise SystemExit("a tag was not committed within 10 s")
    writer.stop()
    return latencies


def measure_baseline(folder: Path, rows: int) -> list[float]:
    """Bare durable INSERT + COMMIT latency, in ms."""
    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT, m REAL, data TEXT)")
    latencies = []
    for i in range(rows):
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t(kind, m, data) VALUES ('tag', ?, '{}')", (i * 0.1,))
        conn.execute("COMMIT")
        latencies.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=1_000)
    parser.add_argument("--dir", default=".", help="where to write (a real disk, not tmpfs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-") as tmp:
        root = Path(tmp)
        folder = create_session(
            root / "sessions",
            title="bench",
            guide="partnership-health-inequalities",
            codebook="partnership-health-inequalities",
            participants=default_participants(8),
        )
        prefill(folder, args.events)
        base = measure_baseline(root, args.tags)
        ours = measure_writer(folder, args.tags)
    result = {
        "events_in_session": args.events,
        "tags": len(ours),
        "median_ms": round(statistics.median(ours), 3),
        "p99_ms": round(percentile(ours, 99), 3),
        "baseline_median_ms": round(statistics.median(base), 3),
        "baseline_p99_ms": round(percentile(base, 99), 3),
        "median_ratio_vs_baseline": round(statistics.median(ours) / statistics.median(base), 2),
        "p99_ratio_vs_baseline": round(percentile(ours, 99) / percentile(base, 99), 2),
        "target_p99_ms": 20,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
