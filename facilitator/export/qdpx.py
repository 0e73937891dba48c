"""REFI-QDA project (.qdpx): a zip holding project.qde (QDA-XML 1.0) and the source files.

Codebook → codes (subthemes nested, colours); transcript → a text source with a selection per
tag (coded with its theme; the span is the utterance the tag points at) and per note (with the
note attached); audio → an audio source with a selection per tag (one second from the press)
carrying the same coding, and its transcript with sync points; tag authors → users.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from rich.color import Color

from facilitator import __version__
from facilitator.export.formats import hms
from facilitator.export.snapshot import Snapshot

NS = "urn:QDA-XML:project:1.0"


def _hex(colour: str) -> str:
    r, g, b = Color.parse(colour).get_truecolor()
    return f"#{r:02X}{g:02X}{b:02X}"


def transcript_text(snap: Snapshot) -> tuple[str, dict[int, tuple[int, int]]]:
    """The transcript as plain text, one utterance a line, and each segment's character span."""
    parts, spans, position = [], {}, 0
    for s in snap.segments:
        who = snap.speaker_label(s.speaker)
        prefix = f"[{hms(s.media_start)}] " + (f"{who}: " if who else "")
        text = snap.clean(s.text)
        spans[s.id] = (position + len(prefix), position + len(prefix) + len(text))
        line = prefix + text + "\n"
        parts.append(line)
        position += len(line)
    return "".join(parts), spans


def project_xml(snap: Snapshot, audio_name: str | None) -> tuple[str, str]:
    """(project.qde XML, transcript text)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ET.register_namespace("", NS)

    def el(parent: ET.Element | None, tag: str, **attrs: str | None) -> ET.Element:
        present = {k: v for k, v in attrs.items() if v is not None}
        element = ET.Element(f"{{{NS}}}{tag}", present)
        if parent is not None:
            parent.append(element)
        return element

    project = el(
        None,
        "Project",
        name=snap.clean(snap.title),
        origin=f"Facilitator {__version__}",
        creationDateTime=now,
    )
    users = el(project, "Users")
    user_guid = {author: snap.guid("user", author) for author in snap.authors or ["facilitator"]}
    for author, guid in user_guid.items():
        el(users, "User", guid=guid, name=author)
    codes = el(el(project, "CodeBook"), "Codes")
    code_guid: dict[str, str] = {}
    for theme in snap.codebook.themes:
        code_guid[theme.id] = snap.guid("code", theme.id)
        code = el(
            codes,
            "Code",
            guid=code_guid[theme.id],
            name=theme.name,
            isCodable="true",
            color=_hex(theme.colour),
        )
        if theme.description:
            el(code, "Description").text = theme.description
        for sub in theme.subthemes:
            code_guid[sub.id] = snap.guid("code", sub.id)
            el(
                code,
                "Code",
                guid=code_guid[sub.id],
                name=sub.name,
                isCodable="true",
                color=_hex(theme.colour),
            )
    sources = el(project, "Sources")
    text, spans = transcript_text(snap)
    text_source = el(
        sources,
        "TextSource",
        guid=snap.guid("transcript"),
        name="Transcript",
        plainTextPath="internal://transcript.txt",
        creationDateTime=now,
    )
    note_guid = {i: snap.guid("note", i) for i in range(len(snap.notes))}
    for i, tag in enumerate(snap.tags):
        segment = snap.segment_at(tag.media_time)
        if segment is None:
            continue
        start, end = spans[segment.id]
        name = f"{snap.codebook.theme(tag.code).name} at {hms(tag.media_time)}"
        selection = el(
            text_source,
            "PlainTextSelection",
            guid=snap.guid("tag-text", i),
            name=name,
            startPosition=str(start),
            endPosition=str(end),
            creatingUser=user_guid.get(tag.author),
            creationDateTime=now,
        )
        _coding(
            el,
            selection,
            snap,
            tag.subcode or tag.code,
            code_guid,
            user_guid.get(tag.author),
            ("tag-text-coding", i),
        )
    for i, note in enumerate(snap.notes):
        segment = snap.segment_at(note.media_time)
        if segment is None:
            continue
        start, end = spans[segment.id]
        selection = el(
            text_source,
            "PlainTextSelection",
            guid=snap.guid("note-text", i),
            name=f"{note.kind} at {hms(note.media_time)}",
            startPosition=str(start),
            endPosition=str(end),
        )
        el(selection, "NoteRef", targetGUID=note_guid[i])
    if audio_name:
        audio = el(
            sources,
            "AudioSource",
            guid=snap.guid("audio"),
            name=audio_name,
            path=f"internal://{audio_name}",
            creationDateTime=now,
        )
        transcript = el(
            audio,
            "Transcript",
            guid=snap.guid("audio-transcript"),
            name="Transcript",
            plainTextPath="internal://transcript.txt",
        )
        for s in snap.segments:
            el(
                transcript,
                "SyncPoint",
                guid=snap.guid("sync", s.id),
                timeStamp=str(round(s.media_start * 1000)),
                position=str(spans[s.id][0]),
            )
        for i, tag in enumerate(snap.tags):
            begin = round(tag.media_time * 1000)
            selection = el(
                audio,
                "AudioSelection",
                guid=snap.guid("tag-audio", i),
                name=f"{snap.codebook.theme(tag.code).name} at {hms(tag.media_time)}",
                begin=str(begin),
                end=str(begin + 1000),
                creatingUser=user_guid.get(tag.author),
            )
            _coding(
                el,
                selection,
                snap,
                tag.subcode or tag.code,
                code_guid,
                user_guid.get(tag.author),
                ("tag-audio-coding", i),
            )
    if snap.notes:
        notes = el(project, "Notes")
        for i, note in enumerate(snap.notes):
            n = el(
                notes,
                "Note",
                guid=note_guid[i],
                name=f"{note.kind} at {hms(note.media_time)}",
                creatingUser=user_guid.get(note.author),
            )
            el(n, "PlainTextContent").text = snap.clean(note.text)
    ET.indent(project)
    xml = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(project, encoding="unicode")
    return xml, text


def _coding(el, parent, snap, code, code_guid, user, key) -> None:  # type: ignore[no-untyped-def]
    coding = el(parent, "Coding", guid=snap.guid(*key), creatingUser=user)
    el(coding, "CodeRef", targetGUID=code_guid[code])


def write_qdpx(snap: Snapshot, target: Path, audio: Path | None) -> None:
    """Write the .qdpx zip (project.qde, sources/transcript.txt, sources/AUDIO)."""
    xml, text = project_xml(snap, audio.name if audio else None)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", xml)
        z.writestr("sources/transcript.txt", text)
        if audio is not None:
            z.write(audio, f"sources/{audio.name}", compress_type=zipfile.ZIP_STORED)
