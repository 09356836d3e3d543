"""Statistics for the query planner (查询优化统计), kept current after schema and bulk changes.

SQLite keeps no statistics of its own: without `sqlite_stat1` its planner guesses, and at
100k enterprises a guess can scan tens of thousands of rows. A full `ANALYZE` after migrations
and after bulk work keeps them current (0.5–1 s at 100k enterprises). PostgreSQL's autovacuum
daemon analyses changed tables by itself, so nothing is done there (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def planner_statistics_refresh(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Refresh SQLite's planner statistics; call after a bulk job commits. True if run."""
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        # Every row, not a sample: with `analysis_limit=1000` the statistics misled the planner
        # into sorting all 100k enterprises for one list page (bench/README.md).
        cursor.execute("PRAGMA analysis_limit=0")
        cursor.execute("ANALYZE")
    return True


def analyze_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver (core's, sent after every app has migrated): a full ANALYZE."""
    planner_statistics_refresh(using=using)
