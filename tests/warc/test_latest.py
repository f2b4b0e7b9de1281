"""The capture table answers "this URL's newest capture" as the CDXJ files do, in one read."""

from __future__ import annotations

from pathlib import Path

from newsarchiver.warc.cdxj import Capture, CaptureIndex, surt_key
from newsarchiver.warc.latest import LatestCaptures

URL = "https://www.tagesblatt.example/politik/artikel.html"


def capture(url: str, timestamp: str, filename: str) -> Capture:
    return Capture(surt_key(url), timestamp, url, "text/html", "200", "sha1:X", 100, 0, filename)


def test_the_newest_capture_wins_whatever_order_the_files_came_in(tmp_path: Path) -> None:
    index = CaptureIndex(tmp_path)
    # written newest first: a later file may hold an older capture (an import)
    index.add("2024-06/b.warc.gz", [capture(URL, "20240601080000", "2024-06/b.warc.gz")])
    index.add("2024-05/a.warc.gz", [capture(URL, "20240501080000", "2024-05/a.warc.gz")])
    for n in range(50):
        other = f"https://www.tagesblatt.example/{n}"
        index.add(
            f"2024-04/{n}.warc.gz", [capture(other, "20240401080000", f"2024-04/{n}.warc.gz")]
        )
    latest = LatestCaptures(tmp_path)
    found = latest.get("http://tagesblatt.example/politik/artikel.html")  # www. and scheme aside
    assert found is not None and found.filename == "2024-06/b.warc.gz"
    assert found == index.lookup(URL)[-1]
    assert latest.get("https://www.tagesblatt.example/nie-archiviert") is None
    latest.close()

    # a CDXJ file written since (by another crawl, an import) is read on the next opening
    index.add("2024-07/c.warc.gz", [capture(URL, "20240701080000", "2024-07/c.warc.gz")])
    again = LatestCaptures(tmp_path)
    newest = again.get(URL)
    assert newest is not None and newest.filename == "2024-07/c.warc.gz"
    again.close()


def test_reindex_builds_it_again_from_the_cdxj_files(tmp_path: Path) -> None:
    index = CaptureIndex(tmp_path)
    index.add("2024-05/a.warc.gz", [capture(URL, "20240501080000", "2024-05/a.warc.gz")])
    LatestCaptures(tmp_path).get(URL)
    assert (tmp_path / "index" / "latest.sqlite").exists()
    list(index.rebuild())  # no WARC files at all: every CDXJ file is stale
    assert not (tmp_path / "index" / "latest.sqlite").exists()
    assert LatestCaptures(tmp_path).get(URL) is None
