"""Run the web app and its pywb process together, and keep the article index caught up.

Web requests only read the index; one background thread is its writer here, ingesting what
crawls running beside the server append, so a page never waits on (or blocks) a write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from werkzeug.serving import make_server

from ..articles.index import catch_up
from ..errors import IndexUnavailable
from .app import ArchiveWebApp
from .pywbprocess import PywbProcess

logger = logging.getLogger(__name__)

#: seconds between two catch-ups of the article index while serving
CATCH_UP_EVERY = 5.0


def keep_index_current(output: Path, stop: threading.Event) -> threading.Thread:
    def run() -> None:
        while True:
            try:
                catch_up(output)
            except IndexUnavailable as error:  # shown by the pages; keep serving what is there
                logger.warning("%s", error)
            if stop.wait(CATCH_UP_EVERY):
                return

    thread = threading.Thread(target=run, name="newsarchiver-index", daemon=True)
    thread.start()
    return thread


def serve(
    output: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; ``ready`` gets the address once both servers listen."""
    stop = threading.Event()
    keep_index_current(output, stop)
    with PywbProcess(output) as pywb:
        app = ArchiveWebApp(output, pywb.address)
        server = make_server(host, port, app, threaded=True)
        shown = f"[{host}]" if ":" in host else host
        if ready:
            ready(f"http://{shown}:{server.server_port}/")
        try:
            server.serve_forever()
        finally:
            stop.set()
            server.server_close()
