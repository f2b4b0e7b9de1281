from __future__ import annotations

from scrapy.downloadermiddlewares import cookies
from scrapy.utils.test import get_crawler

from newsarchiver.extensions.offline import BundledPublicSuffixList


def test_cookie_domains_use_the_bundled_suffix_list() -> None:
    BundledPublicSuffixList.from_crawler(get_crawler())
    splitter = cookies._split_domain
    assert tuple(splitter.suffix_list_urls) == ()  # never downloaded
    assert splitter("www.bbc.co.uk").suffix == "co.uk"  # and still knows the suffixes
