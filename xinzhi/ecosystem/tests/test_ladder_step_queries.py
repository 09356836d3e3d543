"""The ladder's 上市企业 step costs one query that starts from the 上市后备 table (issue 15: the
officer's ladder dashboard grew 3× from 10k to 100k enterprises, eleven counts each reading
高新区's enterprises because the empty table had no statistics)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["gxq", "admin"])
def test_the_step_is_one_query_from_the_listing_table(client, users, make_enterprise, who):
    for i in range(3):
        make_enterprise(f"常州台阶{i}有限公司", "gxq")
    client.force_login(users[who])
    client.get("/cultivation/")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # the bench's state: no statistics for the table
            cursor.execute("ANALYZE")
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'ecosystem_listingcandidate'")
            cursor.execute("ANALYZE sqlite_schema")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/cultivation/")
    assert response.status_code == 200
    assert response.context["extra_rows"][0]["stages"] == [0, 0, 0, 0, 0]
    listing = [
        q["sql"] for q in queries.captured_queries if "ecosystem_listingcandidate" in q["sql"]
    ]
    assert len(listing) == 1, listing
    assert '"enterprises_enterprise"."jurisdiction_id" IN' not in listing[0]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + listing[0])
        plan = [row[-1] for row in cursor.fetchall()]
    assert plan[0].startswith("SCAN ecosystem_listingcandidate"), plan
