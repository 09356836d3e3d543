"""Drill-down: a computed figure links to the existing scoped list, filtered to its records."""

from __future__ import annotations

import datetime as dt
import json

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


@pytest.mark.django_db
def test_the_apis_take_the_same_filters(world, users, login):
    """One FilterSet per list: the lists' APIs filter as the drill-down pages do."""
    from xinzhi.attraction.models import Stage

    client = login(users["admin"])
    period = {"awarded_from": "2024-01-01", "awarded_to": "2024-09-30"}
    answer = client.get("/api/enterprises", {"title": "gazelle", **period})
    assert answer.status_code == 200, answer.content
    body = json.dumps(answer.json(), ensure_ascii=False)
    assert {n for n in ENTERPRISES if n in body} == {"甲科技", "丁科技"}
    landed = Stage.objects.get(code="registered").pk
    answer = client.get(
        "/api/attraction/leads",
        {"reached": landed, "reached_from": "2024-01-01", "reached_to": "2024-09-30"},
    )
    body = json.dumps(answer.json(), ensure_ascii=False)
    assert {n for n in LEADS if n in body} == {"项目一", "项目二", "项目四"}


@pytest.mark.django_db
def test_unicorn_link_lists_both_titles_awarded_in_the_period(world, users, login, jurisdictions):
    """独角兽（潜在）: one link for both titles; the counts are the rows', not the home page's."""
    admin = login(users["admin"])
    url = links(users["admin"])["unicorn_titles"]
    # 1—9月: A (潜在独角兽, 高新区), E (独角兽, 西太湖).
    assert names_on(admin, url, ENTERPRISES) == {"甲科技", "戊科技"}
    assert names_on(
        admin, links(users["admin"], jurisdictions["xth"].pk)["unicorn_titles"], ENTERPRISES
    ) == {"戊科技"}
    gxq = login(users["gxq"])
    assert names_on(gxq, links(users["gxq"])["unicorn_titles"], ENTERPRISES) == {"甲科技"}

    admin = login(users["admin"])
    period = {"awarded_from": "2024-01-01", "awarded_to": "2024-09-30"}
    answer = admin.get("/api/enterprises", {"title": "unicorn_or_potential", **period}).json()
    assert answer["count"] == 2
    assert sorted(r["name"] for r in answer["results"]) == sorted(["甲科技", "戊科技"])
    # The district's 瞪羚 link counts A and D, not B, which holds the title now (October).
    answer = admin.get("/api/enterprises", {"title": "gazelle", **period}).json()
    assert answer["count"] == 2
    # Without a period the group lists the current holders of either title.
    answer = admin.get("/api/enterprises", {"title": "unicorn_or_potential"}).json()
    assert answer["count"] == 2


@pytest.mark.django_db
def test_reward_paid_link_lists_the_entitlements_paid_in_the_period(
    world, users, login, jurisdictions
):
    """政策兑现拨付: the entitlements whose payment is dated in the period, of any year."""
    from xinzhi.rewards.models import Entitlement

    # 乙科技's reward is for 2023 but paid in August 2024: counted, so listed.
    Entitlement.all_objects.filter(payment__voucher_no="PZ0").update(year=2023)
    admin = login(users["admin"])
    # 1—9月: 乙 (高新区, 8月), 丁 (西太湖, 9-30); 甲's is October.
    assert names_on(admin, links(users["admin"])["reward_paid"], ENTERPRISES) == {
        "乙科技",
        "丁科技",
    }
    xth = links(users["admin"], jurisdictions["xth"].pk)["reward_paid"]
    assert names_on(admin, xth, ENTERPRISES) == {"丁科技"}
    gxq = login(users["gxq"])
    assert names_on(gxq, links(users["gxq"])["reward_paid"], ENTERPRISES) == {"乙科技"}

    admin = login(users["admin"])
    period = {"paid_from": "2024-01-01", "paid_to": "2024-09-30"}
    answer = admin.get("/api/rewards/entitlements", period).json()
    assert sorted(r["enterprise_name"] for r in answer["results"]) == ["丁科技", "乙科技"]
    assert answer["count"] == 2
    answer = admin.get(
        "/api/rewards/entitlements", {**period, "jurisdiction": jurisdictions["gxq"].pk}
    ).json()
    assert [r["enterprise_name"] for r in answer["results"]] == ["乙科技"]


APPLICATIONS = ("申报R1", "申报R2", "申报R3", "申报S1")


@pytest.mark.django_db
def test_recognitions_link_lists_the_approvals_decided_in_the_period(
    world, users, login, jurisdictions
):
    """科技项目认定: the 认定 call's applications approved (决定日期) in the period."""
    from xinzhi.calls.models import Call

    certification = Call.objects.get(kind="certification")
    Call.objects.filter(pk=certification.pk).update(stage="final")  # decided: published
    admin = login(users["admin"])
    url = links(users["admin"])["project_recognitions"]
    assert url.startswith(f"/calls/{certification.pk}/applications/?")
    # 1—9月: R1 (高新区), R3 (西太湖); R2 was rejected, S1 is a 科普 call's.
    assert names_on(admin, url, APPLICATIONS) == {"申报R1", "申报R3"}
    xth = links(users["admin"], jurisdictions["xth"].pk)["project_recognitions"]
    assert names_on(admin, xth, APPLICATIONS) == {"申报R3"}
    gxq = login(users["gxq"])
    assert names_on(gxq, links(users["gxq"])["project_recognitions"], APPLICATIONS) == {"申报R1"}
    # 1—4月: nothing decided, so no list to open.
    quiet = indicator_figures(
        user=users["admin"], year=2024, through=dt.date(2024, 4, 30), jurisdiction_id=None
    )
    assert {f.code: f.drilldown_url for f in quiet}["project_recognitions"] is None

    admin = login(users["admin"])
    answer = admin.get(
        f"/api/calls/{certification.pk}/applications",
        {"status": "approved", "decided_from": "2024-01-01", "decided_to": "2024-09-30"},
    ).json()
    assert sorted(r["title"] for r in answer["results"]) == ["申报R1", "申报R3"]
    answer = admin.get(
        f"/api/calls/{certification.pk}/applications",
        {"decided_from": "2024-05-06", "decided_to": "2024-12-31"},
    ).json()
    assert [r["title"] for r in answer["results"]] == ["申报R3"]


PROJECTS = ("甲项目", "乙项目")


@pytest.mark.django_db
def test_key_investment_link_lists_the_projects_reporting_in_the_period(
    world, users, login, jurisdictions
):
    """区重点项目完成投资: the projects whose monthly reports of the period's months are summed."""
    admin = login(users["admin"])
    # 1—9月: 甲 (高新区: 3月, 9月), 乙 (西太湖: 5月).
    assert names_on(admin, links(users["admin"])["key_project_investment"], PROJECTS) == {
        "甲项目",
        "乙项目",
    }
    xth = links(users["admin"], jurisdictions["xth"].pk)["key_project_investment"]
    assert names_on(admin, xth, PROJECTS) == {"乙项目"}
    # 9月 alone (当月): only 甲 reported.
    september = indicator_figures(user=users["admin"], year=2024, through=THROUGH, cumulative=False)
    url = {f.code: f.drilldown_url for f in september}["key_project_investment"]
    assert "reported_from=2024-09-01" in url
    assert names_on(admin, url, PROJECTS) == {"甲项目"}
    gxq = login(users["gxq"])
    assert names_on(gxq, links(users["gxq"])["key_project_investment"], PROJECTS) == {"甲项目"}

    admin = login(users["admin"])
    # A date counts its whole month (甲's October report is dated 10-01); March..April: 甲.
    for period, expected in (
        ({"reported_from": "2024-10-15"}, ["甲项目"]),
        ({"reported_from": "2024-01-01", "reported_to": "2024-04-30"}, ["甲项目"]),
        ({"reported_from": "2024-05-01", "reported_to": "2024-05-31"}, ["乙项目"]),
        ({"reported_from": "2024-01-01", "reported_to": "2024-09-30"}, ["乙项目", "甲项目"]),
    ):
        answer = admin.get("/api/projects/key", period).json()
        assert sorted(r["name"] for r in answer["results"]) == sorted(expected), period


@pytest.mark.django_db
def test_ladder_links_list_the_enterprises_entering_apply_in_the_period(
    world, users, login, jurisdictions
):
    """申报高企 / 科小入库评价: the tracks that entered 申报 in the period, wherever they are."""
    from xinzhi.cultivation.models import CultivationTrack

    # A moved on to 已认定 after applying: still counted, still listed.
    CultivationTrack.all_objects.filter(enterprise=world["A"], family="hnte").update(
        stage="certified"
    )
    admin = login(users["admin"])
    urls = links(users["admin"])
    assert urls["hnte_applications"].startswith("/cultivation/stages/hnte/apply/?")
    # 申报高企 1—9月: A, B (高新区), F (湖塘科技产业园); C's is 2023, D's October.
    assert names_on(admin, urls["hnte_applications"], ENTERPRISES) == {
        "甲科技",
        "乙科技",
        "己科技",
    }
    # 科小入库评价 1—9月: A (高新区), D (西太湖).
    assert names_on(admin, urls["tsme_evaluations"], ENTERPRISES) == {"甲科技", "丁科技"}
    htz = links(users["admin"], jurisdictions["htz"].pk)["hnte_applications"]
    assert names_on(admin, htz, ENTERPRISES) == {"己科技"}
    gxq = login(users["gxq"])
    assert names_on(gxq, links(users["gxq"])["hnte_applications"], ENTERPRISES) == {
        "甲科技",
        "乙科技",
    }
    # Without a range the list is still the tracks at the stage now: B, C, D, F (A moved on).
    admin = login(users["admin"])
    assert names_on(admin, "/cultivation/stages/hnte/apply/", ENTERPRISES) == {
        "乙科技",
        "丙科技",
        "丁科技",
        "己科技",
    }
