"""Exports: a session built in the test (real audio, real events, a transcript) → bundle →
verify; REFI-QDA against the published XSD; ELAN, captions; pseudonymisation and redaction."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import soundfile
import srt
import webvtt
import xmlschema
from typer.testing import CliRunner

from facilitator import cli
from facilitator.audio.segments import next_segment_path
from facilitator.audio.wavfile import WavSegmentWriter
from facilitator.export.bundle import export, verify
from facilitator.export.snapshot import take_snapshot
from facilitator.session.events import EventKind, EventRequest
from facilitator.session.setup import create_session
from facilitator.session.store import Participant, SessionStore
from facilitator.session.transcript import Segment, Word
from tests.audio_fixtures import noise

SCHEMA = Path(__file__).with_name("schemas") / "refi-qda" / "Project.xsd"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "schemas" / "refi-qda" / "Project.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def session(sessions_root: Path) -> Path:
    """A 30 s session: audio, 3 questions, tags by two people, notes, a transcript."""
    folder = create_session(
        sessions_root,
        title="Group with Winifred",
        guide="partnership-health-inequalities",
        codebook="partnership-health-inequalities",
        participants=[Participant("P1", "Winifred", True, True), Participant("P2", "Bram", True)],
    )
    writer = WavSegmentWriter(next_segment_path(folder))
    writer.write(noise(30.0))
    writer.close()
    with SessionStore.open(folder) as store:

        def add(kind: EventKind, t: float, author: str = "fac", **data: object) -> None:
            store.append(EventRequest(kind, t, 1.7e9 + t, author, dict(data)))

        add(EventKind.SESSION_START, 0.0)
        add(EventKind.QUESTION, 0.0, question_id="q1", index=0)
        add(EventKind.SPEAKER, 1.0, participant="P1")
        add(EventKind.TAG, 4.0, code="funding")  # during utterance 1
        add(EventKind.EDIT, 4.5, valence="challenge")
        add(EventKind.QUESTION, 10.0, question_id="q2", index=1)
        add(EventKind.SPEAKER, 11.0, participant="P2")
        add(EventKind.TAG, 16.0, author="Kim", code="place")  # just after utterance 2
        add(EventKind.TAG, 17.0, code="training")
        add(EventKind.UNDO, 17.5)  # withdrawn: not exported
        add(EventKind.NOTE, 13.0, text="Bram mentions the Leeds clinic")
        add(EventKind.MARKER, 25.0)
        add(EventKind.TAG, 29.0, code="mental-health")  # no speech near: audio only
        for start, end, text in [(2.0, 6.0, "Winifred thinks funding is short"),
                                 (12.0, 15.0, "the park near Leeds helps")]:  # fmt: skip
            words = tuple(
                Word(w, start + i * 0.5, start + i * 0.5 + 0.4, 0.9)
                for i, w in enumerate(text.split())
            )
            store.add_segment(Segment(start, end, text, words, model="test"))
    return folder


def test_bundle_round_trip_and_tamper_detection(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    problems = export(take_snapshot(session), out, "bundle", force=False, wav=False)
    assert problems == []
    names = {p.name for p in out.iterdir()}
    assert {"audio.flac", "transcript.json", "transcript.md", "tags.csv", "notes.csv",
            "guide.toml", "codebook.toml", "session.json", "manifest.json", "session.qdpx",
            "session.eaf", "captions.vtt"} <= names  # fmt: skip
    assert verify(out) == []
    audio = soundfile.info(str(out / "audio.flac"))
    assert audio.format == "FLAC" and abs(audio.duration - 30.0) < 0.01
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"]["tags.csv"]["size"] == (out / "tags.csv").stat().st_size
    tags = (out / "tags.csv").read_text()
    assert "00:00:04.000,4.0,funding,Funding,,challenge,fac" in tags
    assert "Winifred thinks funding is short" in tags and "training" not in tags
    data = bytearray((out / "tags.csv").read_bytes())
    data[10] ^= 1
    (out / "tags.csv").write_bytes(bytes(data))
    (out / "stray.txt").write_text("x")
    found = verify(out)
    assert any("tags.csv" in p and "altered" in p for p in found)
    assert any("stray.txt" in p for p in found)
    result = CliRunner().invoke(cli.app, ["verify", str(out)])
    assert result.exit_code != 0 and "tags.csv" in str(result.exception)


def test_zip_bundle_is_atomic_and_never_overwritten(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports" / "b.zip"
    export(take_snapshot(session), out, "bundle", force=False, wav=True)
    with zipfile.ZipFile(out) as z:
        assert all("/" not in n and not n.startswith(".") for n in z.namelist())
        assert "audio.wav" in z.namelist()
    assert verify(out) == []
    assert [p.name for p in out.parent.iterdir()] == ["b.zip"], "no temporary leftovers"
    with pytest.raises(Exception, match=r"already exists.*--force"):
        export(take_snapshot(session), out, "bundle", force=False, wav=False)


def test_qdpx_validates_and_codes_the_right_text(session: Path, tmp_path: Path) -> None:
    out = tmp_path / "s.qdpx"
    export(take_snapshot(session), out, "qdpx", force=False, wav=False)
    with zipfile.ZipFile(out) as z:
        xml = z.read("project.qde")
        text = z.read("sources/transcript.txt").decode()
        assert "sources/audio.flac" in z.namelist()
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    root = ET.fromstring(xml)
    codes = {c.get("guid"): c.get("name") for c in root.iterfind(".//q:Code", NS)}
    assert "Funding" in codes.values() and "Short-term funding" in codes.values()
    assert len([c for c in root.find("q:CodeBook/q:Codes", NS)]) == 12
    selections = root.findall(".//q:TextSource/q:PlainTextSelection", NS)
    coded = [s for s in selections if s.find("q:Coding", NS) is not None]
    assert len(coded) == 2, "tags with speech near them: funding (during), place (just after)"
    spans = {}
    for s in coded:
        code = codes[s.find("q:Coding/q:CodeRef", NS).get("targetGUID")]
        spans[code] = text[int(s.get("startPosition")) : int(s.get("endPosition"))]
    assert spans == {"Funding": "Winifred thinks funding is short",
                     "Place-based factors": "the park near Leeds helps"}  # fmt: skip
    audio_codings = root.findall(".//q:AudioSource/q:AudioSelection/q:Coding", NS)
    assert len(audio_codings) == 3, "every live tag is on the audio timeline"
    assert {u.get("name") for u in root.iterfind(".//q:User", NS)} == {"fac", "Kim"}
    notes = root.findall(".//q:Notes/q:Note", NS)
    assert len(notes) == 2 and any("Leeds clinic" in (n.findtext("q:PlainTextContent", "", NS))
                                   for n in notes)  # fmt: skip


def test_eaf_and_captions_parse(session: Path, tmp_path: Path) -> None:
    snap = take_snapshot(session)
    export(snap, tmp_path / "s.eaf", "eaf", force=False, wav=False)
    root = ET.parse(tmp_path / "s.eaf").getroot()
    tiers = {t.get("TIER_ID") for t in root.iter("TIER")}
    assert {"transcript Winifred", "transcript Bram", "questions", "tags", "notes"} <= tiers
    slots = {s.get("TIME_SLOT_ID"): int(s.get("TIME_VALUE")) for s in root.iter("TIME_SLOT")}
    assert 4000 in slots.values() and 2000 in slots.values()
    export(snap, tmp_path / "s.srt", "srt", force=False, wav=False)
    subs = list(srt.parse((tmp_path / "s.srt").read_text()))
    assert [s.content for s in subs] == ["Winifred: Winifred thinks funding is short",
                                         "Bram: the park near Leeds helps"]  # fmt: skip
    assert subs[0].start.total_seconds() == 2.0
    export(snap, tmp_path / "s.vtt", "vtt", force=False, wav=False)
    cues = webvtt.read(str(tmp_path / "s.vtt"))
    assert cues[1].start == "00:00:12.000" and cues[1].text.startswith("Bram:")


def test_pseudonymised_and_redacted_exports_hold_no_names(session: Path, tmp_path: Path) -> None:
    redact = tmp_path / "names.txt"
    redact.write_text("Leeds\n")
    out = tmp_path / "anon"
    result = CliRunner().invoke(
        cli.app,
        ["export", str(session), "--out", str(out), "--pseudonymise", "--redact", str(redact)],
    )
    assert result.exit_code == 0, result.output
    for path in out.iterdir():
        if path.suffix in (".flac",):
            continue
        content = path.read_bytes()
        if path.suffix == ".qdpx":
            with zipfile.ZipFile(path) as z:
                content = b"".join(z.read(n) for n in z.namelist() if not n.endswith(".flac"))
        for name in (b"Winifred", b"Bram", b"Leeds"):
            assert name not in content, (path.name, name)
    assert "[redacted]" in (out / "transcript.md").read_text()
    assert verify(out) == []
    assert "P1" in (out / "captions.vtt").read_text()


def test_missing_audio_exports_the_rest_and_says_so(sessions_root: Path, tmp_path: Path) -> None:
    default = "partnership-health-inequalities"
    folder = create_session(
        sessions_root, title="No audio", guide=default, codebook=default, participants=[]
    )
    problems = export(take_snapshot(folder), tmp_path / "b", "bundle", force=False, wav=False)
    assert problems == ["no readable audio: the bundle has everything else"]
    assert verify(tmp_path / "b") == []
    assert json.loads((tmp_path / "b" / "session.json").read_text())["audio"] is None


def test_docx_maxqda_and_nvivo(session: Path, tmp_path: Path) -> None:
    from docx import Document

    snap = take_snapshot(session)
    export(snap, tmp_path / "t.docx", "docx", force=False, wav=False)
    paragraphs = [p.text for p in Document(str(tmp_path / "t.docx")).paragraphs]
    assert "[00:00:02.000] Winifred: Winifred thinks funding is short" in paragraphs
    assert any(p.startswith("q2: ") for p in paragraphs), "headed by question"
    export(snap, tmp_path / "m.txt", "maxqda", force=False, wav=False)
    turns = (tmp_path / "m.txt").read_text().strip().split("\n\n")
    assert turns == [
        "Winifred: Winifred thinks funding is short",
        "Bram: the park near Leeds helps",
    ]
    export(snap, tmp_path / "n.txt", "nvivo", force=False, wav=False)
    rows = [r.split("\t") for r in (tmp_path / "n.txt").read_text().splitlines()]
    assert rows[0] == ["Timespan", "Speaker", "Content"]
    assert rows[2] == ["00:00:12.000 - 00:00:15.000", "Bram", "the park near Leeds helps"]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ is not beside this checkout")
def test_the_schema_copy_is_the_published_one() -> None:
    assert SCHEMA.read_bytes() == SHARED.read_bytes()


def test_a_damaged_audio_segment_is_left_out_and_reported(session: Path, tmp_path: Path) -> None:
    next_segment_path(session).mkdir()  # a segment that cannot be opened at all
    problems = export(take_snapshot(session), tmp_path / "b", "bundle", force=False, wav=False)
    assert problems == ["a damaged audio segment was left out"]
    assert abs(soundfile.info(str(tmp_path / "b" / "audio.flac")).duration - 30.0) < 0.01
