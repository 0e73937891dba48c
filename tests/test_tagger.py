"""Note-takers tagging alongside the facilitator: the tagger screen, and real processes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitator import cli
from facilitator.session.events import Anchor, EventKind, EventRequest
from facilitator.session.store import SessionStore
from facilitator.tui.app import AppConfig, FacilitatorApp
from facilitator.tui.screens.live import LiveScreen
from facilitator.tui.screens.tagger import NameScreen, PickSessionScreen, TaggerScreen
from facilitator.tui.tagger_app import TaggerApp
from facilitator.tui.widgets.question_panel import QuestionPanel
from facilitator.tui.widgets.recent_tags import RecentTags
from tests.conftest import FakeMonotonic

pytestmark = pytest.mark.timeout(180)


def facilitator_event(folder: Path, kind: EventKind, t: float, **data: object) -> None:
    with SessionStore.open(folder) as store:
        store.append(EventRequest(kind, t, time.time(), "facilitator", dict(data)))


def anchor(folder: Path, media: float, mono: float, running: bool = True) -> None:
    with SessionStore.open(folder) as store:
        store.add_anchor(Anchor(media, mono, time.time(), running))


async def wait_until(pilot: object, condition: Callable[[], bool], seconds: float = 5) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "timed out"
        await pilot.pause(0.05)  # type: ignore[attr-defined]
    return time.monotonic() - started


async def test_tagger_follows_the_facilitator_and_stamps_from_anchors(
    make_session: Callable[..., Path], fake_monotonic: FakeMonotonic
) -> None:
    folder = make_session()
    facilitator_event(folder, EventKind.SESSION_START, 0.0)
    facilitator_event(folder, EventKind.QUESTION, 0.0, question_id="q1", index=0)
    anchor(folder, 100.0, fake_monotonic())
    app = TaggerApp([(folder, "Test")], author="Kim", monotonic=fake_monotonic)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, TaggerScreen)
        fake_monotonic.advance(3.5)
        await pilot.press("2", "plus")
        fake_monotonic.advance(1.0)
        await pilot.press("m")
        screen.writer.flush()
        # the facilitator moves on and tags: the tagger shows both within a second
        facilitator_event(folder, EventKind.QUESTION, 110.0, question_id="q2", index=1)
        facilitator_event(folder, EventKind.TAG, 111.0, code="place")
        took = await wait_until(pilot, lambda: screen.session.question_index == 1)
        assert took < 1.0
        await wait_until(
            pilot, lambda: "· facilitator" in screen.query_one(RecentTags).content.plain
        )
        panel = screen.query_one(QuestionPanel)
        assert panel.border_title.startswith("Question 2 of 8")
        # the facilitator pauses: the tagger's stamps stop at the pause point
        anchor(folder, 112.0, fake_monotonic(), running=False)
        await pilot.pause(0.4)
        fake_monotonic.advance(30)
        await pilot.press("1")
        screen.writer.flush()
        await pilot.pause()
    with SessionStore.open(folder) as store:
        mine = [e for e in store.events() if e.author == "Kim"]
    assert [(e.kind, e.media_time) for e in mine] == [
        (EventKind.TAG, 103.5),
        (EventKind.EDIT, 103.5),
        (EventKind.MARKER, 104.5),
        (EventKind.TAG, 112.0),
    ]


async def test_tagger_asks_the_name_once(make_session: Callable[..., Path]) -> None:
    folder = make_session()
    app = TaggerApp([(folder, "Test")])
    async with app.run_test() as pilot:
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, NameScreen), "an empty name is not taken"
        await pilot.press(*"Ali", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TaggerScreen) and app.screen.author == "Ali"


async def test_tag_joins_the_live_session_or_lets_you_pick(
    make_session: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    launched: list[TaggerApp] = []
    monkeypatch.setattr(cli, "launch_tagger", launched.append)
    result = CliRunner().invoke(cli.app, ["tag"])
    assert "No session is running now" in str(result.exception)

    ended = make_session("Ended")
    anchor(ended, 5.0, time.monotonic())
    facilitator_event(ended, EventKind.SESSION_END, 5.0)
    stale = make_session("Yesterday")
    with SessionStore.open(stale) as store:
        store.add_anchor(Anchor(5.0, 0.0, time.time() - 3600, True))
    one = make_session("Group one")
    anchor(one, 1.0, time.monotonic())
    assert CliRunner().invoke(cli.app, ["tag", "--name", "Kim"]).exit_code == 0
    assert [f for f, _ in launched[-1].sessions] == [one]
    assert launched[-1].folder == one and launched[-1].author == "Kim"

    two = make_session("Group two")
    anchor(two, 1.0, time.monotonic())
    CliRunner().invoke(cli.app, ["tag"])
    tagger = launched[-1]
    assert {f for f, _ in tagger.sessions} == {one, two}
    async with tagger.run_test() as pilot:
        assert isinstance(tagger.screen, PickSessionScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(tagger.screen, NameScreen)
    assert tagger.folder in (one, two)


TAGGER_SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys, time
    from pathlib import Path
    from facilitator.tui.tagger_app import TaggerApp

    async def main(folder, count):
        app = TaggerApp([(Path(folder), "session")], author="Kim")
        async with app.run_test() as pilot:
            await pilot.pause(0.5)
            presses = []
            for _ in range(count):
                presses.append(time.monotonic())
                await pilot.press("3")
                await asyncio.sleep(0.15)
            app.screen.writer.flush()
            await pilot.pause()
        print(json.dumps(presses))

    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
    """
)


async def test_two_processes_tag_the_same_moments(
    make_session: Callable[..., Path], sessions_root: Path
) -> None:
    folder = make_session()
    app = FacilitatorApp(AppConfig(sessions_root, session=folder, author="Fay"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        await pilot.pause(0.3)
        tagger = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            TAGGER_SCRIPT,
            str(folder),
            "8",
            stdout=asyncio.subprocess.PIPE,
            env=os.environ.copy(),
        )
        fac_presses = []
        for _ in range(6):
            fac_presses.append(time.monotonic())
            await pilot.press("1")
            await pilot.pause(0.2)
        while tagger.returncode is None:
            await pilot.pause(0.1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(tagger.wait(), 0.01)
        assert tagger.stdout is not None
        kim_presses = json.loads(await tagger.stdout.read())
        clock_anchor = screen.clock.anchor()
        await wait_until(
            pilot, lambda: screen.query_one(RecentTags).content.plain.count("· Kim") >= 1, 1.0
        )
        screen.writer.flush()
        await pilot.pause(0.3)
    with SessionStore.open(folder) as store:
        tags = store.events([EventKind.TAG])
    by_author = {a: [t for t in tags if t.author == a] for a in ("Fay", "Kim")}
    assert len(by_author["Fay"]) == 6 and len(by_author["Kim"]) == 8
    for author, presses in (("Fay", fac_presses), ("Kim", kim_presses)):
        for tag, pressed in zip(by_author[author], presses, strict=True):
            # the facilitator's media time at the press instant (no pause in this test)
            expected = clock_anchor.media_time - (clock_anchor.monotonic - pressed)
            assert abs(tag.media_time - expected) <= 0.05, (author, tag.media_time, expected)


WRITER_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from facilitator.session.follow import AnchoredClock
    from facilitator.session.live import LiveSession
    from facilitator.session.store import SessionStore
    from facilitator.session.writer import EventWriter

    folder, author = Path(sys.argv[1]), sys.argv[2]
    errors = []
    writer = EventWriter(folder, lambda r, e: None, errors.append)
    writer.start()
    with SessionStore.open(folder) as store:
        live = LiveSession(store.guide(), store.codebook(), AnchoredClock(store.latest_anchor()),
                           writer.submit, author=author)
        codes = [t.id for t in store.codebook().themes]
        for i in range(500):
            live.tag(codes[i % len(codes)])
    assert writer.flush(120)
    writer.stop()
    print("ok" if not [e for e in errors if e] else errors)
    """
)


def test_four_writers_500_tags_each_lose_nothing(make_session: Callable[..., Path]) -> None:
    import subprocess

    folder = make_session()
    anchor(folder, 0.0, time.monotonic())
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_SCRIPT, str(folder), f"writer{n}"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [p.communicate(timeout=150)[0].strip() for p in procs]
    assert outputs == ["ok"] * 4
    with SessionStore.open(folder) as store:
        tags = store.events([EventKind.TAG])
    assert len(tags) == 2000
    assert sorted({t.author for t in tags}) == [f"writer{n}" for n in range(4)]
    assert all(sum(t.author == f"writer{n}" for t in tags) == 500 for n in range(4))
    assert len({t.id for t in tags}) == 2000
