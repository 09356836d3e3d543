"""The candidate list at 100k enterprises: its page walks the candidate index whatever the
planner's statistics say, its count comes from the ladder's cached counts (renewed by the
services that change evaluations), and its scope equals `visible_to`."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinzhi.cultivation.models import Evaluation
from xinzhi.cultivation.selectors import candidate_filterset, evaluations_in_scope
from xinzhi.cultivation.services import evaluations_refresh, profile_update
from xinzhi.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

URL = "/cultivation/candidates/tech_sme/"

# sqlite_stat1 of the 100k-enterprise bench database (bench/bench_pages.py) after ANALYZE: with
# these figures the join filter on the enterprise's jurisdiction made SQLite read 高新区's
# 35k enterprises × 11 evaluations and sort them all for one page.
BENCH_STATISTICS = [
    (
        "cultivation_evaluation",
        "cultivation_candidates_idx",
        "1100000 122223 100000 52381 11000 8731 1",
    ),
    ("cultivation_evaluation", "sqlite_autoindex_cultivation_evaluation_1", "1100000 11 1"),
    ("enterprises_enterprise", "enterprises_enterprise_jurisdiction_id_cac80178", "100000 7143"),
    ("enterprises_enterprise", "enterprises_jurisdi_afcb4e_idx", "100000 7143 1"),
    ("enterprises_enterprise", "sqlite_autoindex_enterprises_enterprise_1", "100000 1"),
    ("accounts_jurisdiction", "sqlite_autoindex_accounts_jurisdiction_1", "15 1"),
]


@pytest.fixture
def firms(qualified):
    """Three 科技型中小企业 candidates in 高新区, one in 西太湖."""
    made = [qualified(f"常州候选规模{i}科技有限公司") for i in range(3)]
    made.append(qualified("常州候选西太湖科技有限公司", jurisdiction="xth"))
    evaluations_refresh(Enterprise.objects.unscoped())
    return made


def _statistics(kind: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # creates sqlite_stat1
        cursor.execute("DELETE FROM sqlite_stat1")
        if kind == "bench":
            cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", BENCH_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reloads the statistics


@pytest.mark.parametrize("statistics", ["none", "bench"])
@pytest.mark.parametrize("jurisdiction_filter", [False, True])
def test_candidate_page_walks_the_candidate_index(
    firms, users, statistics, jurisdiction_filter, jurisdictions
):
    params = {"jurisdiction": str(jurisdictions["gxq"].pk)} if jurisdiction_filter else {}
    queryset = candidate_filterset(user=users["gxq"], family="tech_sme", params=params).qs
    assert sorted(e.enterprise_id for e in queryset) == sorted(f.pk for f in firms[:3])
    sql, sql_params = queryset.all()[:50].query.sql_with_params()
    # The scope and the 板块 filter test the enterprise in EXISTS: no join condition on the
    # enterprise's jurisdiction for a planner to start from.
    assert "EXISTS" in sql
    assert '"enterprises_enterprise"."jurisdiction_id" IN' not in sql, sql
    if connection.vendor != "sqlite":
        return  # PostgreSQL plans from its own statistics (autovacuum); the shape is the point
    _statistics(statistics)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", sql_params)
        plan = " | ".join(row[-1] for row in cursor.fetchall())
    assert "SEARCH cultivation_evaluation USING INDEX cultivation_candidates_idx" in plan, plan
    # The index holds the whole order: nothing is sorted, the page stops after 50 rows.
    assert "TEMP B-TREE" not in plan, plan
    assert "jurisdiction_id" not in plan, plan


@pytest.mark.parametrize("role", ["admin", "leader", "gxq", "xth", "htz"])
def test_scope_equals_visible_to(firms, users, role):
    user = users[role]
    assert sorted(evaluations_in_scope(user).values_list("pk", flat=True)) == sorted(
        Evaluation.objects.visible_to(user).values_list("pk", flat=True)
    )


def _evaluation_counts(queries) -> list[str]:
    return [
        q["sql"] for q in queries if "COUNT(" in q["sql"] and "cultivation_evaluation" in q["sql"]
    ]


def test_page_count_comes_from_the_cached_counts(
    firms, users, login, django_capture_on_commit_callbacks
):
    client = login(users["gxq"])
    client.get(URL)  # fills the ladder's cached counts for 高新区
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.context["page"].paginator.count == 3
    assert sorted(r.enterprise_id for r in response.context["page"]) == sorted(
        f.pk for f in firms[:3]
    )
    assert _evaluation_counts(queries.captured_queries) == []
    # The 数据不全 worklist's count comes from the same cache (none here) ...
    assert client.get(URL, {"readiness": "data_missing"}).context["page"].paginator.count == 0
    # ... a name search is counted live.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": "候选规模1"})
    assert response.context["page"].paginator.count == 1
    assert len(_evaluation_counts(queries.captured_queries)) == 1

    # The profile service re-evaluates the firm after commit: listed as seriously dishonest it
    # is no candidate any more, and the cached count follows at once.
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(actor=users["gxq"], enterprise=firms[0], data={"serious_dishonesty": True})
    tech_sme = Evaluation.objects.unscoped().get(enterprise=firms[0], family="tech_sme")
    assert tech_sme.readiness == "ineligible"
    response = client.get(URL)
    assert response.context["page"].paginator.count == 2
    assert sorted(r.enterprise_id for r in response.context["page"]) == sorted(
        f.pk for f in firms[1:3]
    )
    body = client.get("/api/cultivation/candidates/tech_sme").json()
    assert body["count"] == 2
    assert login(users["xth"]).get(URL).context["page"].paginator.count == 1
