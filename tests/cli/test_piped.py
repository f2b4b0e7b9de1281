"""Output that is piped (`| cut`, `> h.txt`) holds one record per line, no value split: rich
wraps at 80 columns when stdout is no terminal, unless told otherwise (cli/common.py)."""

from __future__ import annotations

import os
import subprocess
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import newsarchiver_command

LONG_URL = "https://www.tagesblatt.example/politik/" + "-".join(["sehr-lange-adresse"] * 8) + "/"
COOKIE = "consent=" + "a1b2c3d4" * 24 + "; Path=/; Max-Age=31536000; SameSite=Lax"


def piped(*args: str) -> subprocess.CompletedProcess[str]:
    """A command whose stdout is a pipe, in a shell with no COLUMNS set, as `cmd | cut` runs."""
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    return subprocess.run(
        newsarchiver_command(*args), capture_output=True, text=True, env=env, timeout=120
    )


def test_piped_tables_and_headers_keep_each_value_on_its_line(tmp_path: Path) -> None:
    warc = tmp_path / "long-names-from-another-crawler-2024-05-16.warc.gz"
    body = b"<!DOCTYPE html><html><body><p>Kurz.</p></body></html>"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", COOKIE)],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                LONG_URL, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
        )
    output = tmp_path / "archive"
    assert piped("import", str(warc), "-o", str(output)).returncode == 0

    headers_out = piped("replay", LONG_URL, "--headers", "-o", str(output))
    assert headers_out.returncode == 0, headers_out.stderr
    assert f"Set-Cookie: {COOKIE}" in headers_out.stdout.splitlines()

    captures = piped("captures", LONG_URL, "-o", str(output))
    rows = [line for line in captures.stdout.splitlines() if "imported/" in line]
    assert len(rows) == 1  # one capture, one line, its file name whole
    assert f"imported/{warc.name}" in rows[0]

    added = piped("sites", "add", "lang", LONG_URL, "--every", "1h", "-o", str(output))
    assert added.returncode == 0, added.stderr
    listed = piped("sites", "list", "-o", str(output))
    [row] = [line for line in listed.stdout.splitlines() if "lang" in line.split()]
    assert LONG_URL in row
