"""The list's count under a 资质 filter (or none) comes from the home page's cached counts,
renewed by the services that change titles (issue 15: 高企 sorted by revenue grew 2.2× from 10k
to 100k enterprises, most of it counting the 28k holders on every request)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinzhi.enterprises.models import TitleHeld
from xinzhi.enterprises.services import title_add

pytestmark = pytest.mark.django_db

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def firms(make_enterprise):
    """Three firms in 高新区 (two current 高企, one whose title expired), one 高企 in 西太湖."""
    made = [
        make_enterprise(f"常州计数{i}科技有限公司", "gxq", revenue=100 * (i + 1), year=LAST_YEAR)
        for i in range(3)
    ]
    soon = dt.date.today() + dt.timedelta(days=30)
    for firm in made[:2]:
        TitleHeld.objects.unscoped().create(enterprise=firm, title="hnte", valid_until=soon)
    TitleHeld.objects.unscoped().create(
        enterprise=made[2], title="hnte", valid_until=dt.date.today() - dt.timedelta(days=1)
    )
    other = make_enterprise("常州计数西太湖有限公司", "xth", revenue=50, year=LAST_YEAR)
    TitleHeld.objects.unscoped().create(enterprise=other, title="hnte")
    return made


def _enterprise_counts(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and 'FROM "enterprises_enterprise"' in q["sql"]
    ]


def _get(client, url: str, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response, _enterprise_counts(queries)


def test_title_count_from_the_cache_and_renewed_by_title_add(
    firms, users, login, django_capture_on_commit_callbacks
):
    client = login(users["gxq"])
    client.get("/enterprises/", {"title": "hnte"})  # fills 高新区's cached counts
    response, counts = _get(client, "/enterprises/", title="hnte", sort="-revenue")
    assert counts == []
    assert response.context["page"].paginator.count == 2
    assert [e.pk for e in response.context["page"]] == [firms[1].pk, firms[0].pk]
    response, counts = _get(client, "/enterprises/")
    assert counts == []
    assert response.context["page"].paginator.count == 3
    # A search is counted live.
    response, counts = _get(client, "/enterprises/", title="hnte", q="计数1")
    assert len(counts) == 1
    assert response.context["page"].paginator.count == 1

    with django_capture_on_commit_callbacks(execute=True):
        title_add(
            actor=users["gxq"],
            enterprise=firms[2],
            data={"title": "hnte", "valid_until": dt.date.today() + dt.timedelta(days=400)},
        )
    response, counts = _get(client, "/enterprises/", title="hnte", sort="-revenue")
    assert response.context["page"].paginator.count == 3
    assert [e.pk for e in response.context["page"]] == [firms[2].pk, firms[1].pk, firms[0].pk]
    body = client.get("/api/enterprises", {"title": "hnte"}).json()
    assert body["count"] == 3
    # The district sees 西太湖's 高企 too; 西太湖 sees only its own.
    assert (
        login(users["admin"]).get("/enterprises/?title=hnte").context["page"].paginator.count == 4
    )
    assert login(users["xth"]).get("/enterprises/?title=hnte").context["page"].paginator.count == 1
