"""The replay origin: ``/replay/…`` and pywb's ``/static/…``, passed to pywb, and nothing else.

pywb runs in framed mode: a page's address without a modifier (``/replay/<time>/<url>``) is the
UI's frame page (the banner with the capture's time and timeline), which shows the content,
``/replay/<time>mp_/<url>``, from this origin in an iframe.

A replay of a URL that was never archived is answered here with "not archived", before pywb,
so nothing is fetched from the live web. Every other path is a 404: the archive's search and
articles live on the UI's origin, which an archived script here cannot read.
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from ..warc.cdxj import CaptureIndex
from .origins import Origins
from .pages import Pages

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


def is_replay(path: str) -> bool:
    return path.startswith(("/replay/", "/static/"))


@dataclass(frozen=True)
class ReplayTarget:
    """What a ``/replay/…`` address asks for: a time (maybe partial), pywb's modifier, a URL."""

    timestamp: str
    modifier: str | None
    url: str

    @property
    def is_page(self) -> bool:
        """The page itself, framed by the banner (no modifier), rather than its content."""
        return self.modifier is None


def replay_target(raw: str) -> ReplayTarget | None:
    match = _REPLAY.match(raw)
    if match is None:
        return None
    return ReplayTarget(match.group(1), match.group(2), match.group(3))


def raw_uri(request: Request) -> str:
    """The path as the browser sent it (pywb needs the archived URL unnormalised)."""
    return str(
        request.environ.get("RAW_URI")
        or request.environ.get("REQUEST_URI")
        or (
            quote(request.path)
            + (f"?{request.query_string.decode()}" if request.query_string else "")
        )
    )


class ReplayApp:
    def __init__(
        self,
        output: Path,
        pywb_address: tuple[str, int] | None,
        origins: Origins | None = None,
    ) -> None:
        self.captures = CaptureIndex(output)
        self.pywb_address = pywb_address
        self.origins = origins
        self.pages = Pages()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        return self.dispatch(request)(environ, start_response)

    def render(self, request: Request, template: str, status: int, **context: Any) -> Response:
        ui = self.origins.ui(request) if self.origins else ""
        return self.pages.render(template, status, ui=ui, **context)

    def dispatch(self, request: Request) -> Response:
        if not is_replay(request.path):
            return self.render(
                request, "message.html", 404, title="Not found", message=request.path
            )
        raw = raw_uri(request)
        target = replay_target(raw)
        if target and target.modifier in (None, "mp_"):
            if not self.captures.lookup(target.url):
                return self.render(request, "not_archived.html", 404, url=target.url)
            if target.is_page and self.origins:  # the page: in the banner's frame, on the UI
                return redirect(self.origins.ui(request) + raw, code=302)
        if self.pywb_address is None:
            return self.render(
                request, "message.html", 503, title="Replay off", message="pywb is not running"
            )
        return self._proxy(request, raw, self.pywb_address)

    def _proxy(self, request: Request, raw: str, pywb: tuple[str, int]) -> Response:
        """The request to pywb as it came (Host kept: pywb writes links with it)."""
        connection = http.client.HTTPConnection(pywb[0], pywb[1], timeout=60)
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower() not in _HOP_BY_HOP
        }
        body = request.get_data() if request.method in ("POST", "PUT") else None
        try:
            connection.request(request.method, raw, body=body, headers=headers)
            upstream = connection.getresponse()
        except OSError as error:  # pywb gone (killed, crashed): say so, keep serving the rest
            connection.close()
            return self.render(
                request, "message.html", 502, title="Replay unavailable", message=f"pywb: {error}"
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
