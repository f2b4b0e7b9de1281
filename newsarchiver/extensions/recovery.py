"""What a killed crawl left behind is put right before this crawl writes anything.

Open WARC files are cut after their last whole record, renamed and indexed (warc/recovery.py);
a torn last JSONL line is moved aside (articles/recovery.py). Each is reported on one line.
Built first of newsarchiver's extensions, before the index catches up and any file is opened.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler

from ..articles.recovery import set_aside_torn_tails
from ..layout import ArchiveLayout
from ..warc.recovery import close_orphaned_warcs

logger = logging.getLogger(__name__)


class CrashRecovery:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrashRecovery:
        output = ArchiveLayout.from_settings(crawler.settings).root
        for warc in close_orphaned_warcs(output):
            cut = f", {warc.cut} bytes of a cut-off record removed" if warc.cut else ""
            logger.warning(
                "recovered %s, left open by an earlier crawl (killed, or stopped by a full "
                "disk): %d captures indexed%s",
                warc.path,
                warc.captures,
                cut,
            )
            crawler.stats.inc_value("newsarchiver/recovered/warc_files")
        for tail in set_aside_torn_tails(output):
            logger.warning(
                "%s ended in a torn line (an earlier crawl was killed): its %d bytes moved to %s",
                tail.path,
                tail.size,
                tail.partial,
            )
            crawler.stats.inc_value("newsarchiver/recovered/jsonl_tails")
        return cls()
