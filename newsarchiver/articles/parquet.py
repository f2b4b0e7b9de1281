"""Exports of the archive for analysis tools: Parquet for pandas, DuckDB, Spark, R."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..files import replacing
from ..items import ARTICLE_FIELDS
from .index import ArticleIndex
from .query import Query, search

#: rows per Parquet row group: bounded memory whatever the archive's size
ROW_GROUP = 10_000
_LISTS = ("authors", "agencies", "tags")
_INTEGERS = ("status", "warc_offset", "version")


def export_parquet(
    index: ArticleIndex,
    query: Query,
    path: Path,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the matching articles (every JSONL field) to a Parquet file; returns the count.
    ``progress`` is told the count after each row group."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            (
                name,
                pa.list_(pa.string())
                if name in _LISTS
                else pa.int64()
                if name in _INTEGERS
                else pa.string(),
            )
            for name in ARTICLE_FIELDS
        ]
    )
    count = 0
    # replaced whole: a reader never sees half a file, a failed export leaves the old one
    with (
        replacing(path, parents=False) as temporary,
        pq.ParquetWriter(temporary, schema, compression="zstd") as writer,
    ):
        batch: list[dict[str, object]] = []
        for row in search(index, query, fields=ARTICLE_FIELDS, sort="oldest", limit=None):
            for name in ("metadata_sources", "page_evidence"):  # maps: kept as JSON text
                row[name] = json.dumps(row[name], ensure_ascii=False)
            batch.append(row)
            if len(batch) >= ROW_GROUP:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                if progress:
                    progress(count + len(batch))
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count
