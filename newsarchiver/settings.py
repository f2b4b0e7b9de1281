"""Scrapy settings of the newsarchiver project (``scrapy crawl news`` and the CLI read them).

Every setting of our own is listed in README.md's settings table.
"""

from newsarchiver import __version__
from newsarchiver.layout import new_crawl_id

BOT_NAME = "newsarchiver"
SPIDER_MODULES = ["newsarchiver.spiders"]
NEWSPIDER_MODULE = "newsarchiver.spiders"

# --- ours ---------------------------------------------------------------------------------------
NEWSARCHIVER_OUTPUT = "output"
# One process runs one crawl (scrapy crawl, a scrapyd job, the CLI), so an id made at import
# names this crawl's files; the CLI passes its own.
NEWSARCHIVER_CRAWL_ID = new_crawl_id()
WARC_ENABLED = True
WARC_PREFIX = "newsarchiver"
WARC_MAX_SIZE = 1_000_000_000  # bytes; a file is closed and a new one started past this
WARC_OPERATOR = ""
WARC_DESCRIPTION = ""
# An unchanged page (same payload digest as its last capture) is stored as a revisit record.
WARC_REVISITS = True
# Incremental crawls (on for `crawl --site` and the scheduler): archived articles are skipped
# unless published (or first archived) within the re-check window, or a feed/sitemap says they
# changed; those are fetched conditionally.
INCREMENTAL_ENABLED = False
INCREMENTAL_RECHECK_HOURS = 48.0
# CSS selectors removed from every page before extraction (a site's own boilerplate)
EXTRACTION_DROP_SELECTORS: list[str] = []
EXTRACTION_MARKDOWN = False  # also keep each article as Markdown (the `markdown` field)
INDEX_ENABLED = True  # update OUTPUT/index/articles.sqlite when a crawl ends

# --- identity and politeness -------------------------------------------------------------------
USER_AGENT = f"newsarchiver/{__version__} (+https://github.com/newsarchiver/newsarchiver)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.25  # the floor AutoThrottle never goes below
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DEPTH_LIMIT = 5
DEPTH_PRIORITY = 1  # breadth first within a priority: section fronts before deep archives

# --- robustness --------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # no article page is this big; binary dumps are
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"  # "not an article" is the normal fate of a listing page
TELNETCONSOLE_ENABLED = False  # no listening port nobody asked for
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"

# --- components ---------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    "newsarchiver.downloadermiddlewares.incremental.IncrementalFetch": 60,
    "newsarchiver.downloadermiddlewares.redirectloop.RedirectLoopMiddleware": 650,
}
ITEM_PIPELINES = {
    "newsarchiver.pipelines.extraction.ExtractionPipeline": 300,
    "newsarchiver.pipelines.jsonl.JsonlWriter": 800,
}
EXTENSIONS = {
    "newsarchiver.extensions.offline.BundledPublicSuffixList": 0,
    "newsarchiver.extensions.warccapture.WarcCapture": 100,
    "newsarchiver.extensions.articleindex.ArticleIndexUpdate": 800,
    "newsarchiver.extensions.crawlsummary.CrawlSummary": 900,
}
