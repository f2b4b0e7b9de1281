"""A URL's captures laid out in time: the replay banner's timeline and the captures calendar.

Pure data from the capture index (no HTML here): where a capture sits on a line from the first
to the last capture, which captures come before and after the one shown, and the months and
days that hold captures, as the Wayback Machine's calendar shows them.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from ..dates import timestamp_seconds
from ..warc.cdxj import Capture
from ..warc.replay import nearest

#: Monday first, as ISO 8601 weeks
_WEEKS = calendar.Calendar(firstweekday=0)


@dataclass(frozen=True)
class Timeline:
    """The captures of one URL (oldest first) and the one being shown."""

    captures: list[Capture]
    current: Capture

    @classmethod
    def at(cls, captures: list[Capture], timestamp: str | None) -> Timeline:
        """The capture pywb replays for ``timestamp`` (the nearest; replay.nearest)."""
        return cls(captures, nearest(captures, timestamp or None))

    @property
    def number(self) -> int:
        """1 for the oldest capture."""
        return self.captures.index(self.current) + 1

    @property
    def previous(self) -> Capture | None:
        return self.captures[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Capture | None:
        return self.captures[self.number] if self.number < len(self.captures) else None

    def position(self, capture: Capture) -> float:
        """Where ``capture`` sits between the first (0) and the last (100) capture, in %."""
        first = timestamp_seconds(self.captures[0].timestamp)
        span = timestamp_seconds(self.captures[-1].timestamp) - first
        if span <= 0:
            return 50.0
        return round(100 * (timestamp_seconds(capture.timestamp) - first) / span, 2)


@dataclass(frozen=True)
class Day:
    """A day of a month's grid: 0 pads the weeks before the 1st and after the last day."""

    day: int
    captures: list[Capture]


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[Day]]

    @property
    def name(self) -> str:
        return date(self.year, self.month, 1).strftime("%B %Y")

    @property
    def count(self) -> int:
        return sum(len(day.captures) for week in self.weeks for day in week)


def months(captures: list[Capture]) -> list[Month]:
    """The months holding captures, newest first, each as weeks of days."""
    by_day: dict[tuple[int, int, int], list[Capture]] = {}
    for capture in captures:
        stamp = capture.timestamp.ljust(14, "0")
        key = (int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        by_day.setdefault(key, []).append(capture)
    shown = sorted({(year, month) for year, month, _ in by_day}, reverse=True)
    return [
        Month(
            year,
            month,
            [
                [Day(day, by_day.get((year, month, day), [])) for day in week]
                for week in _WEEKS.monthdayscalendar(year, month)
            ],
        )
        for year, month in shown
    ]
