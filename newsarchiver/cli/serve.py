"""``newsarchiver serve``: the archive in a browser."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from types import FrameType

import click

from ..errors import ReplayUnavailable
from ..layout import ArchiveLayout
from .common import console, main, out, output_option


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--replay-port",
    type=click.IntRange(0, 65535),
    help="Port of the replay origin.  [default: --port + 1]",
)
@click.option(
    "--public-name",
    "public_names",
    multiple=True,
    metavar="NAME",
    help="A Host name to answer to besides the listening address (a DNS name, a proxy's).",
)
@output_option
def serve(
    host: str, port: int, replay_port: int | None, public_names: tuple[str, ...], output: Path
) -> None:
    """Search and read the archive in a browser, and replay archived pages (through pywb).

    Listens on 127.0.0.1 only unless --host says otherwise, and answers only requests for its
    own names (DNS rebinding). Archived pages replay on an origin of their own (--replay-port),
    so their scripts cannot read the archive's UI. Nothing is fetched from the live web: a page
    that was never archived says so.

    \b
    Example:
      newsarchiver serve --port 8080      # then open http://127.0.0.1:8080/
    """
    from ..web.server import serve as run

    ArchiveLayout(output).require()

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # stop pywb too when a service manager stops us

    def ready(url: str, replay: str) -> None:
        out.print(
            f"Serving {output} at {url}  (replay at {replay}; Ctrl-C stops)",
            highlight=False,
            soft_wrap=True,
        )
        sys.stdout.flush()

    try:
        run(
            output,
            host=host,
            port=port,
            replay_port=replay_port,
            public_names=public_names,
            ready=ready,
            say=lambda line: console.print(line, highlight=False, soft_wrap=True),
        )
    except KeyboardInterrupt:
        console.print("stopped")
    except (OSError, ReplayUnavailable) as error:  # a port in use; pywb that would not start
        raise click.ClickException(f"cannot serve: {error}") from None


@main.command("setup-replay")
def setup_replay() -> None:
    """Make pywb's environment now (serve makes it the first time it is needed).

    pywb pins libraries scale-out needs newer, so it runs from an environment of its own:
    PREFIX/newsarchiver-pywb beside newsarchiver's, or the interpreter NEWSARCHIVER_PYWB_PYTHON
    names. Prints the interpreter that runs pywb.
    """
    from ..web.pywbenv import ensure_pywb

    try:
        python = ensure_pywb(lambda line: console.print(line, highlight=False, soft_wrap=True))
    except ReplayUnavailable as error:
        raise click.ClickException(str(error)) from None
    out.print(str(python), highlight=False, soft_wrap=True)
