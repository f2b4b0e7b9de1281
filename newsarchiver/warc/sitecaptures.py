"""Captures counted per site, and a site's captured addresses: an archive browsable by site even
when it holds only imported WARCs (no article rows).

A CDXJ file never changes once written (one per closed WARC), so each is summarised once and the
summary kept for as long as the file's size and time stay the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..urls import site_key
from .cdxj import Capture, CaptureIndex


@dataclass(frozen=True)
class SiteCaptures:
    site_key: str
    captures: int
    #: 14-digit timestamps of the oldest and the newest capture
    first: str
    last: str

    def joined(self, other: SiteCaptures) -> SiteCaptures:
        return replace(
            self,
            captures=self.captures + other.captures,
            first=min(self.first, other.first),
            last=max(self.last, other.last),
        )


@dataclass(frozen=True)
class CapturedUrl:
    url: str
    captures: int
    last: Capture


def _summary(path: Path) -> dict[str, SiteCaptures]:
    sites: dict[str, SiteCaptures] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            capture = Capture.from_line(line)
            key = site_key(capture.url)
            one = SiteCaptures(key, 1, capture.timestamp, capture.timestamp)
            sites[key] = sites[key].joined(one) if key in sites else one
    return sites


class SiteCaptureCounts:
    """Per-site capture counts of one archive, kept current file by file."""

    def __init__(self, index: CaptureIndex) -> None:
        self.index = index
        self._files: dict[Path, tuple[tuple[int, int], dict[str, SiteCaptures]]] = {}

    def by_site(self) -> dict[str, SiteCaptures]:
        total: dict[str, SiteCaptures] = {}
        seen = set()
        for path in self.index.files():
            try:
                stat = path.stat()
            except FileNotFoundError:  # re-indexed meanwhile
                continue
            stamp = (stat.st_size, stat.st_mtime_ns)
            cached = self._files.get(path)
            if cached is None or cached[0] != stamp:
                cached = (stamp, _summary(path))
                self._files[path] = cached
            seen.add(path)
            for key, counts in cached[1].items():
                total[key] = total[key].joined(counts) if key in total else counts
        for gone in set(self._files) - seen:
            del self._files[gone]
        return total


def captured_urls(index: CaptureIndex, site: str) -> Iterator[CapturedUrl]:
    """The addresses of one site (its key, urls.site_key) with their captures, in key order.

    Reads the whole merged index: fine for a page of addresses, not for every request."""
    current: list[Capture] = []
    for capture in index:
        if site_key(capture.url) != site:
            continue
        if current and current[0].urlkey != capture.urlkey:
            yield CapturedUrl(current[-1].url, len(current), max(current, key=_when))
            current = []
        current.append(capture)
    if current:
        yield CapturedUrl(current[-1].url, len(current), max(current, key=_when))


def _when(capture: Capture) -> str:
    return capture.timestamp
