"""Run the web app and its pywb process together."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import make_server

from .app import ArchiveWebApp
from .pywbprocess import PywbProcess


def serve(
    output: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; ``ready`` gets the address once both servers listen."""
    with PywbProcess(output) as pywb:
        app = ArchiveWebApp(output, pywb.address)
        server = make_server(host, port, app, threaded=True)
        shown = f"[{host}]" if ":" in host else host
        if ready:
            ready(f"http://{shown}:{server.server_port}/")
        try:
            server.serve_forever()
        finally:
            server.server_close()
