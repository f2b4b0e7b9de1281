"""Dates and times, parsed and written one way everywhere.

Archived dates are ISO 8601 strings (a page's own, with its offset; ours in UTC, ``+00:00``);
WARC and CDXJ use 14-digit UTC timestamps, which warcio's ``timeutils`` convert. A naive
date-time (no offset) is taken as UTC: every date-time we write carries one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

from warcio.timeutils import (
    datetime_to_iso_date,
    iso_date_to_timestamp,
    timestamp_to_datetime,
    timestamp_to_iso_date,
)

UTC = timezone.utc
#: how published times are kept in the index: sortable, second precision, UTC
INDEX_UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
#: how fetched_at is written: UTC with an explicit offset (the JSONL contract)
FETCHED_FORMAT = "%Y-%m-%dT%H:%M:%S+00:00"

_STAMP = re.compile(
    r"^(\d{4})(?:-?(\d{2})(?:-?(\d{2})(?:[T ]?(\d{2})(?::?(\d{2})(?::?(\d{2}))?)?)?)?)?"
    r"(?:Z|[+-]00:?00)?$"
)


def now() -> datetime:
    return datetime.now(UTC)


def parse_iso(value: str | None, *, naive_is_utc: bool = True) -> datetime | None:
    """An ISO 8601 date-time (``Z`` or an offset; none: UTC, or left naive for a page's own
    local time), or None when it is not one."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo or not naive_is_utc else when.replace(tzinfo=UTC)


def iso_utc(value: str | None) -> str | None:
    """A stored date as the index sorts it: UTC ``…Z`` when it has an offset, as given when it
    has none (a day, or a page's local time)."""
    parsed = parse_iso(value, naive_is_utc=False)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.strftime("%Y-%m-%dT%H:%M:%S")
    return parsed.astimezone(UTC).strftime(INDEX_UTC_FORMAT)


def fetched_at(when: datetime) -> str:
    """The ``fetched_at`` of a row: UTC, seconds, ``+00:00``."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


def warc_date(when: datetime) -> str:
    """WARC-Date: UTC with microseconds, as warcio writes it."""
    return str(datetime_to_iso_date(when.astimezone(UTC).replace(tzinfo=None), use_micros=True))


def warc_date_as_fetched_at(value: str) -> str:
    """A WARC-Date as a row's ``fetched_at``."""
    return fetched_at(timestamp_to_datetime(iso_date_to_timestamp(value)).replace(tzinfo=UTC))


def timestamp(value: str) -> str:
    """A WARC-Date (or any ISO date-time) as a 14-digit timestamp."""
    return str(iso_date_to_timestamp(value))


def timestamp_of(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def fetched_timestamp(value: str) -> str:
    """A row's ``fetched_at`` as the 14-digit timestamp of its capture."""
    when = parse_iso(value)
    if when is None:
        raise ValueError(f"not a date-time: {value!r}")
    return timestamp_of(when)


def timestamp_iso(stamp: str) -> str:
    """``20240516083000`` → ``2024-05-16T08:30:00Z``."""
    return str(timestamp_to_iso_date(stamp.ljust(14, "0")))


def timestamp_shown(stamp: str) -> str:
    """``20240516083000`` → ``16 May 2024, 08:30:00 UTC``: for people, in the UI."""
    when: datetime = timestamp_to_datetime(stamp.ljust(14, "0"))
    return f"{when.day} {when:%B %Y, %H:%M:%S} UTC"


def timestamp_seconds(stamp: str) -> float:
    when: datetime = timestamp_to_datetime(stamp.ljust(14, "0"))
    return when.replace(tzinfo=UTC).timestamp()


def parse_user_time(value: str) -> str:
    """What a user types for a time (``2024``, ``2024-05-16``, ``2024-05-16T08:30``,
    ``20240516083000``…) → 14 digits, UTC. Missing parts are the start of the period, so
    ``2024-05`` means 1 May 2024, 00:00. Raises ValueError for anything else."""
    match = _STAMP.match(value.strip())
    if not match:
        raise ValueError(f"not a date or timestamp: {value!r} (try 2024-05-16 or 20240516083000)")
    defaults = (0, 1, 1, 0, 0, 0)
    y, mo, d, h, mi, s = (
        int(p) if p else default for p, default in zip(match.groups(), defaults, strict=True)
    )
    try:
        when = datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except ValueError as error:
        raise ValueError(f"not a date or timestamp: {value!r} ({error})") from None
    return timestamp_of(when)


def parse_day_or_time(value: str) -> date | datetime:
    """``2024-05-16`` → a day; an ISO 8601 date-time → that time. Raises ValueError."""
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
