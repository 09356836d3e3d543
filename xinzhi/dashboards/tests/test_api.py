"""GET /api/dashboards/indicators: figures in the caller's scope, declared errors in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from xinzhi.dashboards import services
from xinzhi.dashboards.models import Indicator

URL = "/api/dashboards/indicators"


@pytest.fixture
def district_targets(world, users):
    attracted = Indicator.objects.get(code="attracted_tsme")
    for level, value in (("city", 2), ("district", 4)):
        services.target_save(
            actor=users["admin"],
            data={"indicator": attracted, "year": 2024, "level": level, "value": Decimal(value)},
        )


@pytest.mark.django_db
def test_district_figures_with_targets_and_progress(district_targets, users, login):
    body = login(users["leader"]).get(URL, {"year": 2024, "through": "2024-09-30"}).json()
    row = next(r for r in body if r["code"] == "attracted_tsme")
    assert row["name"] == "招引科技型中小微企业数"
    assert row["unit"] == "家"
    assert Decimal(row["actual"]) == 3
    assert [(t["level"], Decimal(t["value"]), Decimal(t["progress"])) for t in row["targets"]] == [
        ("city", 2, Decimal("1.5")),
        ("district", 4, Decimal("0.75")),
    ]
    assert Decimal(row["progress"]) == Decimal("0.75")
    assert Decimal(row["period"]["elapsed"]) == Decimal("0.75")
    assert row["schedule"] == "ahead"
    assert row["source"] == "computed"
    assert row["jurisdiction_id"] is None
    manual = next(r for r in body if r["code"] == "talents_attracted")
    assert (manual["source"], manual["actual"]) == ("manual", None)


@pytest.mark.django_db
def test_officer_gets_own_board_and_404_for_another(world, users, login, jurisdictions):
    client = login(users["gxq"])
    body = client.get(URL, {"year": 2024, "through": "2024-09-30"}).json()
    row = next(r for r in body if r["code"] == "attracted_tsme")
    assert (row["jurisdiction_id"], Decimal(row["actual"])) == (jurisdictions["gxq"].pk, 2)
    other = client.get(
        URL, {"year": 2024, "through": "2024-09-30", "jurisdiction": jurisdictions["xth"].pk}
    )
    assert other.status_code == 404


@pytest.mark.django_db
def test_in_month_figures(world, users, login):
    body = (
        login(users["admin"])
        .get(URL, {"year": 2024, "through": "2024-09-30", "cumulative": "false"})
        .json()
    )
    row = next(r for r in body if r["code"] == "attracted_tsme")
    assert Decimal(row["actual"]) == 1  # 项目二 landed on 2024-09-30
    assert row["period"]["label"] == "9月"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": 2024, "through": "2025-01-31"}, "截止日期 2025-01-31 不在 2024 年内"),
        ({"year": 2024, "through": "2024-13-01"}, None),
        ({"year": 2024, "through": "2024-9-x"}, None),
        ({"year": 1999, "through": "1999-09-30"}, None),
    ],
)
def test_bad_dates_answer_422_in_chinese(world, users, login, params, message):
    answer = login(users["admin"]).get(URL, params)
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    texts = [d["msg"] for d in detail]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)
    if message:
        assert texts == [message]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status"), [("expert", 403)])
def test_roles_outside_the_bureau_are_refused(world, users, login, role, status):
    assert login(users[role]).get(URL, {"year": 2024, "through": "2024-09-30"}).status_code == 403


@pytest.mark.django_db
def test_anonymous_is_refused(world, client):
    assert client.get(URL, {"year": 2024, "through": "2024-09-30"}).status_code == 401


@pytest.mark.django_db
def test_without_a_period_the_figures_are_this_year_to_today(world, users, login):
    from django.utils import timezone

    today = timezone.localdate()
    body = login(users["admin"]).get(URL).json()
    assert body[0]["period"]["start"] == f"{today.year}-01-01"
    assert body[0]["period"]["end"] == today.isoformat()
