"""The command line: listing, showing and checking, and clear errors with no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitator.cli import app
from facilitator.session.events import EventKind, EventRequest
from facilitator.session.store import SessionStore

runner = CliRunner()


def facilitator(*args: str, data: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a real process, as a user would."""
    env = dict(os.environ)
    if data is not None:
        env["FACILITATOR_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "facilitator", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_guides_and_codebooks_list_and_show() -> None:
    result = runner.invoke(app, ["guides", "list"])
    assert "partnership-health-inequalities" in result.output
    assert "community-partners-reflection" in result.output
    result = runner.invoke(app, ["guides", "show", "partnership-health-inequalities"])
    assert result.exit_code == 0 and "8. [q8]" in result.output
    result = runner.invoke(app, ["codebooks", "show", "community-partners-reflection"])
    assert result.exit_code == 0 and "connector" in result.output


def test_check_accepts_a_good_file(tmp_path: Path) -> None:
    from facilitator.templates import TEMPLATES

    good = TEMPLATES / "codebooks" / "partnership-health-inequalities.toml"
    result = runner.invoke(app, ["codebooks", "check", str(good)])
    assert result.exit_code == 0 and "12 themes" in result.output


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("guides", 'title = "x"\nsections = [\n', "TOML syntax error"),
        ("guides", 'title = "x"\n', "sections: Field required"),
        ("guides", 'title = "x"\nsections = []\n', "no sections"),
        (
            "codebooks",
            'title = "c"\n[[themes]]\nid="a"\nname="A"\nkey="p"\ncolour="red"\n',
            '"Pause/resume"',
        ),
    ],
)
def test_check_of_a_bad_file_exits_2_with_a_message_and_no_traceback(
    tmp_path: Path, kind: str, text: str, expected: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = facilitator(kind, "check", str(path))
    assert result.returncode == 2
    assert expected in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_sessions_and_show_json(make_session: Callable[..., Path], private_dirs: Path) -> None:
    folder = make_session("Group A", participants=5)
    with SessionStore.open(folder) as store:
        for kind, t, data in [
            (EventKind.SESSION_START, 0.0, {}),
            (EventKind.QUESTION, 0.0, {"question_id": "q1", "index": 0}),
            (EventKind.TAG, 12.0, {"code": "funding"}),
            (EventKind.QUESTION, 65.5, {"question_id": "q2", "index": 1}),
            (EventKind.TAG, 70.0, {"code": "place"}),
            (EventKind.UNDO, 71.0, {}),
        ]:
            store.append(EventRequest(kind, t, 1e9, "fac", data))
    listing = facilitator("sessions", data=private_dirs)
    assert listing.returncode == 0 and folder.name in listing.stdout and "open" in listing.stdout
    shown = facilitator("show", folder.name[:15], "--json", data=private_dirs)
    summary = json.loads(shown.stdout)
    assert summary["title"] == "Group A"
    assert summary["guide"]["name"] == "partnership-health-inequalities"
    assert summary["events"] == {"session_start": 1, "question": 2, "tag": 2, "undo": 1}
    assert summary["duration_seconds"] == 71.0
    assert [(q["id"], q["started_at"]) for q in summary["questions"]] == [
        ("q1", 0.0),
        ("q2", 65.5),
    ]
    assert [t["code"] for t in summary["tags"]] == ["funding"]
    assert len(summary["participants"]) == 5


def test_data_dir_option_and_unknown_session(tmp_path: Path) -> None:
    result = facilitator("--data-dir", str(tmp_path / "elsewhere"), "show", "nope")
    assert result.returncode == 2
    assert 'No session "nope"' in result.stderr and "Traceback" not in result.stderr
    result = facilitator("--data-dir", str(tmp_path / "elsewhere"), "sessions")
    assert "No sessions yet" in result.stdout


def test_display_names_never_appear_in_show(sessions_root: Path) -> None:
    from facilitator.session.setup import create_session
    from facilitator.session.store import Participant

    folder = create_session(
        sessions_root,
        title="Names",
        guide="partnership-health-inequalities",
        codebook="partnership-health-inequalities",
        participants=[Participant("P1", "Winifred Example", True, False)],
    )
    result = runner.invoke(app, ["show", str(folder), "--json"])
    assert result.exit_code == 0 and "Winifred" not in result.output


def test_too_many_names_is_a_clear_error() -> None:
    result = runner.invoke(app, ["run", "--title", "x", "--participants", "1", "--names", "A,B"])
    assert result.exit_code != 0 and "--names lists 2 names" in str(result.exception)
