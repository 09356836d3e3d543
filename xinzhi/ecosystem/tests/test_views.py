"""Pages, exports and API of 创新生态: one filter set for page, API and export; every object
endpoint answers 404 to another 板块's officer and changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from xinzhi.attraction.models import Lead
from xinzhi.ecosystem import services
from xinzhi.ecosystem.models import CompetitionEntry, IncubationSpell, ListingCandidate

TODAY = dt.date.today()


def _rows(response) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


@pytest.fixture
def world(users, jurisdictions, competition, incubator, push, make_enterprise):
    """In 高新区: an outside team's entry, an enterprise entry with a prize, a spell and a
    listing candidate; in 西太湖: one entry and one candidate."""
    admin = users["admin"]
    outside = services.entry_create(
        actor=admin,
        data={
            "competition": competition,
            "track": "新材料行业赛",
            "project_name": "高导热氮化硼复合膜",
            "team_name": "上海氮硼团队",
            "jurisdiction": jurisdictions["gxq"],
        },
    )
    prize = services.entry_create(
        actor=admin,
        data={
            "competition": competition,
            "track": "新材料行业赛",
            "project_name": "PEEK材料解决方案",
            "enterprise": make_enterprise("江苏君华特种高分子材料股份有限公司", "gxq"),
        },
    )
    services.entry_result(
        actor=admin,
        entry=prize,
        data={"award": "first", "rank": 1, "result_note": "全场总分第一"},
        expected_version=1,
    )
    west = services.entry_create(
        actor=admin,
        data={
            "competition": competition,
            "project_name": "西太湖项目",
            "enterprise": make_enterprise("西太湖科技有限公司", "xth"),
        },
    )
    spell = services.spell_start(
        actor=admin,
        carrier=incubator,
        enterprise=make_enterprise("高新区初创有限公司", "gxq"),
        entered_on=TODAY - dt.timedelta(days=30),
    )
    candidate = services.listing_add(
        actor=admin,
        enterprise=make_enterprise("高新区后备有限公司", "gxq"),
        data={"board": "star"},
        on=TODAY - dt.timedelta(days=30),
    )
    services.listing_add(
        actor=admin,
        enterprise=make_enterprise("西太湖后备有限公司", "xth"),
        data={"board": "neeq"},
        on=TODAY - dt.timedelta(days=30),
    )
    push("微流控芯片项目", "gxq")
    push("固态电解质项目", "xth")
    return {
        "outside": outside,
        "prize": prize,
        "west": west,
        "spell": spell,
        "candidate": candidate,
    }


def test_the_carrier_api_returns_figures_from_records_in_the_viewers_scope(
    client, users, world, centre
):
    client.force_login(users["admin"])
    body = client.get("/api/ecosystem/carriers?kind=transfer").json()
    assert body == [
        {
            "id": centre.pk,
            "name": "上海高校技术转移（常州）中心",
            "kind": "transfer",
            "level": "district",
            "leads_pushed": 2,
            "leads_landed": 0,
            "enterprises_incubated": 0,
        }
    ]
    client.force_login(users["xth"])
    assert client.get("/api/ecosystem/carriers?kind=transfer").json()[0]["leads_pushed"] == 1
    assert (
        client.get("/api/ecosystem/carriers?kind=incubator").json()[0]["enterprises_incubated"] == 0
    )


def test_one_filter_for_the_entry_page_api_and_export(client, users, world):
    client.force_login(users["gxq"])
    page = client.get("/ecosystem/entries/?awarded=true")
    assert [e.project_name for e in page.context["page"].object_list] == ["PEEK材料解决方案"]
    api = client.get("/api/ecosystem/entries?awarded=true").json()
    assert [r["project_name"] for r in api["results"]] == ["PEEK材料解决方案"]
    assert api["results"][0]["award"] == "first" and api["results"][0]["rank"] == 1
    rows = _rows(client.get("/ecosystem/entries/export.xlsx?awarded=true"))
    assert rows[0][:4] == ["大赛", "年度", "赛道/行业赛", "参赛项目"]
    assert [r[3] for r in rows[1:]] == ["PEEK材料解决方案"]
    # The officer's lists hold only their 板块: 西太湖's entry is nowhere.
    everything = client.get("/api/ecosystem/entries").json()
    assert sorted(r["project_name"] for r in everything["results"]) == [
        "PEEK材料解决方案",
        "高导热氮化硼复合膜",
    ]
    assert "西太湖项目" not in client.get("/ecosystem/entries/").content.decode()


def test_a_foreign_jurisdiction_filter_is_refused_not_widened(client, users, world, jurisdictions):
    client.force_login(users["gxq"])
    response = client.get(f"/api/ecosystem/listing?jurisdiction={jurisdictions['xth'].pk}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("筛选条件有误")


def test_the_listing_board_and_export_by_stage(client, users, world):
    client.force_login(users["admin"])
    board = client.get("/ecosystem/listing/")
    columns = {
        c["stage"]: [x.enterprise.name for x in c["candidates"]] for c in board.context["columns"]
    }
    assert columns["reserve"] == ["高新区后备有限公司", "西太湖后备有限公司"]
    assert board.context["counts"]["reserve"] == 2
    rows = _rows(client.get("/ecosystem/listing/export.xlsx?board=neeq"))
    assert [(r[0], r[3], r[4]) for r in rows[1:]] == [("西太湖后备有限公司", "新三板", "入库")]
    client.force_login(users["gxq"])
    api = client.get("/api/ecosystem/listing").json()
    assert [r["enterprise_name"] for r in api["results"]] == ["高新区后备有限公司"]


def test_the_ladder_ends_at_listed_companies_counted_from_the_listing_board(
    client, users, world, make_enterprise
):
    """上市企业 is the ladder's top step: reserve stages in its columns, the listed in 认定."""
    admin = users["admin"]
    for name, stage in (("高新区上市有限公司", "listed"), ("高新区辅导有限公司", "tutoring")):
        candidate = services.listing_add(
            actor=admin,
            enterprise=make_enterprise(name, "gxq"),
            data={"board": "star"},
            on=TODAY - dt.timedelta(days=300),
        )
        services.listing_move(actor=admin, candidate=candidate, to_stage=stage)
    west = services.listing_add(
        actor=admin,
        enterprise=make_enterprise("西太湖挂牌有限公司", "xth"),
        data={"board": "neeq"},
        on=TODAY - dt.timedelta(days=300),
    )
    services.listing_move(actor=admin, candidate=west, to_stage="listed")

    def step(user):
        client.force_login(user)
        response = client.get("/cultivation/")
        (row,) = response.context["extra_rows"]
        chart = response.context["funnel"]["chart"]["items"][-1]
        return row["name"], row["stages"], row["total"], row["note"], chart

    note = "按上市后备阶段统计：入库=储备，股改/辅导备案=培育，申报受理至注册=申报，上市=认定"
    assert step(admin) == (
        "上市企业",
        [2, 1, 0, 1, 0],
        4,
        note + "；另有新三板挂牌 1 家",
        {"name": "上市企业", "value": 1},
    )
    assert step(users["gxq"]) == (
        "上市企业",
        [1, 1, 0, 1, 0],
        3,
        note,
        {"name": "上市企业", "value": 1},
    )
    client.force_login(admin)
    assert 'data-testid="step-listed"' in client.get("/cultivation/").content.decode()


def test_turning_an_entry_into_a_lead_from_the_page(client, users, world):
    client.force_login(users["gxq"])
    entry = world["outside"]
    response = client.post(f"/ecosystem/entries/{entry.pk}/to-lead/")
    lead = Lead.objects.unscoped().get(name="高导热氮化硼复合膜")
    assert response.status_code == 302 and response.url == f"/attraction/leads/{lead.pk}/"
    assert CompetitionEntry.objects.unscoped().get(pk=entry.pk).lead_id == lead.pk
    again = client.post(f"/ecosystem/entries/{entry.pk}/to-lead/", follow=True)
    assert "该参赛项目已转为招商项目" in again.content.decode()
    assert Lead.objects.unscoped().filter(name="高导热氮化硼复合膜").count() == 1


def test_the_api_turns_an_entry_into_a_lead(client, users, world):
    client.force_login(users["admin"])
    response = client.post(f"/api/ecosystem/entries/{world['outside'].pk}/lead")
    assert response.status_code == 200
    assert response.json()["stage"] == "线索"
    refused = client.post(f"/api/ecosystem/entries/{world['prize'].pk}/lead")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "参赛企业已在企业库中，无需转为招商项目。"


def test_the_api_moves_a_listing_candidate_with_a_version_check(client, users, world):
    client.force_login(users["gxq"])
    pk = world["candidate"].pk
    url = f"/api/ecosystem/listing/{pk}/move"
    moved = client.post(
        url, json.dumps({"stage": "restructured", "version": 1}), content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["stage_label"] == "股改"
    stale = client.post(
        url, json.dumps({"stage": "tutoring", "version": 1}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert ListingCandidate.objects.unscoped().get(pk=pk).stage == "restructured"


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", "/ecosystem/entries/{outside}/"),
        ("get", "/ecosystem/entries/{outside}/result/"),
        ("post", "/ecosystem/entries/{outside}/result/"),
        ("post", "/ecosystem/entries/{outside}/to-lead/"),
        ("get", "/ecosystem/listing/{candidate}/"),
        ("get", "/ecosystem/listing/{candidate}/edit/"),
        ("post", "/ecosystem/listing/{candidate}/edit/"),
        ("post", "/ecosystem/listing/{candidate}/move/"),
        ("post", "/ecosystem/spells/{spell}/close/"),
        ("post", "/api/ecosystem/entries/{outside}/lead"),
        ("post", "/api/ecosystem/listing/{candidate}/move"),
    ],
)
def test_another_jurisdictions_object_is_not_found_and_unchanged(client, users, world, method, url):
    client.force_login(users["xth"])
    target = url.format(
        outside=world["outside"].pk, candidate=world["candidate"].pk, spell=world["spell"].pk
    )
    if method == "get":
        response = client.get(target)
    elif target.startswith("/api/"):
        body = {"stage": "listed"} if "listing" in target else {}
        response = client.post(target, json.dumps(body), content_type="application/json")
    else:
        response = client.post(
            target,
            {
                "award": "first",
                "stage": "listed",
                "board": "main",
                "outcome": "left",
                "left_on": TODAY.isoformat(),
            },
        )
    assert response.status_code == 404
    assert CompetitionEntry.objects.unscoped().get(pk=world["outside"].pk).version == 1
    assert CompetitionEntry.objects.unscoped().get(pk=world["outside"].pk).lead_id is None
    candidate = ListingCandidate.objects.unscoped().get(pk=world["candidate"].pk)
    assert (candidate.stage, candidate.board, candidate.version) == ("reserve", "star", 1)
    assert IncubationSpell.objects.unscoped().get(pk=world["spell"].pk).outcome == "in"


def test_pages_render_for_the_admin_with_the_figures(client, users, world, centre):
    client.force_login(users["admin"])
    overview = client.get("/ecosystem/")
    assert overview.context["delivery"]["leads_pushed"] == 2
    assert overview.context["awards"]["awards"] == 1
    detail = client.get(f"/ecosystem/carriers/{centre.pk}/").content.decode()
    assert 'data-testid="leads-pushed">2<' in detail
    competition = client.get(f"/ecosystem/competitions/{world['prize'].competition_id}/")
    assert [r["jurisdiction"] for r in competition.context["by_jurisdiction"]] == [
        "武进国家高新区",
        "常州西太湖科技产业园",
    ]
    for url in (
        "/ecosystem/carriers/",
        "/ecosystem/tasks/",
        "/ecosystem/competitions/",
        "/ecosystem/listing/list/",
        "/ecosystem/carriers/new/",
        "/ecosystem/entries/new/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_forms_create_through_the_services(
    client, users, jurisdictions, centre, competition, make_enterprise
):
    client.force_login(users["gxq"])
    pushed = client.post(
        f"/ecosystem/carriers/{centre.pk}/push/",
        {
            "name": "车载激光雷达光学组件项目",
            "source_region": "上海",
            "jurisdiction": jurisdictions["gxq"].pk,
            "officer": users["gxq"].pk,
            "pushed_on": TODAY.isoformat(),
        },
    )
    assert pushed.status_code == 302
    lead = Lead.objects.unscoped().get(name="车载激光雷达光学组件项目")
    assert (lead.carrier_push.carrier_id, lead.channel) == (centre.pk, "university")

    firm = make_enterprise("常州君华测试有限公司", "gxq")
    entered = client.post(
        "/ecosystem/entries/new/",
        {
            "competition": competition.pk,
            "project_name": "PEEK材料解决方案",
            "enterprise": firm.credit_code,
            "entered_on": TODAY.isoformat(),
        },
    )
    assert entered.status_code == 302
    entry = CompetitionEntry.objects.unscoped().get(project_name="PEEK材料解决方案")
    assert (entry.enterprise_id, entry.jurisdiction_id) == (firm.pk, jurisdictions["gxq"].pk)

    foreign = make_enterprise("西太湖外板块有限公司", "xth")
    refused = client.post(
        "/ecosystem/listing/new/",
        {"enterprise": foreign.credit_code, "board": "star", "entered_on": TODAY.isoformat()},
    )
    assert refused.status_code == 200
    assert "不在您的管辖范围内" in refused.content.decode()
    added = client.post(
        "/ecosystem/listing/new/",
        {"enterprise": firm.credit_code, "board": "star", "entered_on": TODAY.isoformat()},
    )
    candidate = ListingCandidate.objects.unscoped().get(enterprise=firm)
    assert added.url == f"/ecosystem/listing/{candidate.pk}/"
    moved = client.post(
        f"/ecosystem/listing/{candidate.pk}/move/",
        {"stage": "restructured", "on": TODAY.isoformat(), "version": 1},
        follow=True,
    )
    assert "阶段已更新" in moved.content.decode()
    assert ListingCandidate.objects.unscoped().get(pk=candidate.pk).stage == "restructured"


def test_a_carrier_lists_the_funded_projects_it_partners_in_the_viewers_scope(
    client, users, centre, make_enterprise
):
    from decimal import Decimal

    from xinzhi.projects import services as projects

    for name, park, partners in (
        ("光刻系统研发", "gxq", f"{centre.name}\n南京大学"),
        ("储能材料研发", "xth", centre.name),
        ("无关项目", "gxq", f"{centre.name}分中心"),  # another unit whose name contains it
    ):
        projects.funded_create(
            actor=users["admin"],
            data={
                "name": name,
                "level": "municipal",
                "programme": "常州市重点研发计划",
                "year": TODAY.year - 1,
                "enterprise": make_enterprise(f"{name}有限公司", park),
                "partners": partners,
                "budget_total": Decimal("200"),
                "funding_grant": Decimal("100"),
                "funding_self": Decimal("100"),
                "starts_on": TODAY - dt.timedelta(days=300),
                "ends_on": TODAY + dt.timedelta(days=300),
                "approved_on": TODAY - dt.timedelta(days=300),
            },
        )

    def names(user):
        client.force_login(user)
        response = client.get(f"/ecosystem/carriers/{centre.pk}/")
        return [p.name for p in response.context["projects"]]

    assert names(users["admin"]) == ["储能材料研发", "光刻系统研发"]
    assert names(users["gxq"]) == ["光刻系统研发"]
