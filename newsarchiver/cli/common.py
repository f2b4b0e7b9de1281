"""What every command shares: the group, the consoles, the output option."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from .. import __version__
from ..addon import DEFAULTS
from ..crawl.options import CrawlKnobs
from ..errors import NewsarchiverError, QueryError

F = TypeVar("F", bound=Callable[..., Any])

#: rich's width for a stream that is no terminal is 80 columns, which splits piped headers,
#: URLs and table cells over lines; there a line is as long as what it holds
_PIPED_WIDTH = 100_000


def _console(**options: Any) -> Console:
    made = Console(soft_wrap=True, **options)
    if not made.is_terminal:
        made.width = _PIPED_WIDTH
    return made


#: progress, warnings and errors
console = _console(stderr=True)
#: results: what a user pipes or redirects
out = _console(highlight=False)


@contextmanager
def progress(first: str) -> Iterator[Callable[[str], None]]:
    """A live line on stderr while a long command works ("site.warc.gz: 1200 pages read…"),
    replaced as the work goes on and gone when it ends, so only the summary stays. On a
    terminal only: a pipe or a log file gets the summary alone."""
    if not console.is_terminal:
        yield lambda _: None
        return
    with console.status(first) as status:
        yield lambda text: status.update(text)


#: the archive directory option every command that reads or writes an archive takes
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Output directory (the archive).",
)


#: loggers whose warnings repeat what the spider's one-line error already says
_REPEATS_SPIDER_ERROR = (
    "scrapy.downloadermiddlewares.retry",
    "scrapy.core.downloader.handlers.http11",
    # robots.txt that cannot be fetched: the page itself then fails with its own line, or is
    # fetched (Scrapy then allows all); crawl.log keeps Scrapy's raw "Error downloading"
    "scrapy.downloadermiddlewares.robotstxt",
)


#: Scrapy's answer to the first Ctrl-C/SIGTERM, which it logs (to crawl.log) at INFO only:
#: without it a user sees nothing while requests in flight finish, for up to DOWNLOAD_TIMEOUT
_SHUTDOWN_LOGGER, _SHUTDOWN_START = "scrapy.crawler", "Received "
STOPPING = (
    "stopping: letting the requests in flight finish and keeping the job state, so the same "
    "command resumes; press Ctrl-C again to stop at once"
)


class ConsoleLogHandler(logging.Handler):
    """One console line per warning, printed above a live progress line if there is one; and
    one line when a crawl starts to stop."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _is_shutdown(record):
            return True
        return (
            record.levelno >= logging.WARNING
            and record.name not in _REPEATS_SPIDER_ERROR
            and super().filter(record)
        )

    def emit(self, record: logging.LogRecord) -> None:
        if _is_shutdown(record):
            if "twice" not in str(record.msg):
                console.print(STOPPING, markup=False, highlight=False, soft_wrap=True)
            return
        console.print(
            f"{record.levelname}: {_one_line(record)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
            style="yellow",
        )


def _one_line(record: logging.LogRecord) -> str:
    """The record's message on one line. asyncio reports an exception in a callback as the
    callback's repr and its handle over two lines: the exception says more, in one."""
    if record.name == "asyncio" and record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        return f"{type(error).__name__}: {error}".splitlines()[0]
    return " ".join(record.getMessage().splitlines())


def _is_shutdown(record: logging.LogRecord) -> bool:
    return record.name == _SHUTDOWN_LOGGER and str(record.msg).startswith(_SHUTDOWN_START)


console_log_handler = ConsoleLogHandler(logging.INFO)


#: what the library calls an argument → the flag a user typed
FLAGS = {
    "text": "search text",
    "fields": "--fields",
    "sort": "--sort",
    "count_by": "--count-by",
    "sql": "--sql",
}


class ArchiveGroup(click.Group):
    """The one place a library error becomes the one ``Error: …`` line (exit 1)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except QueryError as error:
            raise click.ClickException(error.named(FLAGS)) from None
        except NewsarchiverError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=ArchiveGroup)
@click.version_option(__version__, prog_name="newsarchiver")
def main() -> None:
    """Crawl news sites into clean JSONL articles and faithful WARC archives."""
    # the command line is the application: its warnings go to the console, one line each,
    # and a log file that cannot be written (a full disk) prints no traceback per record:
    # the failed write of the archive itself is reported, once
    logging.getLogger().addHandler(console_log_handler)  # a no-op when already there
    logging.raiseExceptions = False


def print_error(message: str) -> None:
    """One line on stderr, never wrapped: users grep these and paths are long."""
    console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True, style="red")


def human_size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count} B"


def knob_options(command: F) -> F:
    """The crawl knobs (crawl/options.py) as options, for ``crawl`` and ``sites add/edit``.

    Every one defaults to "not given", so ``sites edit`` changes only what is typed and a crawl
    keeps the knobs' own defaults; :func:`knob_values` takes the given ones back out."""
    for knob in reversed(fields(CrawlKnobs)):
        kind, minimum = knob.metadata["kind"], knob.metadata["min"]
        if knob.name == "obey_robots":  # said as what a user does about robots.txt
            option = click.option(
                "--ignore-robots/--obey-robots",
                "ignore_robots",
                default=None,
                help="Do not obey robots.txt (only for your own sites) [default: obey].",
            )
        elif kind is bool:
            flag = knob.name.replace("_", "-")
            option = click.option(
                f"--{flag}/--no-{flag}",
                knob.name,
                default=None,
                help=f"{knob.metadata['help']} [default: {'yes' if knob.default else 'no'}]",
            )
        else:
            ranged: Any = kind
            if kind is int:
                ranged = click.IntRange(min=minimum)
            elif kind is float:
                ranged = click.FloatRange(min=minimum)
            option = click.option(
                "--" + knob.name.replace("_", "-"),
                type=ranged,
                default=None,
                help=knob.metadata["help"],
            )
        command = option(command)
    return command


def knob_values(values: dict[str, Any]) -> dict[str, Any]:
    """The knobs given on the command line, taken out of a command's ``values``."""
    given = {name: values.pop(name, None) for name in CrawlKnobs.names() if name != "obey_robots"}
    ignore = values.pop("ignore_robots", None)
    if ignore is not None:
        given["obey_robots"] = not ignore
    return {name: value for name, value in given.items() if value is not None}


def _check_redis(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise click.BadParameter(f"{value!r} is not a redis:// URL", ctx, param)
    return value


def redis_option(required: bool) -> Callable[[F], F]:
    option: Callable[[F], F] = click.option(
        "--redis-url",
        envvar="REDIS_URL",
        required=required,
        callback=_check_redis,
        help="The Redis server of a shared crawl, e.g. redis://queue-host:6379/0 [env REDIS_URL].",
    )
    return option


key_prefix_option = click.option(
    "--key-prefix",
    default=DEFAULTS["SCALEOUT_KEY_PREFIX"],
    show_default=True,
    help="What every Redis key of this shared crawl starts with (SCALEOUT_KEY_PREFIX).",
)
