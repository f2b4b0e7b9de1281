"""The sites page's figures: per site, what the archive holds (articles, captures), when it was
captured, its last scheduled run and its articles per day.

A "site" is its key (urls.site_key, the registered domain), the one rule for "which site", so
crawled, configured and imported pages of one publisher meet in one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..articles.index import ArticleIndex
from ..articles.query import Query, count_by
from ..errors import NewsarchiverError
from ..layout import ArchiveLayout
from ..schedule.runs import Run, RunLog
from ..schedule.sites import load_sites, sites_path
from ..urls import site_key
from ..warc.sitecaptures import SiteCaptureCounts, SiteCaptures

#: days the articles-per-day chart covers, ending at the site's newest day
CHART_DAYS = 30


@dataclass(frozen=True)
class SiteOverview:
    key: str
    #: the name its pages give (og:site_name), else the configured site's, else None
    name: str | None
    articles: int
    captures: SiteCaptures | None
    #: the names it has in sites.toml (a site may be configured more than once)
    configured: list[str]
    last_run: Run | None
    #: (day, articles whose current version was archived that day), oldest first, CHART_DAYS long
    per_day: list[tuple[str, int]]

    @property
    def chart_max(self) -> int:
        return max((n for _, n in self.per_day), default=0)


def _chart(days: dict[str, int]) -> list[tuple[str, int]]:
    if not days:
        return []
    end = date.fromisoformat(max(days))
    shown = [end - timedelta(days=back) for back in range(CHART_DAYS - 1, -1, -1)]
    return [(day.isoformat(), days.get(day.isoformat(), 0)) for day in shown]


def _configured(output: Path) -> dict[str, list[str]]:
    try:
        sites = load_sites(sites_path(output))
    except NewsarchiverError:  # a broken sites.toml is the sites command's to report
        return {}
    keys: dict[str, list[str]] = {}
    for site in sites.values():
        first = next(iter([*site.start_urls, *site.feeds, *site.sitemaps]), None)
        if first:
            keys.setdefault(site_key(first), []).append(site.name)
    return keys


def _last_runs(output: Path, names: list[str]) -> dict[str, Run]:
    if not names or not ArchiveLayout(output).runs_db.exists():
        return {}
    try:
        with RunLog(output) as log:
            return {name: run for name in names if (run := log.last(name)) is not None}
    except NewsarchiverError:  # a read-only archive's run history: shown without runs
        return {}


def site_overview(
    output: Path, index: ArticleIndex | None, captures: SiteCaptureCounts
) -> list[SiteOverview]:
    """Every site with captures or articles, most articles first."""
    articles: dict[str, int] = {}
    names: dict[str, tuple[int, str]] = {}
    days: dict[str, dict[str, int]] = {}
    if index is not None:
        for row in count_by(index, Query(), ["site_key", "fetched_day"]):
            articles[row["site_key"]] = articles.get(row["site_key"], 0) + row["articles"]
            days.setdefault(row["site_key"], {})[row["fetched_day"]] = row["articles"]
        for row in count_by(index, Query(), ["site_key", "site"]):
            if row["articles"] > names.get(row["site_key"], (0, ""))[0]:
                names[row["site_key"]] = (row["articles"], row["site"])
    by_site = captures.by_site()
    configured = _configured(output)
    runs = _last_runs(output, [name for group in configured.values() for name in group])
    overview = []
    for key in sorted(set(articles) | set(by_site)):
        own = configured.get(key, [])
        started = [runs[name] for name in own if name in runs]
        overview.append(
            SiteOverview(
                key=key,
                name=names[key][1] if key in names else (own[0] if own else None),
                articles=articles.get(key, 0),
                captures=by_site.get(key),
                configured=own,
                last_run=max(started, key=lambda run: run.started_at, default=None),
                per_day=_chart(days.get(key, {})),
            )
        )
    return sorted(overview, key=lambda site: (-site.articles, site.key))
