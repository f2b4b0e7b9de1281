"""The ``newsarchiver`` command: thin click commands over the library.

sqlite-utils style: the library does the work (crawl.py, index.py, query.py, export.py), each
module here only parses options and prints.
"""

from . import archive, crawl, history, query, scaleout, serve, sites
from .common import main

__all__ = ["archive", "crawl", "history", "main", "query", "scaleout", "serve", "sites"]
