"""Spiders decide what to fetch; see news.py."""
