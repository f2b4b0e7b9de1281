"""Nothing phones home: the crawl talks only to the sites it crawls.

Scrapy's cookie middleware splits domains with a module-level ``TLDExtract()`` that downloads the
public-suffix list from the network on first use. This extension swaps in one that reads the
snapshot bundled with tldextract. It patches a module attribute because Scrapy offers no setting
for it; the attribute is checked so a Scrapy upgrade that renames it fails loudly in the tests.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import cookies
from tldextract import TLDExtract


def use_bundled_public_suffix_list() -> None:
    if not hasattr(cookies, "_split_domain"):
        raise RuntimeError(
            "scrapy.downloadermiddlewares.cookies._split_domain is gone: "
            "check how this Scrapy version splits cookie domains"
        )
    cookies._split_domain = TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


class BundledPublicSuffixList:
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BundledPublicSuffixList:
        use_bundled_public_suffix_list()
        return cls()
