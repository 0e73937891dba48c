"""Download and install a model: progress, resume of a broken download, size and SHA-256 check,
safe unzip into the models folder."""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from facilitator.asr.models import CatalogueEntry, ModelProblem, check_model_dir
from facilitator.checksums import sha256_file
from facilitator.paths import make_private_dir

CHUNK = 1 << 16
Progress = Callable[[int, int | None], None]  # bytes so far, total (if known)


def download(url: str, target: Path, progress: Progress, timeout: float = 30) -> Path:
    """Fetch `url` to `target`, resuming from `target.part` if an earlier try was cut short."""
    part = target.with_name(target.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    try:
        response = urllib.request.urlopen(
            urllib.request.Request(url, headers=headers), timeout=timeout
        )
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # nothing left to fetch
            part.rename(target)
            return target
        if exc.code == 404:
            raise ModelProblem(f"The model was not found at {url} (HTTP 404).") from None
        raise ModelProblem(f"The model server refused the download ({exc}).") from None
    except (urllib.error.URLError, OSError) as exc:
        raise ModelProblem(
            f"Cannot reach {url} ({getattr(exc, 'reason', exc)}). Are you offline? Recording "
            "and tagging work without a model; run the same command again later."
        ) from None
    with response:
        if response.status == 200 and have:  # the server ignored the range: start again
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else None
        done = have
        with open(part, "ab" if have else "wb") as out:
            try:
                while block := response.read(CHUNK):
                    out.write(block)
                    done += len(block)
                    progress(done, total)
            except (OSError, TimeoutError) as exc:
                raise ModelProblem(
                    f"The download was interrupted after {done / 1e6:.1f} MB ({exc}). "
                    "Run the same command again to carry on from there."
                ) from None
    if total is not None and done < total:
        raise ModelProblem(
            f"The download stopped after {done / 1e6:.1f} of {total / 1e6:.1f} MB. "
            "Run the same command again to carry on from there."
        )
    part.rename(target)
    return target


def verify(path: Path, e: CatalogueEntry) -> None:
    """Check size and SHA-256; a bad file is deleted so the next try starts clean."""
    problems = []
    if e.size is not None and path.stat().st_size != e.size:
        problems.append(f"size {path.stat().st_size} bytes, expected {e.size}")
    if e.sha256 and sha256_file(path) != e.sha256:
        problems.append("its SHA-256 checksum does not match the catalogue")
    if problems:
        path.unlink()
        raise ModelProblem(
            f"The downloaded {e.name} is not the expected file ({'; '.join(problems)}). It was "
            "deleted; run the command again. If it keeps failing, the download is being altered."
        )


def unpack(archive: Path, e: CatalogueEntry, models_dir: Path) -> Path:
    """Unzip into models_dir/NAME (entries may not escape the folder); check the result."""
    final = models_dir / e.name
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".unpack-") as tmp:
        with zipfile.ZipFile(archive) as z:
            for member in z.namelist():
                target = (Path(tmp) / member).resolve()
                if not target.is_relative_to(Path(tmp).resolve()):
                    raise ModelProblem(f"{archive.name} contains an unsafe path: {member}")
            z.extractall(tmp)
        roots = [p for p in Path(tmp).iterdir() if p.is_dir()]
        source = roots[0] if len(roots) == 1 and not (Path(tmp) / "am").exists() else Path(tmp)
        check_model_dir(source)
        if final.exists():
            shutil.rmtree(final)
        source.rename(final)
    return final


def install(
    e: CatalogueEntry, models_dir: Path, progress: Progress, url: str | None = None
) -> Path:
    """Download (resuming), verify and unpack a catalogue model; return its folder."""
    if not (url or e.url):
        raise ModelProblem(f"{e.name} is not downloaded from the web: {e.description}.")
    make_private_dir(models_dir)
    downloads = make_private_dir(models_dir / ".downloads")
    archive = downloads / f"{e.name}.zip"
    if not archive.exists():
        download(url or e.url, archive, progress)
    verify(archive, e)
    folder = unpack(archive, e, models_dir)
    archive.unlink()
    return folder
