"""The HTML pages of both origins, rendered by Jinja with autoescaping on.

Archived titles and texts are whatever a site sent, so nothing of theirs is ever markup here.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from ..articles.query import HIGHLIGHT_END, HIGHLIGHT_START
from ..dates import timestamp_iso, timestamp_shown
from ..warc.cdxj import Capture


def highlight(snippet: str | None) -> Markup:
    """A search snippet with matches in <mark>, everything else escaped."""
    text = str(escape(snippet or ""))
    return Markup(text.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def replay_path(capture_or_ts: Capture | str, url: str) -> str:
    """/replay/<timestamp>/<url>: on the UI's origin the page in the banner's frame (the replay
    origin sends such an address there too)."""
    timestamp = capture_or_ts.timestamp if isinstance(capture_or_ts, Capture) else capture_or_ts
    return f"/replay/{timestamp}/{url}"


class Pages:
    def __init__(self) -> None:
        self.templates = Environment(
            loader=PackageLoader("newsarchiver.web", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
        )
        self.templates.filters["highlight"] = highlight
        self.templates.filters["when"] = timestamp_iso
        self.templates.filters["when_shown"] = timestamp_shown
        self.templates.globals["replay_path"] = replay_path

    def render(
        self, template: str, status: int = 200, *, ui: str = "", replay: str = "", **context: Any
    ) -> Response:
        """``ui`` and ``replay`` are the two origins ("" for this one): links between them."""
        html = self.templates.get_template(template).render(ui=ui, replay=replay, **context)
        return Response(html, status=status, content_type="text/html; charset=utf-8")
