"""The web app's own origin: search, articles and their captures.

Replay lives on an origin of its own (``replayapp``): a ``/replay/…`` address asked here is
sent there. Nothing is fetched from the live web.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from itertools import islice, pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from ..articles.atom import changes_feed, summary
from ..articles.history import Change, Version, changes, compare, pair, shown_runs, versions
from ..articles.index import ArticleIndex, open_index
from ..articles.query import Query, count, search
from ..dates import fetched_timestamp
from ..errors import IndexUnavailable, NotArchived, QueryError
from ..items import ARTICLE_FIELDS
from ..warc.cdxj import Capture, CaptureIndex
from ..warc.sitecaptures import SiteCaptureCounts, captured_urls
from .origins import Origins
from .overview import CHART_DAYS, site_overview
from .pages import Pages, replay_path
from .replayapp import is_replay, raw_uri, replay_target
from .timeline import Timeline, months

RESULTS_PER_PAGE = 30
#: the search form's fields (the header's form and the links from tags, authors and sites)
#: what a search result shows
SEARCH_FIELDS = (
    *("url", "title", "site_name", "site_key", "published", "language"),
    *("authors", "tags", "page_type", "snippet"),
)
SEARCH_FORM = ("q", "site", "author", "tag", "since", "until", "uncertain")
#: changes the changes page lists (the Atom feed as many)
CHANGES_SHOWN = 100
#: what the library calls an argument → what the search form calls it
FORM_NAMES = {"text": "search"}
#: the UI's pages are never framed, embedded or read by another origin (the replay's included)
UI_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class ArchiveWebApp:
    """``origins`` None: replay links stay relative (no replay origin runs, as in unit use)."""

    def __init__(self, output: Path, origins: Origins | None = None) -> None:
        self.output = output
        self.captures = CaptureIndex(output)
        self.site_captures = SiteCaptureCounts(self.captures)
        self.origins = origins
        self.pages = Pages()
        self.templates = self.pages.templates
        self.urls = Map(
            [
                Rule("/", endpoint="search"),
                Rule("/article", endpoint="article"),
                Rule("/captures", endpoint="captures"),
                Rule("/diff", endpoint="diff"),
                Rule("/changes", endpoint="changes"),
                Rule("/changes.atom", endpoint="changes_atom"),
                Rule("/replay-banner", endpoint="replay_banner"),
                Rule("/sites", endpoint="sites"),
                Rule("/site", endpoint="site"),
            ]
        )

    # -- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        response.headers.extend(UI_HEADERS)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        target = replay_target(raw_uri(request))
        if target and target.is_page:  # the page in the banner's frame
            return self.page_replay(request, target.url, target.timestamp)
        if is_replay(request.path):  # content, raw or pywb's files: from the replay origin
            if self.origins is None:
                return self.render(
                    request, "message.html", 404, title="Replay off", message="no replay origin"
                )
            return redirect(self.origins.replay(request) + raw_uri(request), code=307)
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match()
            handler = getattr(self, f"page_{endpoint}")
            return handler(request)  # type: ignore[no-any-return]
        except NotFound:
            return self.render(
                request, "message.html", 404, title="Not found", message=request.path
            )
        except HTTPException as error:
            return error  # type: ignore[return-value]

    def replay_base(self, request: Request) -> str:
        return self.origins.replay(request) if self.origins else ""

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        return self.pages.render(template, status, replay=self.replay_base(request), **context)

    # -- pages --------------------------------------------------------------------------------

    def _index(self) -> ArticleIndex | None:
        try:
            return open_index(self.output)
        except IndexUnavailable:
            return None

    def page_search(self, request: Request) -> Response:
        args = request.args
        form = {name: args.get(name, "").strip() for name in SEARCH_FORM}
        if form["q"].startswith(("http://", "https://")):  # an address: its captures
            return redirect(f"/captures?url={quote(form['q'], safe='')}")
        page = max(1, args.get("page", 1, type=int) or 1)
        error = None
        results: list[dict[str, Any]] = []
        total = 0
        index = self._index()
        if index is None:
            error = self._no_index_message()
        else:
            try:
                query = Query(
                    text=form["q"] or None,
                    site=form["site"] or None,
                    author=form["author"] or None,
                    tags=[form["tag"]] if form["tag"] else [],
                    since=_date(form["since"], "since"),
                    until=_date(form["until"], "until"),
                    uncertain=bool(form["uncertain"]),
                )
                total = count(index, query)
                results = list(
                    search(
                        index,
                        query,
                        fields=SEARCH_FIELDS,
                        limit=RESULTS_PER_PAGE,
                        offset=(page - 1) * RESULTS_PER_PAGE,
                    )
                )
            except QueryError as problem:
                error = problem.named(FORM_NAMES)
            finally:
                index.close()
        return self.render(
            request,
            "search.html",
            form=form,
            heading=_heading(form),
            results=results,
            error=error,
            total=total,
            first=(page - 1) * RESULTS_PER_PAGE + 1,
            **_paging(form, page, total),
        )

    def _no_index_message(self) -> str:
        if self.captures.files():  # imported WARCs only, or not yet indexed: browse by site
            return "No article rows in this archive yet: browse its captures under Sites."
        return f"No articles archived in {self.output} yet."

    def page_sites(self, request: Request) -> Response:
        index = self._index()
        try:
            sites = site_overview(self.output, index, self.site_captures)
        finally:
            if index is not None:
                index.close()
        return self.render(request, "sites.html", sites=sites, chart_days=CHART_DAYS)

    def page_site(self, request: Request) -> Response:
        key = request.args.get("key", "").strip().lower()
        page = max(1, request.args.get("page", 1, type=int) or 1)
        start = (page - 1) * RESULTS_PER_PAGE
        # one more than shown: whether there is a next page
        shown = list(islice(captured_urls(self.captures, key), start, start + RESULTS_PER_PAGE + 1))
        if not shown and page == 1:
            return self.render(
                request, "message.html", 404, title="Not archived", message=f"No captures of {key}"
            )
        more = len(shown) > RESULTS_PER_PAGE
        return self.render(
            request,
            "site.html",
            key=key,
            urls=shown[:RESULTS_PER_PAGE],
            first=start + 1,
            page=page,
            pages=None,
            previous_page="/site?" + urlencode({"key": key, "page": page - 1})
            if page > 1
            else None,
            next_page="/site?" + urlencode({"key": key, "page": page + 1}) if more else None,
        )

    def page_article(self, request: Request) -> Response:
        url = request.args.get("url", "")
        index = self._index()
        row = None
        steps: list[Change] = []
        first: Version | None = None
        if index is not None:
            try:
                # every version of this URL, newest first (another URL may hold the same text)
                found = Query(url=url, all_versions=True, uncertain=True)
                rows = search(
                    index, found, fields=(*ARTICLE_FIELDS, "site_key"), sort="newest", limit=1
                )
                row = next(iter(rows), None)
                if row is not None:
                    every = versions(index, url)
                    first = every[0]
                    steps = [compare(a, b) for a, b in pairwise(every)]
            finally:
                index.close()
        captures = self._captures_of(url)
        if row is None and captures:  # archived, but not as an article: its captures
            return redirect(f"/captures?url={quote(url, safe='')}")
        if row is None:
            return self.render(
                request,
                "message.html",
                404,
                title="Not archived",
                message=f"No article archived at {url}",
            )
        return self.render(
            request,
            "article.html",
            article=row,
            paragraphs=[p for p in row["text"].split("\n") if p.strip()],
            captures=captures,
            first_version=first,
            steps=list(reversed(steps)),
            replay_of=self._replay_of(request),
            original=replay_path(fetched_timestamp(row["fetched_at"]), url),
        )

    def _replay_of(self, request: Request) -> Callable[[Version], str]:
        """A version → the replay of the capture it came from (the faithful copy)."""
        return lambda version: replay_path(fetched_timestamp(version.fetched_at), version.url)

    def _article_of(
        self, url: str, fields: tuple[str, ...] = ("url", "title", "version")
    ) -> dict[str, Any] | None:
        """The newest row at exactly this URL, any page type: what the banner links to."""
        index = self._index()
        if index is None:
            return None
        try:
            found = Query(url=url, all_versions=True, uncertain=True)
            return next(iter(search(index, found, fields=fields, sort="newest", limit=1)), None)
        finally:
            index.close()

    def _captures_of(self, url: str) -> list[Capture]:
        """The captures of a URL, or of the address a row at this URL was archived under: an
        imported page's row has the crawler's form of its address (urls.crawl_url, tracking
        parameters dropped), its capture the address as fetched."""
        captures = self.captures.lookup(url)
        if captures or not url:
            return captures
        row = self._article_of(url, fields=("warc_file", "warc_offset"))
        if not row or not row["warc_file"] or row["warc_offset"] is None:
            return []
        warc_name = self.captures.layout.warc_name(self.output / row["warc_file"])
        archived = self.captures.at_record(warc_name, row["warc_offset"])
        return self.captures.lookup(archived.url) if archived else []

    def _banner(self, url: str, timestamp: str) -> dict[str, Any] | None:
        captures = self._captures_of(url)
        if not captures:
            return None
        timeline = Timeline.at(captures, timestamp)
        shown = timeline.current.url  # as archived (the address asked may differ in "www.")
        return {"url": shown, "timeline": timeline, "article": self._article_of(shown)}

    def page_replay(self, request: Request, url: str, timestamp: str) -> Response:
        """The Wayback Machine's framed replay: a banner from this origin above the archived
        page from the replay origin."""
        banner = self._banner(url, timestamp)
        if banner is None:
            return self._not_archived(request, url)
        return self.render(request, "replay.html", **banner)

    def page_replay_banner(self, request: Request) -> Response:
        banner = self._banner(request.args.get("url", ""), request.args.get("ts", ""))
        if banner is None:
            return self._not_archived(request, request.args.get("url", ""))
        return self.render(request, "replay_banner.html", **banner)

    def page_diff(self, request: Request) -> Response:
        url = request.args.get("url", "")
        index = self._index()
        if index is None:
            return self._not_archived(request, url)
        try:
            every = versions(index, url)
            older, newer = pair(
                every, request.args.get("from", type=int), request.args.get("to", type=int)
            )
        except NotArchived:
            return self._not_archived(request, url)
        except QueryError as problem:
            return self.render(
                request, "message.html", 404, title="No such version", message=problem.problem
            )
        finally:
            index.close()
        change = compare(older, newer)
        return self.render(
            request,
            "diff.html",
            url=url,
            change=change,
            runs=shown_runs(change),
            versions=every,
            replay_of=self._replay_of(request),
        )

    def _changes(self, request: Request) -> tuple[dict[str, str], list[Change], str | None]:
        args = request.args
        form = {name: args.get(name, "").strip() for name in ("since", "site", "min_words")}
        form["headline_only"] = "1" if args.get("headline_only") else ""
        index = self._index()
        if index is None:
            return form, [], self._no_index_message()
        try:
            found = list(
                changes(
                    index,
                    since=_date(form["since"], "since"),
                    site=form["site"] or None,
                    min_words=int(form["min_words"]) if form["min_words"].isdigit() else 0,
                    headline_only=bool(form["headline_only"]),
                    limit=CHANGES_SHOWN,
                )
            )
        except QueryError as problem:
            return form, [], problem.named(FORM_NAMES)
        finally:
            index.close()
        return form, found, None

    def page_changes(self, request: Request) -> Response:
        form, found, error = self._changes(request)
        given = {name: value for name, value in form.items() if value}
        return self.render(
            request,
            "changes.html",
            changes_form=form,
            changes=found,
            error=error,
            summary=summary,
            atom="/changes.atom" + (f"?{urlencode(given)}" if given else ""),
        )

    def page_changes_atom(self, request: Request) -> Response:
        _, found, _ = self._changes(request)
        feed = changes_feed(
            found,
            feed_id=f"urn:newsarchiver:changes:{self.output.resolve()}",
            title=f"Changes in {self.output.name}",
        )
        return Response(feed, content_type="application/atom+xml; charset=utf-8")

    def page_captures(self, request: Request) -> Response:
        url = request.args.get("url", "").strip()
        captures = self._captures_of(url)
        if not captures:
            return self._not_archived(request, url)
        return self.render(
            request,
            "captures.html",
            url=url,
            captures=captures,
            months=months(captures),
            article=self._article_of(captures[-1].url),
        )

    def _not_archived(self, request: Request, url: str) -> Response:
        return self.render(request, "not_archived.html", 404, url=url)


def _heading(form: dict[str, str]) -> str:
    """What the results are, in words: "Articles matching “x” from tagesblatt.de"."""
    parts = [f"matching “{form['q']}”"] if form["q"] else []
    parts += [f"by {form['author']}"] if form["author"] else []
    parts += [f"tagged “{form['tag']}”"] if form["tag"] else []
    parts += [f"from {form['site']}"] if form["site"] else []
    parts += [f"published since {form['since']}"] if form["since"] else []
    parts += [f"published until {form['until']}"] if form["until"] else []
    if not parts:
        return "Latest articles"
    return "Articles " + " ".join(parts)


def _paging(form: dict[str, str], page: int, total: int) -> dict[str, Any]:
    pages = max(1, -(-total // RESULTS_PER_PAGE))
    given = {name: value for name, value in form.items() if value}
    return {
        "page": page,
        "pages": pages,
        "previous_page": "/?" + urlencode({**given, "page": page - 1}) if page > 1 else None,
        "next_page": "/?" + urlencode({**given, "page": page + 1}) if page < pages else None,
    }


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(name, f"not a date: {value!r} (use YYYY-MM-DD)") from None
