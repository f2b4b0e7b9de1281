"""Crawl extensions: WARC capture, the crawl summary, offline safety."""
