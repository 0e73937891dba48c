"""Guides: built-ins and every kind of bad file, each with a message that says what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.errors import FacilitatorError, InputFileError
from facilitator.guide import guide_names, load_guide, resolve_guide

GOOD = """
title = "T"
[[sections]]
id = "s1"
title = "One"
  [[sections.questions]]
  id = "q1"
  text = "First?"
  probes = ["a", "b"]
  minutes = 4
  [[sections.questions]]
  id = "q2"
  text = "Second?"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "guide.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputFileError) as info:
        load_guide(write(tmp_path, text))
    message = str(info.value)
    assert str(tmp_path / "guide.toml") in message, "the message names the file"
    return message


def test_default_guide_has_eight_questions_four_per_section() -> None:
    _, guide = resolve_guide("partnership-health-inequalities")
    assert [len(s.questions) for s in guide.sections] == [4, 4]
    assert [s.title for s in guide.sections] == ["Partnership working", "Health inequalities"]
    assert all(q.probes and q.text.endswith("?") for q in guide.questions)


def test_every_builtin_guide_loads() -> None:
    assert set(guide_names()) >= {
        "partnership-health-inequalities",
        "community-partners-reflection",
    }
    for name in guide_names():
        _, guide = resolve_guide(name)
        assert guide.questions


def test_good_file_loads_with_defaults(tmp_path: Path) -> None:
    guide = load_guide(write(tmp_path, GOOD))
    assert [q.id for q in guide.questions] == ["q1", "q2"]
    assert guide.questions[1].minutes == 5.0
    assert guide.planned_minutes == 9.0
    assert guide.section_of("q2").id == "s1"


def test_syntax_error_names_the_line(tmp_path: Path) -> None:
    text = GOOD.replace('text = "First?"', "text = First?")
    message = problems(tmp_path, text)
    assert "TOML syntax error" in message and "line 8" in message
    assert "double quotes" in message


def test_missing_field_names_the_field(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('  text = "Second?"\n', ""))
    assert "sections[0].questions[1].text" in message and "add it" in message


def test_duplicate_question_ids_name_both_lines(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('id = "q2"', 'id = "q1"'))
    assert 'question id "q1" is used 2 times (lines 7, 12)' in message


def test_empty_guide_and_empty_section(tmp_path: Path) -> None:
    assert "no sections" in problems(tmp_path, 'title = "T"\nsections = []\n')
    empty_section = 'title = "T"\n[[sections]]\nid = "s"\ntitle = "S"\nquestions = []\n'
    assert "no questions" in problems(tmp_path, empty_section)


def test_unknown_field_and_wrong_type(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace("minutes = 4", 'minutes = "four"\nminuts = 3'))
    assert "sections[0].questions[0].minutes" in message
    assert "minuts" in message and "check its spelling" in message


def test_missing_file_and_unknown_builtin(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="does not exist"):
        load_guide(tmp_path / "x.toml")
    with pytest.raises(FacilitatorError, match="Built-in guides: community-partners"):
        resolve_guide("no-such-guide")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "guide.toml"
    path.write_bytes(b'title = "\xff"\n')
    with pytest.raises(InputFileError, match="UTF-8"):
        load_guide(path)
