"""What a WARC record's gzip level costs and saves, on real news pages.

``WARC_GZIP_LEVEL`` trades the crawl process's CPU (where records are compressed) against
the WARC files' size. This compresses the 80 fundus and 129 Readability pages of
../shared/extraction-dev (or, without it, pages of the generated benchmark site) at each
level, as the writer does (one gzip member per record), and prints CPU ms per page (best of
three passes) and size, against level 9. Run with ``make bench``.
"""

from __future__ import annotations

import gzip
import tempfile
import time
import zlib
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsarchiver.warc.writer import GZIP_LEVEL

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "extraction-dev"
LEVELS = (1, 3, 4, 5, 6, 9)


def pages() -> tuple[str, list[bytes]]:
    real = sorted(SHARED.glob("html/*.html.gz")) + sorted(
        SHARED.glob("readability/*/source.html.gz")
    )
    if real:
        bodies = [gzip.decompress(p.read_bytes()) for p in real]
        return f"{len(bodies)} dev pages of ../shared/extraction-dev", bodies
    from throughput import write_site

    root = Path(tempfile.mkdtemp()) / "site"
    root.mkdir()
    write_site(root, 200)
    bodies = [p.read_bytes() for p in sorted(root.rglob("*.html"))]
    return f"{len(bodies)} pages of the generated benchmark site", bodies


def compressed(body: bytes, level: int) -> int:
    compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return len(compressor.compress(body) + compressor.flush())


def main() -> None:
    which, bodies = pages()
    raw = sum(map(len, bodies))
    results = {}
    for level in LEVELS:
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            size = sum(compressed(body, level) for body in bodies)
            best = min(best, time.process_time() - started)
        results[level] = (best * 1000 / len(bodies), size)
    table = Table(title=f"WARC gzip level: {which}, {raw / len(bodies) / 1000:.0f} KB a page")
    for column in ("level", "CPU ms/page", "size / raw", "size / level 9", "CPU / level 9"):
        table.add_column(column, justify="right")
    smallest, slowest = results[9][1], results[9][0]
    for level, (ms, size) in results.items():
        table.add_row(
            f"{level}{' (default)' if level == GZIP_LEVEL else ''}",
            f"{ms:.2f}",
            f"{size / raw:.3f}",
            f"{size / smallest:.3f}",
            f"{ms / slowest:.2f}",
        )
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
