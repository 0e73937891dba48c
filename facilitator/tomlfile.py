"""Load TOML files into pydantic models with messages a researcher can act on."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from facilitator.errors import InputFileError

M = TypeVar("M", bound=BaseModel)

_FIXES = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "write it as text in double quotes",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "too_short": "it must not be empty",
}


def field_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as `sections[0].questions[2].text`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def describe_validation_error(err: ValidationError) -> list[str]:
    """One readable line per problem pydantic found."""
    problems = []
    for e in err.errors():
        where = field_path(tuple(e["loc"]))
        prefix = f"{where}: " if where else ""
        if e["type"] == "value_error":
            for part in str(e["msg"]).removeprefix("Value error, ").split("; "):
                problems.append(prefix + part)
            continue
        fix = _FIXES.get(e["type"])
        problems.append(prefix + str(e["msg"]) + (f" ({fix})" if fix else ""))
    return problems


def line_of(text: str, key: str, value: str) -> int | None:
    """The 1-based line where `key = "value"` first appears in TOML `text`, if found."""
    found = lines_of(text, key, value)
    return found[0] if found else None


def lines_of(text: str, key: str, value: str) -> list[int]:
    """Every 1-based line where `key = "value"` appears in TOML `text`."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=\s*[\"']{re.escape(value)}[\"']")
    return [n for n, line in enumerate(text.splitlines(), start=1) if pattern.match(line)]


def read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """Read and parse a TOML file; raise InputFileError naming the line on bad syntax."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputFileError(path, ["the file does not exist (check the path)"]) from None
    except UnicodeDecodeError:
        raise InputFileError(path, ["the file is not UTF-8 text (save it as UTF-8)"]) from None
    except OSError as exc:
        raise InputFileError(path, [f"the file cannot be read: {exc.strerror}"]) from None
    return text, parse_toml(text, path)


def parse_toml(text: str, source: str | Path) -> dict[str, Any]:
    """Parse TOML text; raise InputFileError naming the line on bad syntax."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(
            source,
            [
                f"TOML syntax error: {exc} — check quotes, brackets and '=' on that line "
                "(text values need double quotes)"
            ],
        ) from None


def load_model(model: type[M], path: Path) -> M:
    """Read a TOML file and validate it against `model`."""
    text, data = read_toml(path)
    return validate(model, path, text, data)


def parse_model(model: type[M], text: str, source: str) -> M:
    """Validate TOML text (for example a snapshot stored in a session) against `model`."""
    return validate(model, source, text, parse_toml(text, source))


def validate(model: type[M], path: str | Path, text: str, data: dict[str, Any]) -> M:
    """Validate parsed TOML against `model`, turning pydantic errors into InputFileError."""
    try:
        return model.model_validate(data, context={"text": text})
    except ValidationError as err:
        raise InputFileError(path, describe_validation_error(err)) from None
