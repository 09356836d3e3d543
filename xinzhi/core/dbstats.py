"""Statistics for the query planner (查询优化统计), kept current after schema and bulk changes.

SQLite keeps no statistics of its own: without `sqlite_stat1` its planner guesses, and at
100k enterprises a guess can scan tens of thousands of rows. A full `ANALYZE` after migrations
and after bulk work keeps them current (0.5–1 s at 100k enterprises). PostgreSQL's autovacuum
daemon analyses changed tables by itself once they are committed (docs/operations.md); rows a
transaction is still writing are invisible to it, so bulk work inside one transaction (a demo
load, a test's data) runs `ANALYZE` itself, which does count its own uncommitted rows: a
planner that believes a table of thousands holds one row nests loops without index conditions
(a demo UPDATE took minutes that way).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def planner_statistics_refresh(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Refresh the planner's statistics after bulk work. True if run.

    SQLite: after the job commits (ANALYZE in a transaction would hold the write lock longer).
    PostgreSQL: also inside a transaction, which autovacuum cannot see into.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return True
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
