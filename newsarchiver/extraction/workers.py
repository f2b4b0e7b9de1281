"""Extraction in worker processes: one per core, so parsing uses every core, not one GIL.

Extraction is pure CPU (lxml, trafilatura, regular expressions). In the reactor's thread pool
it ran under the crawl's GIL and took 73 % of a crawl's samples on one core (py-spy); here each
page goes to a process of its own. ``workers=0`` keeps it in threads of the calling process
(tests, tiny crawls, platforms without processes).

The processes are started with "spawn" (a fork of a process running Twisted's reactor and
threads is not safe), ignore Ctrl-C (the crawl decides how to stop; a worker's traceback for
it would be noise), and are replaced when one dies (a page that exhausts memory kills only
its worker: the page fails, the crawl goes on).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from .article import Article
from .extract import NotAnArticle, extract_page

logger = logging.getLogger(__name__)
T = TypeVar("T")


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("trafilatura").setLevel(logging.INFO)


def _extract(
    html: str, url: str, markdown: bool, drop_selectors: tuple[str, ...]
) -> Article | NotAnArticle:
    return extract_page(html, url, markdown=markdown, drop_selectors=drop_selectors)


class ExtractionWorkers:
    """A pool that extracts pages: ``submit`` returns a Future of the page's result."""

    def __init__(
        self, workers: int, *, markdown: bool = False, drop_selectors: Sequence[str] = ()
    ) -> None:
        self.workers = workers
        self.markdown = markdown
        self.drop_selectors = tuple(drop_selectors)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor | ThreadPoolExecutor:
        if self.workers <= 0:
            return ThreadPoolExecutor(max_workers=4, thread_name_prefix="extract")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_interrupts,
        )

    def submit(self, html: str, url: str) -> Future[Any]:
        try:
            return self._pool.submit(_extract, html, url, self.markdown, self.drop_selectors)
        except BrokenProcessPool:
            # a worker died (out of memory on one page): its page has failed already; the
            # next pages get fresh workers
            logger.warning("an extraction worker died; starting new ones")
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(_extract, html, url, self.markdown, self.drop_selectors)

    def in_order(
        self, pages: Iterable[T], html_and_url: Callable[[T], tuple[str, str]]
    ) -> Iterator[tuple[T, Article | NotAnArticle | Exception]]:
        """Each page with its result (or the exception extracting it raised), in the pages'
        order, with a few pages ahead in the workers: for batch jobs (reextract, import)
        whose rows must come out in capture order."""
        window: deque[tuple[T, Future[Any]]] = deque()
        ahead = max(2, 4 * self.workers)
        for page in pages:
            window.append((page, self.submit(*html_and_url(page))))
            if len(window) >= ahead:
                yield _done(*window.popleft())
        while window:
            yield _done(*window.popleft())

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _done(page: T, future: Future[Any]) -> tuple[T, Article | NotAnArticle | Exception]:
    try:
        return page, future.result()
    except Exception as error:  # the caller reports it with the page's URL
        return page, error
