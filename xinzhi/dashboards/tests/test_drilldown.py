"""Drill-down: a computed figure links to the existing scoped list, filtered to its records."""

from __future__ import annotations

import datetime as dt

import pytest

from xinzhi.dashboards.selectors import indicator_figures

THROUGH = dt.date(2024, 9, 30)


def links(user, jurisdiction_id=None):
    return {
        f.code: f.drilldown_url
        for f in indicator_figures(
            user=user, year=2024, through=THROUGH, jurisdiction_id=jurisdiction_id
        )
    }


def names_on(client, url, names):
    html = client.get(url).content.decode()
    return {name for name in names if name in html}


ENTERPRISES = ("甲科技", "乙科技", "丙科技", "丁科技", "戊科技", "己科技")
LEADS = ("项目一", "项目二", "项目三", "项目四")


@pytest.mark.django_db
def test_district_links_list_exactly_the_counted_records(world, users, login):
    client = login(users["admin"])
    urls = links(users["admin"])
    # 瞪羚 1—9月: A, D (B's is October); 新增科小: B, C (F's is 2023).
    assert names_on(client, urls["gazelle_titles"], ENTERPRISES) == {"甲科技", "丁科技"}
    assert names_on(client, urls["tsme_new"], ENTERPRISES) == {"乙科技", "丙科技"}
    # 落地 1—9月: 1, 2, 4; 签约: 1, 3.
    assert names_on(client, urls["attracted_tsme"], LEADS) == {"项目一", "项目二", "项目四"}
    assert names_on(client, urls["tech_projects_attracted"], LEADS) == {"项目一", "项目三"}
    # 武科贷 1—9月: A's two loans and D's (F's is October, B's is 惠科企).
    assert names_on(client, urls["wukedai_households"], ENTERPRISES) == {"甲科技", "丁科技"}
    assert urls["talents_attracted"] is None  # manual: nothing to drill into


@pytest.mark.django_db
def test_officer_links_stay_in_their_board(world, users, login, jurisdictions):
    client = login(users["gxq"])
    urls = links(users["gxq"])
    assert f"jurisdiction={jurisdictions['gxq'].pk}" in urls["attracted_tsme"]
    assert names_on(client, urls["gazelle_titles"], ENTERPRISES) == {"甲科技"}
    assert names_on(client, urls["attracted_tsme"], LEADS) == {"项目一", "项目二"}
    assert names_on(client, urls["wukedai_amount"], ENTERPRISES) == {"甲科技"}
