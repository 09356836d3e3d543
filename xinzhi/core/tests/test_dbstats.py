"""Planner statistics are written after migrations and on demand after bulk work."""

import pytest
from django.db import connection

from xinzhi.core.dbstats import planner_statistics_refresh
from xinzhi.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _stat_rows() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'enterprises_enterprise'")
        return dict(cursor.fetchall())


def test_statistics_after_bulk_work(make_enterprise):
    if connection.vendor == "postgresql":
        # Inside the test's transaction, where autovacuum cannot look: ANALYZE counts our rows.
        for i in range(3):
            make_enterprise(f"常州统计{i}科技有限公司")
        assert planner_statistics_refresh() is True
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = 'enterprises_enterprise'"
            )
            assert cursor.fetchone()[0] == 3
        return
    for i in range(3):
        make_enterprise(f"常州统计{i}科技有限公司")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
    assert planner_statistics_refresh() is False  # inside the test's transaction: refused
    connection.in_atomic_block, saved = False, connection.in_atomic_block
    try:
        assert planner_statistics_refresh() is True
    finally:
        connection.in_atomic_block = saved
    rows = _stat_rows()
    assert Enterprise.objects.unscoped().count() == 3
    # "rows in the table, rows per distinct value": 3 enterprises, each name its own.
    name_index = next(idx for idx in rows if idx.startswith("enterprises_enterprise_name"))
    assert rows[name_index] == "3 1"
