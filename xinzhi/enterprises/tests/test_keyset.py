"""Keyset pagination of the enterprise API, and the depth cap of the list page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xinzhi.core import pagination
from xinzhi.enterprises.models import AnnualFigures, Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(make_enterprise):
    """13 firms in 高新区 whose names, founding dates and revenues tie, some of them empty."""
    firms = []
    for i in range(13):
        firms.append(
            make_enterprise(
                "常州同名科技有限公司" if i % 3 else "常州异名科技有限公司",
                "gxq",
                revenue=[None, "500", "500", "800"][i % 4],
                year=2024,
                registered_on=None if i % 5 == 0 else dt.date(2018, 1 + i % 2, 1),
            )
        )
    make_enterprise("西太湖企业", "xth", revenue="900", year=2024)  # another 板块: never listed
    # Ties in the update time too, to the microsecond.
    Enterprise.objects.unscoped().update(updated_at=timezone.now())
    return firms


def _walk(client, size: int, **params) -> tuple[list[int], int]:
    body = client.get("/api/enterprises", {**params, "page_size": size}).json()
    ids = [r["id"] for r in body["results"]]
    calls = 1
    while body["next"]:
        body = client.get(
            "/api/enterprises", {**params, "page_size": size, "after": body["next"]}
        ).json()
        assert body["page"] is None
        ids += [r["id"] for r in body["results"]]
        calls += 1
    return ids, calls


@pytest.mark.parametrize(
    "sort", ["name", "-registered_on", "registered_on", "-revenue", "-rd_expense", "-updated_at"]
)
def test_every_row_exactly_once_across_pages_with_ties(login, users, tied, sort):
    client = login(users["gxq"])
    ids, calls = _walk(client, 4, sort=sort, year=2024)
    assert sorted(ids) == sorted(e.pk for e in tied)
    assert len(ids) == 13
    assert calls == 4  # 4 + 4 + 4 + 1


def test_keyset_order_is_the_sort_with_empty_values_last(login, users, tied):
    client = login(users["gxq"])
    ids, _ = _walk(client, 3, sort="-revenue", year=2024)
    revenue = {e.pk: None for e in tied}
    revenue.update(AnnualFigures.objects.unscoped().values_list("enterprise_id", "revenue"))
    expected = sorted(
        (e.pk for e in tied),
        key=lambda pk: (revenue[pk] is None, -(revenue[pk] or Decimal(0)), pk),
    )
    assert ids == expected
    ids, _ = _walk(client, 5, sort="-registered_on")
    founded = {e.pk: e.registered_on for e in tied}
    assert ids == sorted(
        (e.pk for e in tied),
        key=lambda pk: (founded[pk] is None, -(founded[pk] or dt.date.min).toordinal(), pk),
    )


def test_a_numbered_page_continues_with_its_next_cursor(login, users, tied):
    client = login(users["gxq"])
    everything, _ = _walk(client, 13, sort="name")
    second = client.get("/api/enterprises", {"sort": "name", "page": 2, "page_size": 4}).json()
    assert second["page"] == 2
    assert second["count"] == 13
    assert second["pages"] == 4
    assert [r["id"] for r in second["results"]] == everything[4:8]
    rest = client.get(
        "/api/enterprises", {"sort": "name", "page_size": 4, "after": second["next"]}
    ).json()
    assert [r["id"] for r in rest["results"]] == everything[8:12]


def test_a_cursor_from_another_sort_or_garbage_is_refused_in_chinese(login, users, tied):
    client = login(users["gxq"])
    first = client.get("/api/enterprises", {"sort": "name", "page_size": 2}).json()
    other = client.get(
        "/api/enterprises", {"sort": "-revenue", "page_size": 2, "after": first["next"]}
    )
    assert other.status_code == 400
    assert other.json()["detail"] == "翻页标记与当前排序不符，请从第一页重新读取。"
    garbage = client.get("/api/enterprises", {"after": "!!!"})
    assert garbage.status_code == 400
    assert garbage.json()["detail"] == "翻页标记无效，请从第一页重新读取。"


def test_deep_page_numbers_are_refused_with_the_way_forward(login, users, tied):
    response = login(users["gxq"]).get("/api/enterprises", {"page": 201, "page_size": 50})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "页码过深：按页码只能读取前 10,000 条，请用上一页返回的 next 作为 after 参数继续读取。"
    )


def test_list_page_stops_at_the_cap_and_asks_for_a_narrower_search(
    login, users, jurisdictions, monkeypatch
):
    from conftest import make_credit_code

    Enterprise.objects.unscoped().bulk_create(
        Enterprise(
            credit_code=make_credit_code(),
            name=f"常州批量{i:03d}有限公司",
            jurisdiction=jurisdictions["gxq"],
        )
        for i in range(120)
    )
    monkeypatch.setattr(pagination, "MAX_PAGE_ROWS", 100)  # two pages of 50
    client = login(users["gxq"])
    first = client.get("/enterprises/", {"page": 1})
    assert first.context["deep_prompt"] == ""
    deep = client.get("/enterprises/", {"page": 3})
    assert deep.context["page"].number == 2
    assert deep.context["deep_prompt"] == (
        "列表仅显示前 100 条。请用关键词、板块或资质等筛选条件缩小范围；"
        "需要全部数据请导出，或通过接口按 next 翻页标记逐页读取。"
    )
    assert "请用关键词、板块或资质等筛选条件缩小范围" in deep.content.decode()
    assert "下一页" not in deep.content.decode()
    assert "下一页" in first.content.decode()
    narrowed = client.get("/enterprises/", {"page": 3, "q": "批量00"})
    assert narrowed.context["deep_prompt"] == ""
    assert narrowed.context["page"].paginator.count == 10
    assert AnnualFigures.objects.unscoped().count() == 0
