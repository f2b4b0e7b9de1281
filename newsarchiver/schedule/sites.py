"""Site configs: what to crawl of each site and when, in one TOML file (``OUTPUT/sites.toml``).

    [sites.tagesblatt]
    start_urls = ["https://www.tagesblatt.example/"]
    every = "30m"                   # or: cron = "*/30 * * * *"
    feeds = ["https://www.tagesblatt.example/feed.xml"]
    deny = ["/video/", "/live/"]    # URL patterns (regular expressions) never fetched
    allow = ["-a-\\d+\\.html$"]       # only URLs like these are fetched as articles
    drop_selectors = [".newsletter-box"]   # CSS selectors removed before extraction
    recheck_hours = 48              # articles archived this recently are fetched again
    max_articles = 500
    delay = 1.0

The file is read whole and checked before any crawl starts: a TOML error names its line, a
wrong key or value names the site and key. It is written by ``sites add/edit/remove`` through
a temporary file and a rename, so it is never half written.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import tomli_w
from croniter import croniter

from ..crawl.options import CrawlKnobs
from ..errors import SiteConfigError
from ..files import replacing
from ..layout import ArchiveLayout

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_EVERY = re.compile(r"^\s*(\d+)\s*(m|min|h|d)\s*$")
_UNIT_SECONDS = {"m": 60, "min": 60, "h": 3600, "d": 86400}


def sites_path(output: Path, override: Path | None = None) -> Path:
    return override if override is not None else ArchiveLayout(output).sites_file


def parse_every(value: str) -> timedelta:
    """``30m``, ``2h``, ``1d`` → a period of at least a minute."""
    match = _EVERY.match(value)
    if not match or int(match.group(1)) == 0:
        raise SiteConfigError(f"every: {value!r} is not a period like 30m, 2h or 1d")
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])


@dataclass
class Site:
    name: str
    start_urls: list[str]
    every: str | None = None
    cron: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    #: more domains whose links count as the site's (its own are allowed already)
    allowed_domains: list[str] = field(default_factory=list)
    allow: list[str] = field(default_factory=list)
    deny: list[str] = field(default_factory=list)
    drop_selectors: list[str] = field(default_factory=list)
    #: articles first archived less than this long ago are fetched again (conditionally)
    recheck_hours: float = 48.0
    #: limits and politeness, the same knobs as a crawl's (flat keys in the TOML file)
    knobs: CrawlKnobs = field(default_factory=CrawlKnobs)

    def check(self) -> None:
        where = f"site {self.name!r}"
        if not _NAME.match(self.name):
            raise SiteConfigError(
                f"{where}: a name is lowercase letters, digits, '-' and '_' (up to 63)"
            )
        if not self.start_urls and not self.feeds and not self.sitemaps:
            raise SiteConfigError(f"{where}: needs start_urls (or feeds or sitemaps)")
        for url in [*self.start_urls, *self.feeds, *self.sitemaps]:
            if not re.match(r"^https?://[^/\s]+", url):
                raise SiteConfigError(f"{where}: {url!r} is not an http(s) URL")
        if self.every and self.cron:
            raise SiteConfigError(f"{where}: give either every or cron, not both")
        if self.every:
            try:
                parse_every(self.every)
            except SiteConfigError as error:
                raise SiteConfigError(f"{where}: {error}") from None
        if self.cron and not croniter.is_valid(self.cron):
            raise SiteConfigError(f"{where}: cron: {self.cron!r} is not a cron expression")
        for key in ("allow", "deny"):
            for pattern in getattr(self, key):
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise SiteConfigError(f"{where}: {key}: {pattern!r}: {error}") from None
        if self.recheck_hours < 0:
            raise SiteConfigError(f"{where}: recheck_hours must be 0 or more")

    @property
    def schedule(self) -> str:
        if self.cron:
            return f"cron {self.cron}"
        return f"every {self.every}" if self.every else "by hand"

    def next_run(self, last_start: datetime | None, now: datetime) -> datetime | None:
        """When the site is due: never run → now; missed runs → now, once (not one per miss)."""
        if not self.every and not self.cron:
            return None
        if last_start is None:
            return now
        if self.every:
            due = last_start + parse_every(self.every)
        else:
            due = croniter(self.cron, last_start).get_next(datetime)
        return max(due, now) if due < now else due

    def to_toml(self) -> dict[str, Any]:
        """Only what differs from the defaults, so the file stays short and readable."""
        defaults = Site(self.name, [])
        flat = {**asdict(self), **asdict(self.knobs)}
        default = {**asdict(defaults), **asdict(defaults.knobs)}
        return {
            name: value
            for name, value in flat.items()
            if name not in ("name", "knobs") and value != default[name] and value is not None
        }

    def changed(self, **changes: Any) -> Site:
        """A copy with some settings changed (knobs by their own names too)."""
        knobs = {k: changes.pop(k) for k in list(changes) if k in CrawlKnobs.names()}
        return replace(self, knobs=replace(self.knobs, **knobs), **changes)


_FIELDS = {f.name: f for f in fields(Site) if f.name != "knobs"} | {
    f.name: f for f in fields(CrawlKnobs)
}


def _site_from(name: str, data: Any) -> Site:
    if not isinstance(data, dict):
        raise SiteConfigError(f"site {name!r}: expected a table of settings")
    unknown = sorted(set(data) - set(_FIELDS) - {"name"})
    if unknown:
        raise SiteConfigError(
            f"site {name!r}: unknown key {unknown[0]!r} (known: {', '.join(sorted(_FIELDS))})"
        )
    values = {k: v for k, v in data.items() if k != "name"}
    for key in ("start_urls", "feeds", "sitemaps", "allowed_domains", "allow", "deny",
                "drop_selectors"):  # fmt: skip
        value = values.get(key, [])
        if isinstance(value, str):
            values[key] = [value]
        elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise SiteConfigError(f"site {name!r}: {key} must be a list of strings")
    kinds: dict[str, Any] = {"recheck_hours": float} | {
        f.name: f.metadata["kind"] for f in fields(CrawlKnobs)
    }
    for key, kind in kinds.items():
        accepted = (int, float) if kind is float else kind
        value = values.get(key)
        wrong = isinstance(value, bool) and kind is not bool  # True is an int to Python
        if key in values and (wrong or not isinstance(value, accepted)):
            raise SiteConfigError(f"site {name!r}: {key}: {value!r} has the wrong type")
    knobs = CrawlKnobs(**{k: values.pop(k) for k in CrawlKnobs.names() if k in values})
    site = Site(name=name, knobs=knobs, **values)
    site.check()
    return site


def load_sites(path: Path) -> dict[str, Site]:
    """Every site in the file, checked; an absent file is no sites."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # its message ends "(at line L, column C)"
        raise SiteConfigError(f"{path}: {error}") from None
    sites = data.get("sites", {})
    unknown = sorted(set(data) - {"sites"})
    if unknown or not isinstance(sites, dict):
        raise SiteConfigError(f"{path}: expected only [sites.NAME] tables, found {unknown[0]!r}")
    try:
        return {name: _site_from(name, value) for name, value in sites.items()}
    except (SiteConfigError, TypeError) as error:
        raise SiteConfigError(f"{path}: {error}") from None


def save_sites(path: Path, sites: dict[str, Site]) -> None:
    document = {"sites": {name: site.to_toml() for name, site in sorted(sites.items())}}
    text = (
        "# newsarchiver sites: `newsarchiver sites add/edit/remove` keep this file valid.\n"
        + tomli_w.dumps(document)
    )
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
