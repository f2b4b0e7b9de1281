"""Run the UI, the replay origin and pywb together, and keep the article index caught up.

Web requests only read the index; one background thread is its writer here, ingesting what
crawls running beside the server append, so a page never waits on (or blocks) a write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from werkzeug.serving import make_server

from ..articles.index import catch_up
from ..errors import IndexUnavailable
from .app import ArchiveWebApp
from .origins import HostCheck, Origins, allowed_hosts
from .pywbprocess import PywbProcess
from .replayapp import ReplayApp

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
    replay_port: int | None = None,
    public_names: Iterable[str] = (),
    ready: Callable[[str, str], None] | None = None,
    say: Callable[[str], None] = lambda _: None,
) -> None:
    """Serve until interrupted: the UI on ``port``, replay on ``replay_port`` (default the next
    port; any free one when ``port`` is 0); ``ready`` gets both addresses once all listen;
    ``say`` what is being set up first (pywb's environment, the first time)."""
    stop = threading.Event()
    keep_index_current(output, stop)
    with PywbProcess(output, say=say) as pywb:
        if replay_port is None:
            replay_port = port + 1 if port else 0
        # both sockets bound before either app exists: each links to the other's real port
        ui_server = make_server(host, port, _unset, threaded=True)
        try:
            replay_server = make_server(host, replay_port, _unset, threaded=True)
        except OSError:
            ui_server.server_close()
            raise
        origins = Origins(
            ui_server.server_port, replay_server.server_port, allowed_hosts(host, public_names)
        )
        ui_server.app = HostCheck(ArchiveWebApp(output, origins), origins)
        replay_server.app = HostCheck(ReplayApp(output, pywb.address, origins), origins)
        replaying = threading.Thread(
            target=replay_server.serve_forever, name="newsarchiver-replay", daemon=True
        )
        replaying.start()
        shown = f"[{host}]" if ":" in host else host
        if ready:
            ready(
                f"http://{shown}:{ui_server.server_port}/",
                f"http://{shown}:{replay_server.server_port}/",
            )
        try:
            ui_server.serve_forever()
        finally:
            stop.set()
            replay_server.shutdown()
            replay_server.server_close()
            ui_server.server_close()


def _unset(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    raise RuntimeError("a server answered before its app was set")
