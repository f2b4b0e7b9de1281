"""Scrapy settings of the newsarchiver project (``scrapy crawl news`` and the CLI read them).

Every setting of our own (their defaults are in addon.py) is listed in README.md's settings table.
"""

from newsarchiver import __version__

BOT_NAME = "newsarchiver"
SPIDER_MODULES = ["newsarchiver.spiders"]
NEWSPIDER_MODULE = "newsarchiver.spiders"

# --- ours: components and their settings come with the add-on (see addon.py) ------------------
ADDONS = {"newsarchiver.addon.Newsarchiver": 0}

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
# Extraction is slower than fetching, so fetched pages wait for it in Scrapy's scraper. Scrapy
# stops fetching once 5 MB of bodies wait; at news-page sizes that is ~650 pages, each also
# holding its decoded text, its parsed tree and CONCURRENT_ITEMS (100) waiting tasks. 1 MB
# and 8 keep the extractor just as busy: 2,000 articles of the benchmark site in 31 s at 202 MB
# peak, against 33 s at 307 MB with Scrapy's defaults (bench/memory.py, same machine).
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 1_000_000
CONCURRENT_ITEMS = 8
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEFAULT_DROPITEM_LOG_LEVEL = "DEBUG"  # "not an article" is the normal fate of a listing page
# our spiders keep no `spider.state`; Scrapy's extension would write it to the job directory
# even so, and fail again, with a traceback, on a full disk
EXTENSIONS = {"scrapy.extensions.spiderstate.SpiderState": None}
TELNETCONSOLE_ENABLED = False  # no listening port nobody asked for
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
