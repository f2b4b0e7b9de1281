"""Extraction: a page's HTML in, a clean article out. Importable without Scrapy running."""

from .article import Article
from .extract import EXTRACTOR, NotAnArticle, extract_article, extract_page, rejection_reason
from .rules import DEFAULT_RULES, CleaningRules

__all__ = [
    "DEFAULT_RULES",
    "EXTRACTOR",
    "Article",
    "CleaningRules",
    "NotAnArticle",
    "extract_article",
    "extract_page",
    "rejection_reason",
]
