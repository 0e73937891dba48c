"""Question guides: sections of questions with probes and planned minutes, loaded from TOML."""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from facilitator import tomlfile
from facilitator.templates import builtin_names, builtin_path

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class Question(BaseModel):
    """One question the facilitator asks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    text: str = Field(min_length=1)
    probes: tuple[str, ...] = ()
    minutes: float = Field(default=5.0, gt=0, le=240)


class Section(BaseModel):
    """A part of the guide (for example 'Partnership working')."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    questions: tuple[Question, ...]

    @field_validator("questions")
    @classmethod
    def _not_empty(cls, v: tuple[Question, ...]) -> tuple[Question, ...]:
        if not v:
            raise ValueError(
                "this section has no questions (add at least one [[sections.questions]])"
            )
        return v


class Guide(BaseModel):
    """A question guide: the order of questions for a session."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    description: str = ""
    sections: tuple[Section, ...]

    @field_validator("sections")
    @classmethod
    def _has_sections(cls, v: tuple[Section, ...]) -> tuple[Section, ...]:
        if not v:
            raise ValueError("the guide has no sections (add a [[sections]] with questions)")
        return v

    @model_validator(mode="after")
    def _unique_ids(self, info: ValidationInfo) -> Guide:
        text = (info.context or {}).get("text", "")
        problems = []
        for kind, ids in (
            ("section", [s.id for s in self.sections]),
            ("question", [q.id for s in self.sections for q in s.questions]),
        ):
            for dup, n in Counter(ids).items():
                if n > 1:
                    where = tomlfile.lines_of(text, "id", dup)
                    at = f" (lines {', '.join(map(str, where))})" if where else ""
                    problems.append(
                        f'{kind} id "{dup}" is used {n} times{at}: give each {kind} its own id'
                    )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        """All questions in order."""
        return tuple(q for s in self.sections for q in s.questions)

    def section_of(self, question_id: str) -> Section:
        """The section holding a question."""
        for s in self.sections:
            if any(q.id == question_id for q in s.questions):
                return s
        raise KeyError(question_id)

    @property
    def planned_minutes(self) -> float:
        """The sum of all questions' planned minutes."""
        return sum(q.minutes for q in self.questions)


def load_guide(path: Path) -> Guide:
    """Load and validate a guide file; raise InputFileError with every problem found."""
    return tomlfile.load_model(Guide, path)


def guide_names() -> list[str]:
    """Names of the built-in guides."""
    return builtin_names("guides")


def resolve_guide(name_or_path: str) -> tuple[Path, Guide]:
    """A built-in guide by name, or a guide file by path."""
    path = builtin_path("guides", name_or_path)
    return path, load_guide(path)
