"""Codebooks: the built-in themes and keys, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.codebook import codebook_names, load_codebook, resolve_codebook
from facilitator.errors import InputFileError
from facilitator.keymap import effective_keys

SEED_THEMES = [
    "Research evidence",
    "Funding",
    "Relationships with partners",
    "Health inequalities and deprivation",
    "Community involvement",
    "Health service and integrated care systems",
    "Link workers and social prescribing",
    "Training and support",
    "Place-based factors",
    "Longevity of programmes",
    "Setting up and scaling up programmes",
    "Mental health",
]

GOOD = """
title = "C"
[[themes]]
id = "a"
name = "Alpha"
key = "1"
colour = "#112233"
  [[themes.subthemes]]
  id = "a.x"
  name = "Alpha X"
[[themes]]
id = "b"
name = "Beta"
key = "2"
colour = "green"
valence = "challenge"
"""


def problems(tmp_path: Path, text: str) -> str:
    path = tmp_path / "codebook.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_codebook(path)
    assert str(path) in str(info.value)
    return str(info.value)


def test_default_codebook_has_the_twelve_seed_themes_with_digit_keys() -> None:
    _, codebook = resolve_codebook("partnership-health-inequalities")
    assert [t.name for t in codebook.themes] == SEED_THEMES
    assert [t.key for t in codebook.themes[:10]] == list("1234567890")


def test_every_builtin_codebook_loads_and_uses_digits_first() -> None:
    assert "community-partners-reflection" in codebook_names()
    for name in codebook_names():
        _, codebook = resolve_codebook(name)
        digits = [t.key for t in codebook.themes[:10]]
        assert digits == list("1234567890")[: len(digits)]


def test_good_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text(GOOD, encoding="utf-8")
    codebook = load_codebook(path)
    assert codebook.by_key()["2"].valence == "challenge"
    assert codebook.theme("a").subthemes[0].name == "Alpha X"


def test_duplicate_hotkeys(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('key = "2"', 'key = "1"'))
    assert 'hotkey "1" is given to 2 themes (Alpha, Beta)' in message


def test_duplicate_ids_including_subthemes(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('id = "a.x"', 'id = "b"'))
    assert 'id "b" is used 2 times' in message


def test_hotkey_that_clashes_with_an_app_key_names_the_action_and_line(tmp_path: Path) -> None:
    message = problems(tmp_path, GOOD.replace('key = "2"', 'key = "n"'))
    assert 'hotkey "n" (line 14) is one of the app\'s own keys ("Note")' in message
    message = problems(tmp_path, GOOD.replace('key = "2"', 'key = "+"'))
    assert '"Last tag: success"' in message


def test_bad_colour_valence_and_key(tmp_path: Path) -> None:
    text = GOOD.replace('"green"', '"greenish"').replace('"challenge"', '"bad"')
    message = problems(tmp_path, text.replace('key = "1"', 'key = "ab"'))
    assert '"greenish" is not a colour' in message
    assert "themes[1].valence" in message
    assert 'hotkey "ab" is not a single key' in message


def test_empty_codebook(tmp_path: Path) -> None:
    assert "no themes" in problems(tmp_path, 'title = "C"\nthemes = []\n')
    assert "themes: Field required (add it)" in problems(tmp_path, 'title = "C"\n')


def test_keymap_clash_is_reported_for_a_remapped_key() -> None:
    _, codebook = resolve_codebook("partnership-health-inequalities")
    keys = effective_keys({"facilitator.note": "q"})
    assert codebook.clashes_with(keys) == [
        'theme "Setting up and scaling up programmes" uses "q", which is also "Note"'
    ]
    assert codebook.clashes_with(effective_keys()) == []
