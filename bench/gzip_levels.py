"""What a WARC record's gzip engine and level cost and save, on real news pages.

``WARC_GZIP_ENGINE`` and ``WARC_GZIP_LEVEL`` trade the crawl process's CPU (where records are
compressed) against the WARC files' size. This compresses the 80 fundus and 129 Readability
pages of ../shared/extraction-dev (or, without it, pages of the generated benchmark site) at
each level, as the writer does (one gzip member per record), and prints CPU ms per page
(best of three passes) and size, against zlib at level 9. Run with ``make bench``.
"""

from __future__ import annotations

import gzip
import tempfile
import time
import zlib
from pathlib import Path

from rich.console import Console
from rich.table import Table

from newsarchiver.warc.writer import GZIP_ENGINES

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "extraction-dev"
#: (engine, level): zlib's, and ISA-L's (WARC_GZIP_ENGINE=isal)
LEVELS = [("zlib", n) for n in (1, 3, 4, 5, 6, 9)] + [("isal", n) for n in (0, 1, 2, 3)]


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


def compressed(body: bytes, engine: str, level: int) -> int:
    compressor = GZIP_ENGINES[engine].compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return len(compressor.compress(body) + compressor.flush())


def main() -> None:
    which, bodies = pages()
    raw = sum(map(len, bodies))
    results = {}
    for engine, level in LEVELS:
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            size = sum(compressed(body, engine, level) for body in bodies)
            best = min(best, time.process_time() - started)
        results[engine, level] = (best * 1000 / len(bodies), size)
    table = Table(title=f"WARC gzip level: {which}, {raw / len(bodies) / 1000:.0f} KB a page")
    for column in ("engine, level", "CPU ms/page", "size / raw", "size / zlib 9", "CPU / zlib 9"):
        table.add_column(column, justify="right")
    slowest, smallest = results["zlib", 9]
    for (engine, level), (ms, size) in results.items():
        default = " (default)" if GZIP_ENGINES[engine].default_level == level else ""
        table.add_row(
            f"{engine} {level}{default}",
            f"{ms:.2f}",
            f"{size / raw:.3f}",
            f"{size / smallest:.3f}",
            f"{ms / slowest:.2f}",
        )
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
