"""An archived decompression bomb (a few MB of gzip that decode to 512 MiB) is read back by
no command in full: import skips it with one warning, replay refuses it with one line, the
WACZ export copies it as it is; the article beside it in the same WARC is imported."""

from __future__ import annotations

import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import newsarchiver_command

BOMB_URL = "https://bomb.example/2024/05/16/hafen-bombe.html"
STORY_URL = "https://bomb.example/2024/05/16/hafen-normal.html"
BOMB_MIB = 512
#: what measures a command's peak memory: a fresh parent whose only child is the command
PEAK_RSS = (
    "import resource, subprocess, sys;"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
    "sys.stdout.write(done.stdout); sys.stderr.write(done.stderr);"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, file=sys.stderr);"
    "sys.exit(done.returncode)"
)
STORY = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Hafen normal</title>'
    '<meta property="og:type" content="article"></head><body><article><h1>Hafen normal</h1>'
    + "".join(
        f"<p>Der Hafen meldet im Absatz {i} neue Zahlen, mit genug Text, damit die Seite als "
        "Artikel gilt und nicht als Liste.</p>"
        for i in range(8)
    )
    + "</article></body></html>"
).encode()


def _gzip_bomb(mebibytes: int) -> bytes:
    packer = zlib.compressobj(1, zlib.DEFLATED, 31)  # gzip framing
    block = (b"<p>" + b"Hafen " * 170 + b"</p>")[:1024] * 1024
    return b"".join([*(packer.compress(block) for _ in range(mebibytes)), packer.flush()])


@pytest.fixture(scope="module")
def bomb_warc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, encoding in (
            (BOMB_URL, _gzip_bomb(BOMB_MIB), [("Content-Encoding", "gzip")]),
            (STORY_URL, STORY, []),
        ):
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), *encoding],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
                )
            )
    return path


def _measured(output: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """The command's result with its last stderr line (peak RSS, MB) taken off."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, *newsarchiver_command(*args, "--output", str(output))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    *stderr, peak = done.stderr.rstrip("\n").split("\n")
    done.stderr = "\n".join(stderr)
    return done, int(peak)


@pytest.fixture(scope="module")
def imported(
    bomb_warc: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, subprocess.CompletedProcess[str], int]:
    output = tmp_path_factory.mktemp("archive")
    done, peak = _measured(output, "import", str(bomb_warc))
    return output, done, peak


def test_import_skips_the_bomb_with_one_warning_and_keeps_the_rest(
    imported: tuple[Path, subprocess.CompletedProcess[str], int],
) -> None:
    output, done, peak = imported
    assert done.returncode == 0, done.stderr
    assert "2 captures, 1 articles (1 too large to read)" in done.stdout
    assert done.stderr.strip() == (
        f"WARNING: {output}/warc/imported/bomb.warc.gz: {BOMB_URL}: the archived body decodes "
        "to more than 32 MiB (a decompression bomb?); not read"
    )
    assert peak < 300, f"import peaked at {peak} MB for a {BOMB_MIB} MiB bomb"
    listed, _ = _measured(output, "query", "--format", "jsonl", "--fields", "url")
    assert listed.stdout.strip() == f'{{"url": "{STORY_URL}"}}'


def test_replay_refuses_the_bomb_in_one_line(
    imported: tuple[Path, subprocess.CompletedProcess[str], int],
) -> None:
    output, _, _ = imported
    done, peak = _measured(output, "replay", BOMB_URL)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"Error: {output}/warc/imported/bomb.warc.gz at offset 0: the archived body decodes to "
        "more than 32 MiB (a decompression bomb?); not read"
    )
    assert peak < 300, f"replay peaked at {peak} MB"
    story, _ = _measured(output, "replay", STORY_URL)
    assert story.returncode == 0 and "Hafen normal" in story.stdout


def test_the_wacz_export_copies_the_bomb_without_decoding_it(
    imported: tuple[Path, subprocess.CompletedProcess[str], int], tmp_path: Path
) -> None:
    output, _, _ = imported
    done, peak = _measured(output, "export", "wacz", str(tmp_path / "bomb.wacz"))
    assert done.returncode == 0, done.stderr
    assert "2 captures" in done.stdout
    assert peak < 300, f"export peaked at {peak} MB"
