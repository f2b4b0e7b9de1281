"""Running a crawl: its options, where URLs come from (feeds, sitemaps), how failures are named."""
