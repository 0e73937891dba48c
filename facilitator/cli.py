"""The command line: facilitator run | resume | sessions | show | guides | codebooks."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from facilitator import paths
from facilitator.audio import SAMPLE_RATE
from facilitator.audio.devices import list_input_devices
from facilitator.audio.inputs import AudioInput
from facilitator.audio.segments import recover_segments
from facilitator.codebook import Codebook, codebook_names, load_codebook, resolve_codebook
from facilitator.errors import FacilitatorError
from facilitator.guide import Guide, guide_names, load_guide, resolve_guide
from facilitator.keymap import effective_keys
from facilitator.session.catalogue import find_session, list_sessions
from facilitator.session.follow import is_live
from facilitator.session.state import SessionState
from facilitator.session.store import Participant, default_participants, open_store
from facilitator.session.summary import summarise
from facilitator.settings import Settings, load_settings

if TYPE_CHECKING:
    from facilitator.tui.app import AppConfig
    from facilitator.tui.tagger_app import TaggerApp

app = typer.Typer(
    help="Run live focus groups: question guide, live tagging, exports for analysis.",
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    add_completion=False,
)
models_app = typer.Typer(help="Speech models: list, install, remove, path.", no_args_is_help=True)
guides_app = typer.Typer(help="Question guides: list, show, check.", no_args_is_help=True)
codebooks_app = typer.Typer(help="Codebooks: list, show, check.", no_args_is_help=True)
app.add_typer(guides_app, name="guides")
app.add_typer(codebooks_app, name="codebooks")
app.add_typer(models_app, name="models")

out = Console()
err = Console(stderr=True)

DEFAULT_GUIDE = "partnership-health-inequalities"
DEFAULT_CODEBOOK = "partnership-health-inequalities"


class Context:
    """Options shared by every command."""

    data_dir: Path | None = None

    @property
    def sessions_root(self) -> Path:
        """The folder of session folders."""
        return paths.sessions_dir(self.data_dir)


ctx_state = Context()

InputOpt = Annotated[
    str | None,
    typer.Option("--input", help="Input device name or index (see 'facilitator devices')."),
]
InputFileOpt = Annotated[
    Path | None,
    typer.Option("--input-file", help="Replay a recording as if it were live (tests, demos)."),
]
SpeedOpt = Annotated[float, typer.Option(min=0.1, max=100, help="Replay speed for --input-file.")]
ModelOpt = Annotated[
    str | None,
    typer.Option(help="Speech model name or folder (default: the installed English model)."),
]
NoAudioOpt = Annotated[
    bool, typer.Option("--no-audio", help="Keep time and tags without recording.")
]

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help=f"Folder for sessions (default: the user data folder, or ${paths.DATA_DIR_ENV}).",
    ),
]


@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, data_dir: DataDir = None) -> None:
    ctx_state.data_dir = data_dir
    if ctx.invoked_subcommand is None:
        ctx.invoke(run)


# -- running sessions ----------------------------------------------------------------------


@app.command()
def run(
    title: Annotated[
        str | None, typer.Option(help="Session title; given, the session starts at once.")
    ] = None,
    guide: Annotated[
        str, typer.Option(help="Built-in guide name or a .toml file.")
    ] = DEFAULT_GUIDE,
    codebook: Annotated[
        str, typer.Option(help="Built-in codebook name or a .toml file.")
    ] = DEFAULT_CODEBOOK,
    participants: Annotated[int, typer.Option(min=1, max=99, help="Number of participants.")] = 6,
    names: Annotated[
        str | None, typer.Option(help="Display names, comma separated, in P1, P2… order.")
    ] = None,
    quotable: Annotated[
        bool, typer.Option(help="Everyone consented to be quoted (default: not recorded).")
    ] = False,
    input: InputOpt = None,
    input_file: InputFileOpt = None,
    speed: SpeedOpt = 1.0,
    no_audio: NoAudioOpt = False,
    model: ModelOpt = None,
    author: Annotated[str | None, typer.Option(help="Your name on tags and notes.")] = None,
) -> None:
    """Start a session: the start screen, or at once when --title is given."""
    from facilitator.session.setup import create_session

    settings = load_settings()
    resolve_guide(guide)  # a bad guide is reported before anything starts
    _, codebook_model = resolve_codebook(codebook)
    _check_keys(codebook_model, settings)
    people = _participants(participants, names, quotable)
    audio = _audio_from_flags(input, input_file, speed, no_audio) or AudioInput("device")
    if title and audio.enabled:
        audio.open_source()  # a missing device or file is reported before anything starts
    folder = None
    if title:
        folder = create_session(
            ctx_state.sessions_root,
            title=title,
            guide=guide,
            codebook=codebook,
            participants=people,
            input_meta=audio.to_meta(),
        )
    _launch(
        settings,
        author,
        session=folder,
        resumed=False,
        title=title or "Focus group",
        guide=guide,
        codebook=codebook,
        participants=people,
        model=model,
    )


@app.command()
def resume(
    session: Annotated[str, typer.Argument(help="Session id, start of its id, or folder.")],
    reopen: Annotated[bool, typer.Option(help="Also reopen a session that was ended.")] = False,
    input: InputOpt = None,
    input_file: InputFileOpt = None,
    speed: SpeedOpt = 1.0,
    no_audio: NoAudioOpt = False,
    model: ModelOpt = None,
    author: Annotated[str | None, typer.Option(help="Your name on tags and notes.")] = None,
) -> None:
    """Continue an interrupted session: the clock goes on from where the store stopped."""
    folder = find_session(ctx_state.sessions_root, session)
    with open_store(folder) as store:
        state = SessionState.from_events(store.events())
        codebook_model = store.codebook()
        stored = AudioInput.from_meta(store.meta().get("input"))
    if state.ended and not reopen:
        raise FacilitatorError(
            f"The session {folder.name} was ended. To add to it anyway, run "
            f"'facilitator resume {folder.name} --reopen'."
        )
    settings = load_settings()
    _check_keys(codebook_model, settings)
    audio = _audio_from_flags(input, input_file, speed, no_audio) or stored
    if audio.enabled:
        audio.open_source()
    _launch(settings, author, session=folder, resumed=True, audio=audio, model=model)


@app.command()
def tag(
    session: Annotated[
        str | None, typer.Argument(help="Session id or folder (default: the live session).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Your name on your tags and notes.")] = None,
) -> None:
    """Tag a live session from your own terminal, alongside the facilitator."""
    from facilitator.tui.tagger_app import TaggerApp

    if session is not None:
        folder = find_session(ctx_state.sessions_root, session)
        with open_store(folder) as store:
            sessions = [(folder, store.title)]
    else:
        sessions = [
            (info.folder, info.title)
            for info in list_sessions(ctx_state.sessions_root)
            if is_live(info.folder)
        ]
        if not sessions:
            raise FacilitatorError(
                "No session is running now. Ask the facilitator to start one, or give the "
                "session's id: facilitator tag SESSION (see facilitator sessions)."
            )
    settings = load_settings()
    launch_tagger(TaggerApp(sessions, author=name, keymap=dict(settings.keymap)))


def launch_tagger(tagger: TaggerApp) -> None:
    """Run the tagger (tests replace this to drive it with Pilot)."""
    tagger.run()


@app.command("serve-taggers")
def serve_taggers(
    session: Annotated[str, typer.Argument(help="Session id, start of its id, or folder.")],
    host: Annotated[
        str, typer.Option(help="Address to listen on: 0.0.0.0 is every network of this laptop.")
    ] = "0.0.0.0",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
) -> None:
    """Let note-takers tag from a tablet or phone browser on this network, with an access code."""
    from facilitator.web.tagger_server import TaggerServer, new_access_code

    folder = find_session(ctx_state.sessions_root, session)
    open_store(folder).close()
    import socket

    public_host = {"0.0.0.0": socket.gethostname(), "127.0.0.1": "localhost"}.get(host, host)
    server = TaggerServer(
        folder, new_access_code(), data_dir=ctx_state.data_dir, host=host, port=port
    )
    server.public_url = f"http://{public_host}:{port}"
    server.serve()


@app.command()
def devices() -> None:
    """List the input devices that can record (call audio is a monitor/loopback input)."""
    table = Table("index", "name", "host API", "channels", "default rate", "")
    for d in list_input_devices():
        marks = ", ".join(
            m for m, on in (("default", d.is_default), ("call audio", d.is_monitor)) if on
        )
        table.add_row(
            str(d.index), d.name, d.host_api, str(d.channels), f"{d.default_rate:g}", marks
        )
    out.print(table)
    out.print("Record from one with: facilitator run --input NAME-OR-INDEX")


@app.command()
def recover(
    session: Annotated[str, typer.Argument(help="Session id, start of its id, or folder.")],
) -> None:
    """After a crash or power cut: make the session's audio files cover everything on disk."""
    folder = find_session(ctx_state.sessions_root, session)
    fixes = recover_segments(folder)
    if not fixes:
        out.print(f"{folder.name} has no audio.")
        return
    for fix in fixes:
        extra = (
            f", recovered {fix.recovered_seconds:.1f} s"
            if fix.frames_after != fix.frames_before
            else ""
        )
        out.print(f"{fix.path.name}: {fix.frames_after / SAMPLE_RATE:.1f} s{extra}")
    total = sum(f.frames_after for f in fixes) / SAMPLE_RATE
    out.print(f"Audio of {folder.name}: {total:.1f} s in {len(fixes)} file(s), all readable.")


def _audio_from_flags(
    device: str | None, file: Path | None, speed: float, no_audio: bool
) -> AudioInput | None:
    """The input the flags ask for; None when they say nothing."""
    if sum([device is not None, file is not None, no_audio]) > 1:
        raise FacilitatorError("Choose one of --input, --input-file and --no-audio.")
    if no_audio:
        return AudioInput()
    if file is not None:
        return AudioInput("file", file=str(file.expanduser().resolve()), speed=speed)
    if device is not None:
        return AudioInput("device", device)
    return None


def _launch(settings: Settings, author: str | None, **kwargs: object) -> None:
    from facilitator.tui.app import AppConfig

    config = AppConfig(
        sessions_root=ctx_state.sessions_root,
        author=author or settings.author,
        keymap=dict(settings.keymap),
        **kwargs,  # type: ignore[arg-type]
    )
    folder = launch_app(config)
    if folder is not None:
        out.print(f"Session saved in {folder}")
        out.print(f"Continue it with: facilitator resume {folder.name}")


def launch_app(config: AppConfig) -> Path | None:
    """Run the Textual app (tests replace this to drive the app with Pilot)."""
    from facilitator.tui.app import FacilitatorApp

    return FacilitatorApp(config).run()


def _participants(count: int, names: str | None, quotable: bool) -> list[Participant]:
    people = default_participants(count)
    given = [n.strip() for n in names.split(",")] if names else []
    if len(given) > count:
        raise FacilitatorError(
            f"--names lists {len(given)} names but --participants is {count}: "
            "give at most one name per participant."
        )
    return [
        Participant(p.id, given[i] if i < len(given) and given[i] else None, True, quotable)
        for i, p in enumerate(people)
    ]


def _check_keys(codebook: Codebook, settings: Settings) -> None:
    clashes = codebook.clashes_with(effective_keys(settings.keymap))
    if clashes:
        raise FacilitatorError(
            "The codebook's hotkeys clash with your keymap in settings.toml:\n  - "
            + "\n  - ".join(clashes)
            + "\nChange the key in the codebook or in settings.toml."
        )


# -- sessions --------------------------------------------------------------------------------


@app.command()
def sessions() -> None:
    """List sessions, oldest first."""
    infos = list_sessions(ctx_state.sessions_root)
    if not infos:
        out.print(f"No sessions yet in {ctx_state.sessions_root}.")
        return
    table = Table("title", "created", "length", "events", "state")
    table.add_column("id", no_wrap=True)
    for info in infos:
        minutes, seconds = divmod(int(info.duration), 60)
        table.add_row(
            info.title,
            time.strftime("%Y-%m-%d %H:%M", time.localtime(info.created_wall)),
            f"{minutes}:{seconds:02d}",
            str(info.events),
            "ended" if info.ended else "open",
            info.id,
        )
    out.print(table)


@app.command()
def show(
    session: Annotated[str, typer.Argument(help="Session id, start of its id, or folder.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Summarise a session: guide, events by kind, duration, questions, tags."""
    folder = find_session(ctx_state.sessions_root, session)
    with open_store(folder) as store:
        summary = summarise(store)
    if as_json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    out.print(f"[b]{summary['title']}[/b]  ({summary['id']})")
    out.print(f"guide: {summary['guide']['title']}   codebook: {summary['codebook']['title']}")
    out.print(f"length: {summary['duration_seconds']:.0f} s   ended: {summary['ended']}")
    out.print("events: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["events"].items())))
    for q in summary["questions"]:
        out.print(f"  {q['started_at']:8.1f} s  {q['id']}  {q['text']}")
    out.print(f"live tags: {len(summary['tags'])}")


# -- guides and codebooks ----------------------------------------------------------------------


@guides_app.command("list")
def guides_list() -> None:
    """List the built-in guides."""
    for name in guide_names():
        _, guide = resolve_guide(name)
        out.print(f"{name}  —  {guide.title} ({len(guide.questions)} questions)")


@guides_app.command("show")
def guides_show(name: Annotated[str, typer.Argument(help="Built-in name or .toml file.")]) -> None:
    """Print a guide."""
    _, guide = resolve_guide(name)
    _print_guide(guide)


@guides_app.command("check")
def guides_check(file: Annotated[Path, typer.Argument(help="A guide .toml file.")]) -> None:
    """Check a guide file; exit non-zero and say what to fix if it is not usable."""
    guide = load_guide(file)
    out.print(
        f"OK: {file} — {guide.title}: {len(guide.sections)} sections, "
        f"{len(guide.questions)} questions, {guide.planned_minutes:g} planned minutes."
    )


@codebooks_app.command("list")
def codebooks_list() -> None:
    """List the built-in codebooks."""
    for name in codebook_names():
        _, codebook = resolve_codebook(name)
        out.print(f"{name}  —  {codebook.title} ({len(codebook.themes)} themes)")


@codebooks_app.command("show")
def codebooks_show(
    name: Annotated[str, typer.Argument(help="Built-in name or .toml file.")],
) -> None:
    """Print a codebook with its keys and colours."""
    _, codebook = resolve_codebook(name)
    table = Table("key", "theme", "id", "valence", "subthemes", title=codebook.title)
    for t in codebook.themes:
        table.add_row(
            t.key,
            f"[{t.colour}]■[/] {t.name}",
            t.id,
            str(t.valence or ""),
            ", ".join(s.name for s in t.subthemes),
        )
    out.print(table)


@codebooks_app.command("check")
def codebooks_check(file: Annotated[Path, typer.Argument(help="A codebook .toml file.")]) -> None:
    """Check a codebook file; exit non-zero and say what to fix if it is not usable."""
    codebook = load_codebook(file)
    subthemes = sum(len(t.subthemes) for t in codebook.themes)
    out.print(
        f"OK: {file} — {codebook.title}: {len(codebook.themes)} themes, {subthemes} subthemes."
    )


@app.command()
def transcribe(
    target: Annotated[str, typer.Argument(help="A session (id or folder) or a WAV file.")],
    model: Annotated[str | None, typer.Option(help="Model name or folder.")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes to use (default: every core).")
    ] = None,
) -> None:
    """Transcribe a recording again, faster than real time; a session keeps the new transcript
    as a new version beside the live one; a WAV file gets FILE.transcript.json and .txt."""
    from rich.progress import BarColumn, Progress, TimeRemainingColumn

    from facilitator.asr import batch, models

    name, path = models.find_model(model, ctx_state.data_dir)
    wav = Path(target).expanduser()
    folder = (
        None
        if wav.suffix.lower() == ".wav" and wav.is_file()
        else find_session(ctx_state.sessions_root, target)
    )
    samples = _session_audio(folder) if folder else _file_audio(wav)
    version = time.strftime("batch-%Y%m%d-%H%M%S")
    with Progress("{task.description}", BarColumn(), "{task.percentage:>3.0f}%",
                  TimeRemainingColumn(), console=err) as bar:  # fmt: skip
        task = bar.add_task(f"transcribing with {name}", total=len(samples) / SAMPLE_RATE)
        segments = batch.transcribe(
            samples, path, name, version=version, workers=workers,
            progress=lambda done, total: bar.update(task, completed=done),
        )  # fmt: skip
    if folder is not None:
        with open_store(folder) as store:
            for segment in segments:
                store.add_segment(segment)
        out.print(
            f"Stored {len(segments)} segments as transcript version {version} of {folder.name}."
        )
        return
    stem = wav.with_suffix("")
    Path(f"{stem}.transcript.txt").write_text(
        "\n".join(s.text for s in segments) + "\n", encoding="utf-8"
    )
    Path(f"{stem}.transcript.json").write_text(
        json.dumps([_segment_json(s) for s in segments], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    out.print(f"Wrote {stem}.transcript.txt and {stem}.transcript.json ({len(segments)} segments).")


def _session_audio(folder: Path) -> Any:
    import numpy as np
    import soundfile

    from facilitator.audio.segments import segments as audio_segments

    recover_segments(folder)
    parts = [soundfile.read(str(p), dtype="int16")[0] for p in audio_segments(folder)]
    if not parts:
        raise FacilitatorError(f"The session {folder.name} has no recorded audio to transcribe.")
    return np.concatenate(parts)


def _file_audio(path: Path) -> Any:
    import numpy as np
    import soundfile
    import soxr

    try:
        data, rate = soundfile.read(str(path), dtype="int16", always_2d=True)
    except Exception as exc:  # libsndfile's message names the problem
        raise FacilitatorError(f"Cannot read {path} as audio: {exc}") from None
    mono = data.mean(axis=1).astype(np.int16) if data.shape[1] > 1 else data[:, 0]
    if rate != SAMPLE_RATE:
        mono = soxr.resample(mono, rate, SAMPLE_RATE).astype(np.int16)
    return mono


def _segment_json(s: Any) -> dict[str, Any]:
    return {
        "start": round(s.media_start, 3),
        "end": round(s.media_end, 3),
        "text": s.text,
        "words": [
            {"word": w.word, "start": round(w.start, 3), "end": round(w.end, 3), "conf": w.conf}
            for w in s.words
        ],
    }


@app.command()
def export(
    session: Annotated[str, typer.Argument(help="Session id, start of its id, or folder.")],
    target: Annotated[
        Path, typer.Option("--out", help="Where to write (a folder, a .zip, or a file).")
    ],
    format: Annotated[
        str,
        typer.Option(
            help="bundle (default), qdpx, docx, eaf, srt, vtt, md, json, csv, maxqda, nvivo."
        ),
    ] = "bundle",
    wav: Annotated[bool, typer.Option(help="Audio as WAV instead of FLAC.")] = False,
    pseudonymise: Annotated[
        bool, typer.Option(help="Replace participants' names with their ids everywhere.")
    ] = False,
    redact: Annotated[
        Path | None, typer.Option(help="A file of names and places (one a line) to blank out.")
    ] = None,
    transcript: Annotated[
        str, typer.Option(help="Transcript version: live, or a batch-… version.")
    ] = "live",
    force: Annotated[bool, typer.Option(help="Replace an existing --out.")] = False,
) -> None:
    """Export a session for NVivo, ATLAS.ti, MAXQDA, QualCoder or ELAN (a running session is
    exported as it stands now)."""
    from facilitator.export.bundle import export as write_export
    from facilitator.export.snapshot import take_snapshot

    folder = find_session(ctx_state.sessions_root, session)
    words = []
    if redact is not None:
        try:
            words = [
                w.strip() for w in redact.read_text(encoding="utf-8").splitlines() if w.strip()
            ]
        except OSError as exc:
            raise FacilitatorError(
                f"Cannot read the redaction list {redact}: {exc.strerror}."
            ) from None
    snap = take_snapshot(folder, version=transcript, pseudonymise=pseudonymise, redact=words)
    problems = write_export(snap, target, format, force=force, wav=wav)
    out.print(f"Exported {folder.name} as {format} to {target}", highlight=False)
    for problem in problems:
        out.print(f"  - {problem}", highlight=False)


@app.command()
def verify(bundle: Annotated[Path, typer.Argument(help="A bundle folder or .zip.")]) -> None:
    """Check a bundle: every file against the manifest, the audio, the tag times."""
    from facilitator.export.bundle import verify as check

    problems = check(bundle.expanduser())
    if problems:
        raise FacilitatorError(
            f"{bundle} has problems:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    out.print(f"{bundle} is whole: every file matches its manifest, the audio opens and fits.")


@models_app.command("list")
def models_list() -> None:
    """Known models, and which are installed where."""
    from facilitator.asr import models

    have = models.installed(ctx_state.data_dir)
    table = Table("language", "size", "installed", "about")
    table.add_column("name", no_wrap=True)
    for e in models.catalogue():
        size = f"{e.size / 1e6:.0f} MB" if e.size else ""
        mark = "yes" if e.name in have else ""
        table.add_row(e.language, size, mark, e.description,
                      e.name + (" (default)" if e.default else ""))  # fmt: skip
    for name in sorted(set(have) - {e.name for e in models.catalogue()}):
        table.add_row("", "", "yes", str(have[name]), name)
    out.print(table)


@models_app.command("install")
def models_install(
    name: Annotated[str | None, typer.Argument(help="Catalogue name (default: English).")] = None,
    url: Annotated[
        str | None, typer.Option(help="Download from this address instead (a mirror).")
    ] = None,
) -> None:
    """Download a model (resuming a broken download), check it, and unpack it."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

    from facilitator.asr import models
    from facilitator.asr.download import install

    e = models.entry(name) if name else models.default_model()
    with Progress(
        "{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=err
    ) as bar:
        task = bar.add_task(e.name, total=e.size)
        folder = install(
            e,
            models.install_dir(ctx_state.data_dir),
            lambda done, total: bar.update(task, completed=done, total=total or e.size),
            url=url,
        )
    out.print(f"Installed {e.name} in {folder}")


@models_app.command("remove")
def models_remove(name: Annotated[str, typer.Argument(help="An installed model.")]) -> None:
    """Delete a downloaded model."""
    from facilitator.asr import models

    out.print(f"Removed {models.remove(name, ctx_state.data_dir)}")


@models_app.command("path")
def models_path(
    name: Annotated[str | None, typer.Argument(help="Model name (default: the one used).")] = None,
) -> None:
    """Print the folder of the model that would be used."""
    from facilitator.asr import models

    print(models.find_model(name, ctx_state.data_dir)[1])


def _print_guide(guide: Guide) -> None:
    out.print(f"[b]{guide.title}[/b]  ({guide.planned_minutes:g} minutes planned)")
    number = 0
    for section in guide.sections:
        out.print(f"\n[b]{section.title}[/b]")
        for q in section.questions:
            number += 1
            out.print(f"  {number}. \\[{q.id}] {escape(q.text)}  ({q.minutes:g} min)")
            for probe in q.probes:
                out.print(f"       • {escape(probe)}")


def main() -> None:
    """Entry point: user errors become a plain message and exit status 2."""
    try:
        app()
    except FacilitatorError as exc:
        err.print(f"[bold red]Error:[/bold red] {exc}", highlight=False)
        raise SystemExit(2) from None
