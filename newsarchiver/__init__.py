"""newsarchiver: crawl news sites into clean JSONL articles and faithful WARC archives."""

__version__ = "0.2.0"
