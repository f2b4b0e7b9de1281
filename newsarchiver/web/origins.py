"""The two origins ``serve`` answers on, and the Host names it answers to.

Archived pages run the scripts their sites sent. Served on the UI's own origin, such a script
could read every search result and article of the archive with one ``fetch``; so replay gets an
origin of its own (another port: browsers isolate origins by scheme, host *and* port, as
webrecorder's tools keep the app apart from replayed content). Links between the two are built
from the Host name the browser used, so a user who typed ``localhost`` stays on ``localhost``.

The Host check guards against DNS rebinding: a page on ``evil.example`` whose name later resolves
to 127.0.0.1 would otherwise talk to the archive as if it were the user's own browser tab.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Request, Response

#: names every loopback-bound server answers to
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARD = frozenset({"", "0.0.0.0", "::"})


def _bare(host: str) -> str:
    """``[::1]:8080`` → ``::1``; ``Example.ORG:80`` → ``example.org``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allowed_hosts(listen: str, also: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server listening on ``listen`` answers to: the address it listens on,
    the loopback names, and for a wildcard address this machine's own names; plus ``also``
    (the names users type when a reverse proxy or a DNS name stands in front)."""
    names = set(LOOPBACK_NAMES) | {_bare(name) for name in also}
    listen = _bare(listen)
    if listen in _WILDCARD:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    elif not _is_loopback(listen):
        names.add(listen)
    return frozenset(name for name in names if name)


@dataclass(frozen=True)
class Origins:
    """Where the UI and the replay listen; each address is built for the request at hand."""

    ui_port: int
    replay_port: int
    allowed: frozenset[str] = LOOPBACK_NAMES

    def _origin(self, request: Request, port: int) -> str:
        host = _bare(request.host)
        shown = f"[{host}]" if ":" in host else host
        return f"{request.scheme}://{shown}:{port}"

    def ui(self, request: Request) -> str:
        return self._origin(request, self.ui_port)

    def replay(self, request: Request) -> str:
        return self._origin(request, self.replay_port)

    def answers(self, request: Request) -> bool:
        return _bare(request.host) in self.allowed


class HostCheck:
    """WSGI middleware: a request for a Host name not in ``origins.allowed`` gets a 400."""

    def __init__(self, app: Any, origins: Origins) -> None:
        self.app = app
        self.origins = origins

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if not self.origins.answers(request):
            refused = Response(
                f"unknown Host {request.host!r}: serve answers only its own names "
                "(start it with --host or --public-name to add one)\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
            return refused(environ, start_response)
        return self.app(environ, start_response)
