"""Text formats written from a Snapshot: JSON, Markdown, CSV, captions, MAXQDA, NVivo, ELAN."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

from facilitator import __version__
from facilitator.export.snapshot import Snapshot


def hms(seconds: float, sep: str = ".") -> str:
    """Seconds as hh:mm:ss.mmm (sep ',' for SRT)."""
    ms = round(max(0.0, seconds) * 1000)
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def transcript_json(snap: Snapshot) -> str:
    """Segments with words (times, confidence), speakers and question ids."""
    return json.dumps(
        {
            "session": snap.session_id,
            "segments": [
                {
                    "start": round(s.media_start, 3),
                    "end": round(s.media_end, 3),
                    "speaker": snap.speaker_label(s.speaker),
                    "question": s.question_id,
                    "text": snap.clean(s.text),
                    "words": [
                        {
                            "word": snap.clean(w.word),
                            "start": round(w.start, 3),
                            "end": round(w.end, 3),
                            "conf": round(w.conf, 3),
                        }
                        for w in s.words
                    ],
                }
                for s in snap.segments
            ],
        },
        ensure_ascii=False,
        indent=1,
    )


def transcript_md(snap: Snapshot) -> str:
    """The transcript by question, with timestamps, speaker labels and tags inline."""
    texts = {q.id: q.text for q in snap.guide.questions}
    lines = [f"# {snap.clean(snap.title)}", ""]
    items: list[tuple[float, int, str]] = []
    for qid, start in snap.questions:
        items.append((start, 0, f"\n## {qid}: {texts.get(qid, '')}\n"))
    for s in snap.segments:
        who = snap.speaker_label(s.speaker)
        label = f"**{who}:** " if who else ""
        items.append((s.media_start, 1, f"[{hms(s.media_start)}] {label}{snap.clean(s.text)}"))
    for t in snap.tags:
        theme = snap.codebook.theme(t.code)
        valence = f" ({t.valence})" if t.valence else ""
        items.append(
            (t.media_time, 2, f"> [{hms(t.media_time)}] tag **{theme.name}**{valence} — {t.author}")
        )
    for n in snap.notes:
        items.append(
            (
                n.media_time,
                2,
                f"> [{hms(n.media_time)}] {n.kind}: {snap.clean(n.text)} — {n.author}",
            )
        )
    lines += [text for _, _, text in sorted(items, key=lambda i: (i[0], i[1]))]
    return "\n".join(lines) + "\n"


def _csv(rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def tags_csv(snap: Snapshot) -> str:
    """One row per live tag, with the transcript text it points at."""
    rows: list[list[Any]] = [
        [
            "media_time",
            "seconds",
            "code",
            "code_name",
            "subcode",
            "valence",
            "author",
            "note",
            "question",
            "transcript",
        ]
    ]
    for t in snap.tags:
        segment = snap.segment_at(t.media_time)
        rows.append(
            [
                hms(t.media_time),
                round(t.media_time, 3),
                t.code,
                snap.codebook.theme(t.code).name,
                t.subcode or "",
                t.valence or "",
                t.author,
                snap.clean(t.note or ""),
                snap.question_at(t.media_time) or "",
                snap.clean(segment.text) if segment else "",
            ]
        )
    return _csv(rows)


def notes_csv(snap: Snapshot) -> str:
    """Notes and markers."""
    rows: list[list[Any]] = [["media_time", "seconds", "kind", "author", "text", "question"]]
    for n in snap.notes:
        rows.append(
            [
                hms(n.media_time),
                round(n.media_time, 3),
                n.kind,
                n.author,
                snap.clean(n.text),
                snap.question_at(n.media_time) or "",
            ]
        )
    return _csv(rows)


def session_json(snap: Snapshot, audio_name: str | None, problems: list[str]) -> str:
    """Metadata, consent records, input device, model, software version."""
    meta = snap.meta
    return json.dumps(
        {
            "id": snap.session_id,
            "title": snap.clean(snap.title),
            "created": datetime.fromtimestamp(float(meta.get("created_wall", 0)), UTC).isoformat(),
            "exported": datetime.now(UTC).isoformat(timespec="seconds"),
            "software": f"Facilitator {__version__}",
            "recorded_with": meta.get("app_version"),
            "input": meta.get("input"),
            "models": sorted({s.model for s in snap.segments if s.model}),
            "duration_seconds": round(snap.duration, 3),
            "audio": audio_name,
            "pseudonymised": snap.pseudonymised,
            "participants": [
                {
                    "id": p.id,
                    **({} if snap.pseudonymised else {"display_name": p.display_name}),
                    "consent_recorded": p.consent_recorded,
                    "consent_quoted": p.consent_quoted,
                }
                for p in snap.participants
            ],
            "tag_rule": "a tag points at the utterance in progress at the key press, else the one "
            "that finished in the 10 s before it",
            "problems": problems,
        },
        ensure_ascii=False,
        indent=1,
    )


def captions(snap: Snapshot, vtt: bool) -> str:
    """SRT or WebVTT captions, one cue per segment."""
    out = ["WEBVTT", ""] if vtt else []
    for i, s in enumerate(snap.segments, start=1):
        who = snap.speaker_label(s.speaker)
        text = f"{who}: {snap.clean(s.text)}" if who else snap.clean(s.text)
        sep = "." if vtt else ","
        out += ([] if vtt else [str(i)]) + [
            f"{hms(s.media_start, sep)} --> {hms(max(s.media_end, s.media_start + 0.5), sep)}",
            text,
            "",
        ]
    return "\n".join(out)


def maxqda_transcript(snap: Snapshot) -> str:
    """MAXQDA focus-group transcript: each turn a paragraph starting 'Name:'."""
    paragraphs = []
    for s in snap.segments:
        who = snap.speaker_label(s.speaker) or "Unknown"
        paragraphs.append(f"{who}: {snap.clean(s.text)}")
    return "\n\n".join(paragraphs) + "\n"


def nvivo_timespans(snap: Snapshot) -> str:
    """NVivo audio transcript table: Timespan, Speaker, Content (tab separated)."""
    rows = ["Timespan\tSpeaker\tContent"]
    for s in snap.segments:
        span = f"{hms(s.media_start)} - {hms(s.media_end)}"
        rows.append(f"{span}\t{snap.speaker_label(s.speaker)}\t{snap.clean(s.text)}")
    return "\n".join(rows) + "\n"


def elan_eaf(snap: Snapshot, media_name: str | None) -> str:
    """ELAN annotation document: transcript (per speaker), questions, tags, notes; ms times."""
    root = ET.Element(
        "ANNOTATION_DOCUMENT",
        {
            "AUTHOR": "Facilitator",
            "DATE": datetime.now(UTC).isoformat(timespec="seconds"),
            "FORMAT": "3.0",
            "VERSION": "3.0",
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:noNamespaceSchemaLocation": "http://www.mpi.nl/tools/elan/EAFv3.0.xsd",
        },
    )
    header = ET.SubElement(root, "HEADER", {"MEDIA_FILE": "", "TIME_UNITS": "milliseconds"})
    if media_name:
        mime = "audio/x-wav" if media_name.endswith(".wav") else "audio/flac"
        ET.SubElement(
            header,
            "MEDIA_DESCRIPTOR",
            {"MEDIA_URL": media_name, "RELATIVE_MEDIA_URL": f"./{media_name}", "MIME_TYPE": mime},
        )
    order = ET.SubElement(root, "TIME_ORDER")
    slots: dict[int, str] = {}

    def slot(seconds: float) -> str:
        ms = round(seconds * 1000)
        if ms not in slots:
            slots[ms] = f"ts{len(slots) + 1}"
        return slots[ms]

    tiers: dict[str, list[tuple[float, float, str]]] = {}
    for s in snap.segments:
        name = f"transcript {snap.speaker_label(s.speaker)}".strip()
        tiers.setdefault(name, []).append((s.media_start, s.media_end, snap.clean(s.text)))
    texts = {q.id: q.text for q in snap.guide.questions}
    ends = [t for _, t in snap.questions[1:]] + [
        max(snap.duration, snap.questions[-1][1] + 1) if snap.questions else 0
    ]
    tiers["questions"] = [
        (t, e, f"{q}: {texts.get(q, '')}") for (q, t), e in zip(snap.questions, ends, strict=False)
    ]
    tiers["tags"] = [
        (
            t.media_time,
            t.media_time + 1,
            snap.codebook.theme(t.code).name + (f" ({t.valence})" if t.valence else ""),
        )
        for t in snap.tags
    ]
    tiers["notes"] = [(n.media_time, n.media_time + 1, snap.clean(n.text)) for n in snap.notes]
    annotation = 0
    tier_elements = []
    for name, spans in tiers.items():
        tier = ET.Element("TIER", {"TIER_ID": name, "LINGUISTIC_TYPE_REF": "default-lt"})
        for start, end, value in spans:
            annotation += 1
            a = ET.SubElement(
                ET.SubElement(tier, "ANNOTATION"),
                "ALIGNABLE_ANNOTATION",
                {
                    "ANNOTATION_ID": f"a{annotation}",
                    "TIME_SLOT_REF1": slot(start),
                    "TIME_SLOT_REF2": slot(max(end, start + 0.001)),
                },
            )
            ET.SubElement(a, "ANNOTATION_VALUE").text = value
        tier_elements.append(tier)
    for ms, slot_id in sorted(slots.items()):
        ET.SubElement(order, "TIME_SLOT", {"TIME_SLOT_ID": slot_id, "TIME_VALUE": str(ms)})
    root.extend(tier_elements)
    ET.SubElement(
        root,
        "LINGUISTIC_TYPE",
        {
            "LINGUISTIC_TYPE_ID": "default-lt",
            "TIME_ALIGNABLE": "true",
            "GRAPHIC_REFERENCES": "false",
        },
    )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def transcript_docx(snap: Snapshot, target: Any) -> None:
    """A Word transcript: by question, each turn with its time and speaker label."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.add_heading(snap.clean(snap.title), level=1)
    document.add_paragraph(f"Session {snap.session_id} · {hms(snap.duration)} recorded")
    texts = {q.id: q.text for q in snap.guide.questions}
    current = None
    for s in snap.segments:
        question = snap.question_at(s.media_start)
        if question != current and question is not None:
            current = question
            document.add_heading(f"{question}: {texts.get(question, '')}", level=2)
        paragraph = document.add_paragraph()
        stamp = paragraph.add_run(f"[{hms(s.media_start)}] ")
        stamp.font.size = Pt(8)
        who = snap.speaker_label(s.speaker)
        if who:
            paragraph.add_run(f"{who}: ").bold = True
        paragraph.add_run(snap.clean(s.text))
    document.save(target)
