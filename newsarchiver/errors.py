"""Every error newsarchiver raises on purpose, under one base.

A caller catches :class:`NewsarchiverError` to handle all of them (the CLI prints its message as
one ``Error: …`` line; the web app shows it on the page); the subclasses say what went wrong, in
the manner of httpx's and pywb's exception trees. Messages name the argument at fault as the
library knows it (``fields``, ``sort``); the CLI and the web app name their own flag or field.
Scrapy's control-flow exceptions (``AlreadyArchived``, ``RedirectLoop``: IgnoreRequest subclasses
that drop a request) are not errors and stay with the middlewares that raise them.
"""

from __future__ import annotations

from pathlib import Path


class NewsarchiverError(Exception):
    """Base of the tree; its message is one line a user can act on."""


class ArchiveNotFound(NewsarchiverError):
    """The output directory holds no archive (no articles, no WARC files, no index)."""


class IndexUnavailable(NewsarchiverError):
    """The article index cannot be opened or updated (corrupt file, read-only archive, …)."""


class QueryError(NewsarchiverError, ValueError):
    """A query that cannot run: ``argument`` names the part at fault (``text``, ``fields``…)."""

    def __init__(self, argument: str, problem: str, value: str | None = None) -> None:
        self.argument = argument
        self.problem = problem
        self.value = value
        super().__init__(self.named({}))

    def named(self, names: dict[str, str]) -> str:
        """The message with the argument called as the caller calls it (a flag, a form field)."""
        name = names.get(self.argument, self.argument)
        return f"{name} {self.value!r}: {self.problem}" if self.value else f"{name}: {self.problem}"


class SiteConfigError(NewsarchiverError, ValueError):
    """A sites file or a site's settings that cannot be used; the message says where."""


class CrawlBusy(NewsarchiverError):
    """Another process is running this crawl (this site, these start URLs) right now."""


class NotArchived(NewsarchiverError, LookupError):
    """No capture of the URL (or no capture index at all) in this archive."""


class ArchiveReadError(NewsarchiverError):
    """An index points at a record that cannot be read (a moved, truncated or corrupt WARC)."""


class BodyTooLarge(ArchiveReadError):
    """An archived body that decodes to more than MAX_BODY_BYTES (a decompression bomb)."""


class CorruptWarc(NewsarchiverError):
    """A WARC file that cannot be read to its end."""


class WaczError(NewsarchiverError):
    """A WACZ package that cannot be written."""


class CrawlError(NewsarchiverError):
    """A crawl that could not run or ended without its summary."""


class ArchiveWriteError(NewsarchiverError):
    """A file of the archive could not be written (a full disk, a read-only directory). What
    was there before stays as it was: a failed append is cut back, a replaced file kept."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path

    @classmethod
    def of(cls, path: Path, error: OSError) -> ArchiveWriteError:
        return cls(f"cannot write {path}: {error.strerror or error}", path)


class ReplayUnavailable(NewsarchiverError):
    """pywb, which replays the archived pages for ``serve``, would not start."""
