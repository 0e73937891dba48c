"""`facilitator export` and `facilitator verify`: the session bundle and single-file formats.

Everything is written under a temporary name beside the target and renamed into place at the
end, so a crash never leaves a half export that looks whole; an existing target is replaced
only with --force. Zip entries are plain relative names.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import soundfile

from facilitator.audio import SAMPLE_RATE
from facilitator.checksums import sha256_file
from facilitator.errors import FacilitatorError
from facilitator.export import formats
from facilitator.export.qdpx import write_qdpx
from facilitator.export.snapshot import Snapshot

TEXT_FORMATS: dict[str, tuple[str, Callable[[Snapshot], str]]] = {
    "srt": (".srt", lambda s: formats.captions(s, vtt=False)),
    "vtt": (".vtt", lambda s: formats.captions(s, vtt=True)),
    "md": (".md", formats.transcript_md),
    "json": (".json", formats.transcript_json),
    "csv": (".csv", formats.tags_csv),
    "maxqda": (".txt", formats.maxqda_transcript),
    "nvivo": (".txt", formats.nvivo_timespans),
    "eaf": (".eaf", lambda s: formats.elan_eaf(s, None)),
}
FORMATS = ("bundle", "qdpx", "docx", *TEXT_FORMATS)


def write_audio(snap: Snapshot, target: Path) -> tuple[bool, int]:
    """All readable audio segments as one FLAC or WAV: (anything written, segments skipped)."""
    readable = [p for p in snap.audio if _readable(p)]
    skipped = len(snap.audio) - len(readable)
    if not readable:
        return False, skipped
    subtype = "PCM_16"
    with soundfile.SoundFile(str(target), "w", SAMPLE_RATE, 1, subtype=subtype) as out:
        for path in readable:
            with soundfile.SoundFile(str(path)) as f:
                for block in f.blocks(blocksize=SAMPLE_RATE * 10, dtype="int16"):
                    out.write(block)
    return True, skipped


def build_bundle_folder(snap: Snapshot, folder: Path, audio_ext: str) -> list[str]:
    """Write every bundle file into `folder`; return problems worth telling the user."""
    problems = []
    audio = folder / f"audio{audio_ext}"
    written, skipped = write_audio(snap, audio)
    audio_name = audio.name if written else None
    if audio_name is None:
        problems.append("no readable audio: the bundle has everything else")
    elif skipped:
        problems.append("a damaged audio segment was left out")
    files = {
        "transcript.json": formats.transcript_json(snap),
        "transcript.md": formats.transcript_md(snap),
        "tags.csv": formats.tags_csv(snap),
        "notes.csv": formats.notes_csv(snap),
        "guide.toml": snap.guide_text,
        "codebook.toml": snap.codebook_text,
        "session.eaf": formats.elan_eaf(snap, audio_name),
        "captions.vtt": formats.captions(snap, vtt=True),
        "session.json": formats.session_json(snap, audio_name, problems),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    write_qdpx(snap, folder / "session.qdpx", audio if audio_name else None)
    formats.transcript_docx(snap, folder / "transcript.docx")
    manifest = {
        "session": snap.session_id,
        "files": {
            p.name: {"sha256": sha256_file(p), "size": p.stat().st_size}
            for p in sorted(folder.iterdir())
        },
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return problems


def _readable(path: Path) -> bool:
    try:
        soundfile.info(str(path))
        return True
    except Exception:
        return False


def export(snap: Snapshot, out: Path, fmt: str, *, force: bool, wav: bool) -> list[str]:
    """Write `fmt` to `out` atomically; return problems to report (the export still happened)."""
    if fmt not in FORMATS:
        raise FacilitatorError(f"Unknown format {fmt!r}. Formats: {', '.join(FORMATS)}.")
    out = out.expanduser()
    if out.exists() and not force:
        raise FacilitatorError(f"{out} already exists. Choose another --out, or add --force.")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.partial-") as tmp:
        work = Path(tmp)
        problems: list[str] = []
        if fmt == "bundle":
            content = work / "bundle"
            content.mkdir()
            problems = build_bundle_folder(snap, content, ".wav" if wav else ".flac")
            if out.suffix.lower() == ".zip":
                staged = work / "bundle.zip"
                with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as z:
                    for p in sorted(content.iterdir()):
                        z.write(p, p.name)
            else:
                staged = content
        elif fmt == "docx":
            staged = work / "out.docx"
            formats.transcript_docx(snap, staged)
        elif fmt == "qdpx":
            audio = work / ("audio.wav" if wav else "audio.flac")
            staged = work / "out.qdpx"
            write_qdpx(snap, staged, audio if write_audio(snap, audio)[0] else None)
        else:
            staged = work / "out"
            staged.write_text(TEXT_FORMATS[fmt][1](snap), encoding="utf-8")
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        os.replace(staged, out)
    return problems


def verify(path: Path) -> list[str]:
    """Problems found in a bundle (folder or .zip); an empty list means it is whole."""
    files = _bundle_files(path)
    if "manifest.json" not in files:
        return [f"{path} has no manifest.json: it is not a Facilitator bundle, or it is damaged."]
    try:
        manifest = json.loads(files["manifest.json"]())
    except ValueError:
        return ["manifest.json is damaged (not valid JSON)."]
    problems = []
    listed = manifest.get("files", {})
    for name, info in listed.items():
        if name not in files:
            problems.append(f"{name} is missing.")
            continue
        data = files[name]()
        if len(data) != info["size"] or hashlib.sha256(data).hexdigest() != info["sha256"]:
            problems.append(f"{name} has been altered or damaged (checksum differs).")
    for name in sorted(set(files) - set(listed) - {"manifest.json"}):
        problems.append(f"{name} is not in the manifest (an extra file).")
    session = json.loads(files["session.json"]()) if "session.json" in files else {}
    duration = float(session.get("duration_seconds", 0))
    audio = session.get("audio")
    if audio and audio in files and audio in listed:
        try:
            info = soundfile.info(io.BytesIO(files[audio]()))
            if abs(info.duration - duration) > 0.1:
                problems.append(
                    f"{audio} lasts {info.duration:.1f} s but the session lasted {duration:.1f} s."
                )
        except Exception as exc:
            problems.append(f"{audio} does not open as audio ({exc}).")
    if "tags.csv" in files:
        try:
            rows = list(csv.DictReader(io.StringIO(files["tags.csv"]().decode("utf-8"))))
            outside = [
                r["media_time"] for r in rows if not 0 <= float(r["seconds"]) <= duration + 0.2
            ]
        except (KeyError, ValueError, UnicodeDecodeError):
            problems.append("tags.csv cannot be read as a table of tags.")
        else:
            problems += [f"the tag at {t} is outside the recording." for t in outside]
    return problems


def _bundle_files(path: Path) -> dict[str, Callable[[], bytes]]:
    if path.is_dir():
        return {p.name: p.read_bytes for p in path.iterdir() if p.is_file()}
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        return {n: functools.partial(z.read, n) for n in z.namelist()}
    raise FacilitatorError(f"{path} is neither a bundle folder nor a .zip bundle.")
