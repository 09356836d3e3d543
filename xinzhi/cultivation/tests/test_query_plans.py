"""The 培育体检 card's queries use the enterprise index whatever the planner's statistics say."""

import datetime as dt

import pytest
from django.db import connection

from xinzhi.cultivation.facts import enterprise_facts
from xinzhi.enterprises.models import TitleHeld


@pytest.mark.django_db
def test_card_titles_query_uses_the_enterprise_index(make_enterprise):
    enterprises = [make_enterprise(f"常州索引{i}科技有限公司") for i in range(3)]
    for enterprise in enterprises:
        for title in ("hnte", "tech_sme", "srdi_sme"):
            TitleHeld.objects.unscoped().create(
                enterprise=enterprise, title=title, valid_until=dt.date(2030, 1, 1)
            )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the state the issue measured: no statistics
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
    sent = []

    def remember(execute, sql, params, many, context):
        if "titleheld" in sql:
            sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(remember):
        facts = enterprise_facts(enterprises[1], as_of=dt.date(2026, 6, 1))

    assert facts["honours"]["hnte_valid_until"] == dt.date(2030, 1, 1)
    assert facts["honours"]["srdi_sme_valid_until"] == dt.date(2030, 1, 1)
    assert len(sent) == 1
    sql, params = sent[0]
    where = sql.split(" WHERE ", 1)[1]
    # Nothing but the enterprise narrows the rows, and nothing sorts them: no index on the
    # title can look cheaper, on any database.
    assert '"title"' not in where and "ORDER BY" not in sql, sql
    if connection.vendor != "sqlite":
        return  # PostgreSQL keeps its own statistics (autovacuum); the plan is SQLite's worry
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "INDEX enterprises_titleheld_enterprise_id" in plan, plan
    assert "enterprises_title_" not in plan, plan
