"""The CDXJ capture index: what pywb's own indexer writes, found by bisecting, rebuildable."""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsarchiver.errors import CorruptWarc
from newsarchiver.layout import ArchiveLayout
from newsarchiver.warc.cdxj import Capture, CaptureIndex, captures_in_warc, surt_key, write_cdxj
from newsarchiver.web.pywbenv import ensure_pywb
from tests.conftest import TwiceCrawled, newsarchiver_command


def _without_filename(lines: list[str]) -> list[str]:
    return [line.split(', "filename"')[0] for line in lines if line.strip()]


def test_index_is_what_pywbs_own_indexer_writes(twice_crawled: TwiceCrawled) -> None:
    index = CaptureIndex(twice_crawled.output)
    warcs = index.layout.warc_files()
    assert len(warcs) == 2 and len(index.files()) == 2
    pywb_bin = ensure_pywb().parent  # pywb's own environment (web/pywbenv.py)
    for warc, cdxj in zip(warcs, index.files(), strict=True):
        pywb = subprocess.run(
            [str(pywb_bin / "cdx-indexer"), "--cdxj", "--sort", str(warc)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        ours = cdxj.read_text().splitlines()
        assert _without_filename(ours) == _without_filename(pywb)
        # and our filename is the WARC's path under OUTPUT/warc, which pywb's archive_paths join
        relative = warc.relative_to(twice_crawled.output / "warc").as_posix()
        assert all(f'"filename": "{relative}"' in line for line in ours)


def test_lookup_bisects_to_every_capture_of_a_url(tmp_path: Path) -> None:
    rng = random.Random(7)
    urls = [f"https://www.example-news.com/{rng.randrange(10**6)}/story-{i}" for i in range(3000)]
    captures = [
        Capture(
            surt_key(u),
            f"2024{rng.randrange(10**10):010d}",
            u,
            "text/html",
            "200",
            "D" * 32,
            100,
            i * 100,
            f"2024-05/file-{i % 3}.warc.gz",
        )
        for i, u in enumerate(urls + urls[:50])  # the first 50 URLs captured twice
    ]
    index = CaptureIndex(tmp_path)
    for n in range(3):  # spread over three files, as three WARC files would be
        write_cdxj(index.directory / f"part{n}.cdxj", captures[n::3])
    for url in [*urls[:60], *rng.sample(urls, 200)]:
        expected = sorted(c.timestamp for c in captures if c.url == url)
        assert [c.timestamp for c in index.lookup(url)] == expected
    assert index.lookup("https://www.example-news.com/never") == []
    assert len(list(index)) == len(captures)


def test_a_truncated_warc_is_named_and_refused(twice_crawled: TwiceCrawled, tmp_path: Path) -> None:
    source = ArchiveLayout(twice_crawled.output).warc_files()[0]
    broken = tmp_path / "broken.warc.gz"
    # cut inside a record (half the file may fall between two gzip members, a whole WARC)
    with source.open("rb") as stream:
        records = ArchiveIterator(stream)
        offsets = [records.get_record_offset() for _ in records]
    middle = offsets[len(offsets) // 2]
    broken.write_bytes(source.read_bytes()[: middle + 20])
    with pytest.raises(CorruptWarc, match=r"broken\.warc\.gz: truncated"):
        captures_in_warc(broken, "broken.warc.gz")
    not_warc = tmp_path / "notes.warc.gz"
    not_warc.write_text("these are notes, not a WARC\n")
    with pytest.raises(CorruptWarc, match=r"notes\.warc\.gz: not a WARC file"):
        captures_in_warc(not_warc, "notes.warc.gz")


def test_reindex_rebuilds_the_capture_index_and_skips_a_corrupt_warc(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    output = tmp_path / "copy"
    shutil.copytree(twice_crawled.output, output)
    index = CaptureIndex(output)
    before = {p.name: p.read_text() for p in index.files()}
    shutil.rmtree(index.directory)
    corrupt = output / "warc" / "2024-01" / "other-tool.warc.gz"
    corrupt.parent.mkdir()
    corrupt.write_bytes(b"\x1f\x8b\x08\x00garbage")
    done = subprocess.run(
        newsarchiver_command("reindex", "-o", str(output)), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert f"error: {corrupt}: not a readable WARC file" in done.stderr
    assert "from 2 WARC files, 1 unreadable skipped" in done.stdout
    assert {p.name: p.read_text() for p in index.files()} == before
