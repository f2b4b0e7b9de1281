"""Extraction: a page's HTML in, a clean article out. Importable without Scrapy running."""

from .article import Article
from .extract import extract_article, rejection_reason

__all__ = ["Article", "extract_article", "rejection_reason"]
