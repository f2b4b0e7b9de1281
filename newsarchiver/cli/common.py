"""What every command shares: the group, the consoles, the output option."""

from __future__ import annotations

import logging
from pathlib import Path

import click
from rich.console import Console

from .. import __version__

#: progress, warnings and errors
console = Console(stderr=True)
#: results: what a user pipes or redirects
out = Console(highlight=False)

#: the archive directory option every command that reads or writes an archive takes
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Output directory (the archive).",
)


class ConsoleLogHandler(logging.Handler):
    """One console line per warning, printed above a live progress line if there is one."""

    def emit(self, record: logging.LogRecord) -> None:
        console.print(
            f"{record.levelname}: {record.getMessage()}",
            markup=False,
            highlight=False,
            soft_wrap=True,
            style="yellow",
        )


console_log_handler = ConsoleLogHandler(logging.WARNING)


@click.group()
@click.version_option(__version__, prog_name="newsarchiver")
def main() -> None:
    """Crawl news sites into clean JSONL articles and faithful WARC archives."""
    logging.getLogger().addHandler(console_log_handler)  # a no-op when already there


def print_error(message: str) -> None:
    """One line on stderr, never wrapped: users grep these and paths are long."""
    console.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True, style="red")


def human_size(count: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count} B"
