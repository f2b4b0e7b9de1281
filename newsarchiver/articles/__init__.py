"""The text side: JSONL rows written and read, the SQLite article index, search, Parquet export."""
