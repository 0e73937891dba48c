"""Installing speech models: a real HTTP server on localhost serving a zip built in the test."""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from facilitator import cli
from facilitator.asr import models
from facilitator.asr.download import install
from facilitator.asr.models import CatalogueEntry, ModelProblem


def model_zip(name: str = "vosk-model-test") -> bytes:
    """A zip holding a model folder with the files Vosk needs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(f"{name}/am/final.mdl", b"acoustic model" * 1000)
        z.writestr(f"{name}/conf/model.conf", "--sample-frequency=16000\n")
        z.writestr(f"{name}/graph/HCLr.fst", b"graph" * 5000)
        z.writestr(f"{name}/README", "test model")
    return buffer.getvalue()


@dataclass
class Served:
    """What the server hands out, and what it saw."""

    body: bytes
    cut_after: int | None = None  # drop the connection after this many bytes, once
    ranges: list[str] = field(default_factory=list)
    port: int = 0

    def url(self, path: str = "/model.zip") -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def server() -> Iterator[Served]:
    served = Served(model_zip())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/model.zip":
                self.send_error(404)
                return
            start = 0
            if rng := self.headers.get("Range"):
                served.ranges.append(rng)
                start = int(rng.removeprefix("bytes=").split("-")[0])
            body = served.body[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if served.cut_after is not None:
                self.wfile.write(body[: served.cut_after])
                served.cut_after = None
                self.wfile.flush()
                self.connection.shutdown(2)
                return
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served
    httpd.shutdown()


def entry_for(body: bytes, name: str = "vosk-model-test") -> CatalogueEntry:
    return CatalogueEntry(
        name, "xx", "test", url="", size=len(body), sha256=hashlib.sha256(body).hexdigest()
    )


def test_install_checks_and_unpacks(server: Served, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    folder = install(entry_for(server.body), tmp_path, lambda d, t: seen.append((d, t)),
                     url=server.url())  # fmt: skip
    assert folder == tmp_path / "vosk-model-test"
    assert (folder / "am" / "final.mdl").exists() and models.check_model_dir(folder)
    assert seen[-1] == (len(server.body), len(server.body)), "progress reaches the total"
    assert not list((tmp_path / ".downloads").iterdir()), "the zip is removed afterwards"


def test_a_bad_checksum_is_refused_and_deleted(server: Served, tmp_path: Path) -> None:
    wrong = CatalogueEntry("vosk-model-test", "xx", "t", size=len(server.body), sha256="0" * 64)
    with pytest.raises(ModelProblem, match="SHA-256 checksum does not match"):
        install(wrong, tmp_path, lambda d, t: None, url=server.url())
    assert not (tmp_path / "vosk-model-test").exists()
    assert not list((tmp_path / ".downloads").iterdir()), "the bad file was deleted"


def test_an_interrupted_download_resumes(server: Served, tmp_path: Path) -> None:
    server.cut_after = len(server.body) // 3
    e = entry_for(server.body)
    with pytest.raises(ModelProblem, match="Run the same command again"):
        install(e, tmp_path, lambda d, t: None, url=server.url())
    part = tmp_path / ".downloads" / "vosk-model-test.zip.part"
    assert part.stat().st_size == len(server.body) // 3
    folder = install(e, tmp_path, lambda d, t: None, url=server.url())
    assert server.ranges == [f"bytes={len(server.body) // 3}-"], "only the rest was fetched"
    assert (folder / "graph" / "HCLr.fst").read_bytes() == b"graph" * 5000


def test_404_and_unreachable(server: Served, tmp_path: Path) -> None:
    e = entry_for(server.body)
    with pytest.raises(ModelProblem, match=r"not found at .*HTTP 404"):
        install(e, tmp_path, lambda d, t: None, url=server.url("/missing.zip"))
    with pytest.raises(ModelProblem, match="Are you offline"):
        install(e, tmp_path, lambda d, t: None, url="http://127.0.0.1:9/model.zip")


def test_a_zip_that_escapes_its_folder_is_refused(server: Served, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("../../evil.txt", "x")
    server.body = buffer.getvalue()
    with pytest.raises(ModelProblem, match="unsafe path"):
        install(entry_for(server.body), tmp_path / "m", lambda d, t: None, url=server.url())
    assert not (tmp_path / "evil.txt").exists()


def test_cli_install_list_path_remove(
    server: Served, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = model_zip("vosk-model-small-en-us-0.15")
    server.body = body
    real = models.entry("vosk-model-small-en-us-0.15")
    fake = CatalogueEntry(real.name, real.language, real.description, real.url, len(body),
                          hashlib.sha256(body).hexdigest(), True)  # fmt: skip
    monkeypatch.setattr(models, "catalogue", lambda: [fake])
    monkeypatch.setattr(models, "CHECKOUT_MODELS", tmp_path / "no-checkout")
    runner = CliRunner()
    result = runner.invoke(cli.app, ["models", "install", "--url", server.url()])
    assert result.exit_code == 0, result.output
    assert "Installed vosk-model-small-en-us-0.15" in result.output
    listing = runner.invoke(cli.app, ["models", "list"]).output
    assert "vosk-model-small-en-us-0.15 (default)" in listing and "yes" in listing
    path = runner.invoke(cli.app, ["models", "path"]).output.strip()
    assert path.endswith("models/vosk-model-small-en-us-0.15")
    assert (
        runner.invoke(cli.app, ["models", "remove", "vosk-model-small-en-us-0.15"]).exit_code == 0
    )
    assert not Path(path).exists()
    missing = runner.invoke(cli.app, ["models", "install", "--url", server.url("/gone.zip")])
    assert missing.exit_code != 0 and "HTTP 404" in str(missing.exception)


def test_the_catalogue_default_is_the_small_english_model() -> None:
    default = models.default_model()
    assert default.name == "vosk-model-small-en-us-0.15"
    assert default.size == 41205931 and len(default.sha256) == 64
    assert default.url.endswith("/vosk-model-small-en-us-0.15.zip")
