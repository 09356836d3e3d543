"""The candidate API walks the whole list by keyset, every candidate once despite equal scores."""

import pytest

from xinzhi.cultivation.services import evaluations_refresh
from xinzhi.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["gap", "-score", "name"])
def test_candidates_walk_returns_each_once(qualified, users, login, sort):
    # Five firms with the same figures: equal verdicts, scores and gaps; two share a name.
    firms = [qualified(f"常州候选{i % 4}科技有限公司") for i in range(5)]
    evaluations_refresh(Enterprise.objects.unscoped())
    client = login(users["gxq"])
    body = client.get("/api/cultivation/candidates/tech_sme", {"sort": sort, "page_size": 2}).json()
    assert body["count"] == 5
    assert body["page"] == 1
    seen = [r["enterprise_id"] for r in body["results"]]
    while body["next"]:
        body = client.get(
            "/api/cultivation/candidates/tech_sme",
            {"sort": sort, "page_size": 2, "after": body["next"]},
        ).json()
        seen += [r["enterprise_id"] for r in body["results"]]
    assert sorted(seen) == sorted(f.pk for f in firms)
