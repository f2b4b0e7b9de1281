"""The web app: search, articles, captures; ``/replay/…`` and pywb's ``/static/…`` go to pywb.

Every page is rendered by Jinja with autoescaping on: archived titles and texts are whatever
a site sent, so nothing of theirs is ever markup here. Nothing is fetched from the live web: a
replay of a URL that was never archived is answered here with "not archived", before pywb.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from ..articles.index import ArticleIndex, open_index
from ..articles.query import HIGHLIGHT_END, HIGHLIGHT_START, Query, search
from ..dates import fetched_timestamp, timestamp_iso
from ..errors import IndexUnavailable, QueryError
from ..items import ARTICLE_FIELDS
from ..warc.cdxj import Capture, CaptureIndex

#: /replay/<timestamp><modifier>/<url>: the page itself has no modifier (or mp_)
_REPLAY = re.compile(r"^/replay/(\d{0,14})([a-z]{2}_)?/(.+)$")
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    # ours are sent instead
    "date",
    "server",
}
RESULTS_PER_PAGE = 30
#: what the library calls an argument → what the search form calls it
FORM_NAMES = {"text": "search"}


def highlight(snippet: str | None) -> Markup:
    """A search snippet with matches in <mark>, everything else escaped."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def replay_path(capture_or_ts: Capture | str, url: str) -> str:
    timestamp = capture_or_ts.timestamp if isinstance(capture_or_ts, Capture) else capture_or_ts
    return f"/replay/{timestamp}/{url}"


class ArchiveWebApp:
    def __init__(self, output: Path, pywb_address: tuple[str, int] | None) -> None:
        self.output = output
        self.captures = CaptureIndex(output)
        self.pywb_address = pywb_address
        self.templates = Environment(
            loader=PackageLoader("newsarchiver.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.templates.filters["highlight"] = highlight
        self.templates.filters["when"] = timestamp_iso
        self.templates.globals["replay_path"] = replay_path
        self.urls = Map(
            [
                Rule("/", endpoint="search"),
                Rule("/article", endpoint="article"),
                Rule("/captures", endpoint="captures"),
            ]
        )

    # -- WSGI ---------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/replay/") or path.startswith("/static/"):
            return self.replay(request)
        adapter = self.urls.bind_to_environ(request.environ)
        try:
            endpoint, _ = adapter.match()
            handler = getattr(self, f"page_{endpoint}")
            return handler(request)  # type: ignore[no-any-return]
        except NotFound:
            return self.render("message.html", 404, title="Not found", message=request.path)
        except HTTPException as error:
            return error  # type: ignore[return-value]

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        html = self.templates.get_template(template).render(**context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    # -- pages --------------------------------------------------------------------------------

    def _index(self) -> ArticleIndex | None:
        try:
            return open_index(self.output)
        except IndexUnavailable:
            return None

    def page_search(self, request: Request) -> Response:
        args = request.args
        form = {name: args.get(name, "").strip() for name in ("q", "site", "since", "until")}
        if form["q"].startswith(("http://", "https://")):  # an address: its captures
            return redirect(f"/captures?url={quote(form['q'], safe='')}")
        page = max(1, args.get("page", 1, type=int) or 1)
        error = None
        results: list[dict[str, Any]] = []
        index = self._index()
        if index is None:
            error = f"No articles archived in {self.output} yet."
        else:
            try:
                query = Query(
                    text=form["q"] or None,
                    site=form["site"] or None,
                    since=_date(form["since"], "since"),
                    until=_date(form["until"], "until"),
                )
                results = list(
                    search(
                        index,
                        query,
                        fields=("url", "title", "site_name", "published", "language", "snippet"),
                        limit=RESULTS_PER_PAGE + 1,  # one more: is there a next page?
                        offset=(page - 1) * RESULTS_PER_PAGE,
                    )
                )
            except QueryError as problem:
                error = problem.named(FORM_NAMES)
            finally:
                index.close()
        more = len(results) > RESULTS_PER_PAGE
        paging = {name: value for name, value in form.items() if value}
        return self.render(
            "search.html",
            form=form,
            results=results[:RESULTS_PER_PAGE],
            error=error,
            page=page,
            previous_page=urlencode({**paging, "page": page - 1}) if page > 1 else None,
            next_page=urlencode({**paging, "page": page + 1}) if more else None,
        )

    def page_article(self, request: Request) -> Response:
        url = request.args.get("url", "")
        index = self._index()
        row = None
        if index is not None:
            try:
                # every version of this URL, newest first (another URL may hold the same text)
                found = Query(url=url, all_versions=True)
                rows = search(index, found, fields=ARTICLE_FIELDS, sort="newest", limit=1)
                row = next(iter(rows), None)
            finally:
                index.close()
        captures = self.captures.lookup(url) if url else []
        if row is None and captures:  # archived, but not as an article: its captures
            return redirect(f"/captures?url={quote(url, safe='')}")
        if row is None:
            return self.render(
                "message.html", 404, title="Not archived", message=f"No article archived at {url}"
            )
        return self.render(
            "article.html",
            article=row,
            paragraphs=[p for p in row["text"].split("\n") if p.strip()],
            captures=captures,
            original=replay_path(fetched_timestamp(row["fetched_at"]), url),
        )

    def page_captures(self, request: Request) -> Response:
        url = request.args.get("url", "").strip()
        captures = self.captures.lookup(url) if url else []
        if not captures:
            return self._not_archived(url)
        return self.render("captures.html", url=url, captures=captures)

    def _not_archived(self, url: str) -> Response:
        return self.render("not_archived.html", 404, url=url)

    # -- replay through pywb ------------------------------------------------------------------

    def replay(self, request: Request) -> Response:
        raw = (
            request.environ.get("RAW_URI")
            or request.environ.get("REQUEST_URI")
            or (
                quote(request.path)
                + (f"?{request.query_string.decode()}" if request.query_string else "")
            )
        )
        match = _REPLAY.match(raw)
        if match and match.group(2) in (None, "mp_"):
            url = match.group(3)
            if not self.captures.lookup(url):
                return self._not_archived(url)
        if self.pywb_address is None:
            return self.render(
                "message.html", 503, title="Replay off", message="pywb is not running"
            )
        return self._proxy(request, raw, self.pywb_address)

    def _proxy(self, request: Request, raw_uri: str, pywb: tuple[str, int]) -> Response:
        """The request to pywb as it came (Host kept: pywb writes links with it)."""
        connection = http.client.HTTPConnection(pywb[0], pywb[1], timeout=60)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in _HOP_BY_HOP
        }
        body = request.get_data() if request.method in ("POST", "PUT") else None
        try:
            connection.request(request.method, raw_uri, body=body, headers=headers)
            upstream = connection.getresponse()
        except OSError as error:  # pywb gone (killed, crashed): say so, keep serving the rest
            connection.close()
            return self.render(
                "message.html", 502, title="Replay unavailable", message=f"pywb: {error}"
            )
        response_headers = [
            (name, value)
            for name, value in upstream.getheaders()
            if name.lower() not in _HOP_BY_HOP
        ]

        def stream() -> Iterator[bytes]:
            try:
                while chunk := upstream.read(64 * 1024):
                    yield chunk
            finally:
                connection.close()

        return Response(stream(), status=upstream.status, headers=response_headers)


def _date(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(name, f"not a date: {value!r} (use YYYY-MM-DD)") from None
