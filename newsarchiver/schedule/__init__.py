"""Crawling on a schedule: site configs, the run history, the scheduler, one site run."""
