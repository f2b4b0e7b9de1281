"""The WARC writer on its own: record layout, header fix-ups, rotation, crash safety."""

from __future__ import annotations

import gzip
import random
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.errors import CrawlError
from newsarchiver.warc.writer import HttpExchange, WarcFileWriter, response_headers_as_stored


def _exchange(
    url: str = "http://news.test/a",
    body: bytes = b"<p>hello</p>",
    headers: list[tuple[str, str]] | None = None,
) -> HttpExchange:
    return HttpExchange(
        url=url,
        method="GET",
        request_headers=[("User-Agent", "test")],
        status=200,
        response_headers=headers
        or [("Content-Type", "text/html"), ("Content-Length", str(len(body)))],
        body=body,
        ip_address="127.0.0.1",
    )


def _records(path: Path) -> list[tuple[str, dict[str, str], bytes]]:
    with path.open("rb") as stream:
        return [
            (r.rec_type, dict(r.rec_headers.headers), r.content_stream().read())
            for r in ArchiveIterator(stream)
        ]


def test_warcinfo_first_then_linked_response_and_request(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path / "warc", root=tmp_path, info={"robots": "obey"})
    ref = writer.write_exchange(_exchange())
    assert writer.current_file is not None and writer.current_file.name.endswith(".warc.gz.open")
    writer.close()
    [path] = (tmp_path / "warc").glob("*.warc.gz")
    assert ref.filename == path.relative_to(tmp_path).as_posix()
    records = _records(path)
    assert [r[0] for r in records] == ["warcinfo", "response", "request"]
    info, response, request = (r[1] for r in records)
    assert b"robots: obey" in records[0][2] and b"software: newsarchiver/" in records[0][2]
    assert info["WARC-Filename"] == path.name
    assert response["WARC-Record-ID"] == ref.record_id
    assert request["WARC-Concurrent-To"] == ref.record_id
    assert response["WARC-IP-Address"] == "127.0.0.1"
    assert response["WARC-Payload-Digest"] == ref.payload_digest
    assert records[1][2] == b"<p>hello</p>"
    assert records[2][2] == b""
    with path.open("rb") as stream:
        stream.seek(ref.offset)
        assert next(iter(ArchiveIterator(stream))).rec_headers["WARC-Record-ID"] == ref.record_id


def test_file_name_follows_the_iipc_pattern(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path, root=tmp_path, prefix="tagesblatt")
    writer.write_exchange(_exchange())
    writer.close()
    [path] = tmp_path.glob("*.warc.gz")
    prefix, stamp, serial, *host = path.name.removesuffix(".warc.gz").split("-")
    assert prefix == "tagesblatt" and len(stamp) == 17 and stamp.isdigit() and serial == "00001"
    assert host


def test_rotates_past_max_size_and_closes_every_file(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path, root=tmp_path, max_size=4000)
    noise = random.Random(7)  # incompressible, so each record is about 2 kB on disk
    refs = [
        writer.write_exchange(_exchange(f"http://news.test/{i}", body=noise.randbytes(2000)))
        for i in range(5)
    ]
    writer.close()
    files = sorted(tmp_path.glob("*.warc.gz"))
    assert len(files) >= 3 and not list(tmp_path.glob("*.open"))
    assert {r.filename for r in refs} == {f.name for f in files}
    for path in files:
        assert _records(path)[0][0] == "warcinfo"


def test_dechunked_body_does_not_claim_chunked_framing() -> None:
    body = b"x" * 10
    fixed = response_headers_as_stored(
        [
            ("Content-Type", "text/html"),
            ("Transfer-Encoding", "chunked"),
            ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ],
        body,
    )
    assert ("Transfer-Encoding", "chunked") not in fixed
    assert ("Content-Length", "10") in fixed
    assert [v for n, v in fixed if n == "Set-Cookie"] == ["a=1", "b=2"]
    stale = response_headers_as_stored([("Content-Length", "99")], body)
    assert stale == [("Content-Length", "10")]
    exact = [("Content-Length", "10"), ("Content-Encoding", "gzip")]
    assert response_headers_as_stored(exact, body) == exact


def test_gzip_body_is_stored_as_sent(tmp_path: Path) -> None:
    body = gzip.compress(b"<p>komprimiert</p>")
    headers = [("Content-Encoding", "gzip"), ("Content-Length", str(len(body)))]
    writer = WarcFileWriter(tmp_path, root=tmp_path)
    writer.write_exchange(_exchange(body=body, headers=headers))
    writer.close()
    [path] = tmp_path.glob("*.warc.gz")
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                assert record.http_headers.get_header("Content-Encoding") == "gzip"
                assert record.raw_stream.read() == body  # not decompressed


def test_warcio_check_accepts_the_file(tmp_path: Path) -> None:
    writer = WarcFileWriter(tmp_path, root=tmp_path)
    for i in range(3):
        writer.write_exchange(_exchange(f"http://news.test/{i}"))
    writer.close()
    [path] = tmp_path.glob("*.warc.gz")
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", "-v", str(path)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 7  # warcinfo, 3 responses, 3 requests
    assert "fail" not in check.stdout


@pytest.mark.parametrize(("engine", "low", "high"), [("zlib", 1, 9), ("isal", 0, 3)])
def test_the_gzip_level_is_a_trade_of_size_only(
    tmp_path: Path, engine: str, low: int, high: int
) -> None:
    """WARC_GZIP_ENGINE and _LEVEL: every engine and level gives the same records, each a
    gzip member of its own (the offsets the index keeps still point at them), files warcio
    checks; a higher level, a smaller file."""
    rng = random.Random(3)
    words = [f"wort{n}" for n in range(400)]
    page = ("<p>" + " ".join(rng.choice(words) for _ in range(20_000)) + "</p>").encode()
    sizes = {}
    for level in (low, high, None):
        directory = tmp_path / str(level)
        writer = WarcFileWriter(directory, root=tmp_path, gzip_level=level, gzip_engine=engine)
        ref = writer.write_exchange(_exchange(body=page))
        writer.close()
        [path] = directory.glob("*.warc.gz")
        assert [r[2] for r in _records(path) if r[0] == "response"] == [page]
        with path.open("rb") as stream:
            stream.seek(ref.offset)
            assert next(iter(ArchiveIterator(stream))).rec_type == "response"
        check = subprocess.run(
            [sys.executable, "-m", "warcio.cli", "check", str(path)], capture_output=True
        )
        assert check.returncode == 0, check.stdout
        sizes[level] = path.stat().st_size
    assert sizes[high] < sizes[low]
    with pytest.raises(CrawlError, match=f"WARC_GZIP_LEVEL is {high + 1}: a {engine} level"):
        WarcFileWriter(tmp_path / "x", root=tmp_path, gzip_level=high + 1, gzip_engine=engine)


def test_an_unknown_gzip_engine_is_named(tmp_path: Path) -> None:
    with pytest.raises(CrawlError, match="WARC_GZIP_ENGINE is 'zstd': it is one of zlib, isal"):
        WarcFileWriter(tmp_path, root=tmp_path, gzip_engine="zstd")
