"""Statistics for the query planner (查询优化统计), kept current after schema and bulk changes.

SQLite keeps no statistics of its own: without `sqlite_stat1` its planner guesses, and at
100k enterprises a guess can scan tens of thousands of rows. `ANALYZE` after migrations and
`PRAGMA optimize` after bulk work keep them current. PostgreSQL's autovacuum daemon analyses
changed tables by itself, so nothing is done there (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def planner_statistics_refresh(*, using: str = DEFAULT_DB_ALIAS, full: bool = False) -> bool:
    """Refresh SQLite's planner statistics; call after a bulk job commits. True if run.

    `full` analyses every table (after migrations); otherwise `PRAGMA optimize` analyses only
    the tables whose statistics it judges stale, which is cheap enough after every bulk job.
    """
    connection = connections[using]
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        # Sample at most ~1000 rows per index: seconds at 100k enterprises, and as good a
        # guide for the planner as a full scan (SQLite's own recommendation).
        cursor.execute("PRAGMA analysis_limit=1000")
        # 0x10002: analyse tables that have no statistics yet, not only changed ones.
        cursor.execute("ANALYZE" if full else "PRAGMA optimize=0x10002")
    return True


def analyze_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver (core's, sent after every app has migrated): a full ANALYZE."""
    planner_statistics_refresh(using=using, full=True)
