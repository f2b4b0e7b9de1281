"""Item pipelines: extraction, then the JSONL archive."""
