"""Pages and API of the 科技招商 pipeline: scoping, board moves, export, query counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from xinzhi.attraction import services
from xinzhi.attraction.models import AftercareRequest, Docking, Lead, StageChange, TalentReferral
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import Enterprise

TODAY = dt.date.today()
CODE = "91320412MA1NAB2K5E"


def reload(lead: Lead) -> Lead:
    return Lead.objects.unscoped().select_related("stage").get(pk=lead.pk)


def test_pages_require_login(client, db):
    for url in ("/attraction/", "/attraction/leads/", "/attraction/stats/"):
        assert client.get(url).status_code == 302


def test_officer_sees_only_own_pipeline(login, users, make_lead):
    make_lead("高新区项目", "gxq")
    make_lead("西太湖项目", "xth")
    client = login(users["gxq"])
    for url in ("/attraction/", "/attraction/leads/"):
        body = client.get(url).content.decode()
        assert "高新区项目" in body
        assert "西太湖项目" not in body
    admin_body = login(users["admin"]).get("/attraction/leads/").content.decode()
    assert "高新区项目" in admin_body and "西太湖项目" in admin_body


def test_board_move_without_js_redirects_and_records_history(login, users, make_lead, stages):
    lead = make_lead(stage="clue")
    response = login(users["gxq"]).post(
        f"/attraction/leads/{lead.pk}/move/",
        {
            "stage": stages["docking"].pk,
            "from": "board",
            "next": "/attraction/",
            "version": reload(lead).version,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/attraction/"
    assert reload(lead).stage.code == "docking"
    assert StageChange.objects.unscoped().filter(lead=lead).count() == 2


def test_board_move_with_htmx_swaps_the_board(login, users, make_lead, stages):
    lead = make_lead("超快激光器项目", stage="clue")
    response = login(users["gxq"]).post(
        f"/attraction/leads/{lead.pk}/move/",
        {"stage": stages["docking"].pk, "from": "board"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="board",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="board"')
    assert "“超快激光器项目”已移至“对接”阶段。" in body
    assert reload(lead).stage.code == "docking"


def test_board_skip_shows_a_chinese_message_and_changes_nothing(login, users, make_lead, stages):
    lead = make_lead(stage="clue")
    response = login(users["gxq"]).post(
        f"/attraction/leads/{lead.pk}/move/",
        {"stage": stages["signed"].pk, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert "不能跳过“对接”“洽谈”阶段" in response.content.decode()
    assert reload(lead).stage.code == "clue"
    assert StageChange.objects.unscoped().filter(lead=lead).count() == 1


def test_leader_reads_but_cannot_move(login, users, make_lead, stages):
    lead = make_lead(stage="clue")
    client = login(users["leader"])
    assert client.get(f"/attraction/leads/{lead.pk}/").status_code == 200
    response = client.post(f"/attraction/leads/{lead.pk}/move/", {"stage": stages["docking"].pk})
    assert response.status_code == 403
    assert reload(lead).stage.code == "clue"


def test_docking_page_rejects_a_past_follow_up(login, users, make_lead):
    lead = make_lead(stage="docking")
    response = login(users["gxq"]).post(
        f"/attraction/leads/{lead.pk}/dockings/new/",
        {
            "held_on": TODAY.isoformat(),
            "form": "visit",
            "next_follow_up_on": (TODAY - dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert f"下次跟进日期不能早于今天（{TODAY:%Y-%m-%d}）。" in response.content.decode()
    assert Docking.objects.unscoped().count() == 0


def test_land_page_creates_the_enterprise_shown_in_the_enterprise_library(login, users, make_lead):
    lead = make_lead("超快固体激光器项目", stage="signed")
    client = login(users["gxq"])
    response = client.post(
        f"/attraction/leads/{lead.pk}/land/",
        {"mode": "create", "credit_code": CODE, "name": "华创鸿度光电（常州）有限公司"},
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.unscoped().get(credit_code=CODE)
    assert "华创鸿度光电（常州）有限公司" in client.get("/enterprises/").content.decode()
    assert reload(lead).enterprise == enterprise  # its timeline: see test_services
    # The same code again is a duplicate: Chinese message, nothing changed.
    other = make_lead("另一个项目", stage="signed")
    response = client.post(
        f"/attraction/leads/{other.pk}/land/", {"mode": "create", "credit_code": CODE}
    )
    assert "该统一社会信用代码已登记在企业库中，不能重复新建" in response.content.decode()
    assert reload(other).stage.code == "signed"
    assert Enterprise.objects.unscoped().count() == 1


def test_export_matches_the_filtered_list(login, users, make_lead, stages):
    make_lead("上海光刻项目", stage="docking", source_region="上海", channel="university")
    make_lead("深圳模拟器项目", stage="clue", source_region="深圳")
    make_lead("西太湖项目", "xth", source_region="上海")
    client = login(users["gxq"])
    params = {"region": "上海"}
    listed = client.get("/attraction/leads/", params).content.decode()
    assert "上海光刻项目" in listed and "深圳模拟器项目" not in listed
    response = client.get("/attraction/leads/export.xlsx", params)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    header = rows[0]
    assert header[:3] == ["项目名称", "所属板块", "阶段"]
    assert [r[:3] for r in rows[1:]] == [["上海光刻项目", "武进国家高新区", "对接"]]
    by_stage = client.get("/attraction/leads/export.xlsx", {"stage": stages["clue"].pk})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(by_stage.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert [r[0] for r in rows[1:]] == ["深圳模拟器项目"]


def test_stale_filter_uses_the_days_on_the_stage(login, users, make_lead, stages):
    old = make_lead("长期未动项目", stage="clue", start=TODAY - dt.timedelta(days=40))
    make_lead("新项目", stage="clue", start=TODAY - dt.timedelta(days=5))
    body = login(users["gxq"]).get("/attraction/leads/", {"stale": "true"}).content.decode()
    assert "长期未动项目" in body and "新项目" not in body
    assert reload(old).is_stale
    stages["clue"].stale_after_days = 60
    stages["clue"].save()
    body = login(users["gxq"]).get("/attraction/leads/", {"stale": "true"}).content.decode()
    assert "长期未动项目" not in body


def test_follow_ups_put_overdue_first(login, users, make_lead):
    later = make_lead("后续项目", officer=users["gxq"])
    overdue = make_lead("逾期项目", officer=users["gxq"])
    Lead.objects.unscoped().filter(pk=later.pk).update(
        next_follow_up_on=TODAY + dt.timedelta(days=3)
    )
    Lead.objects.unscoped().filter(pk=overdue.pk).update(
        next_follow_up_on=TODAY - dt.timedelta(days=3)
    )
    body = login(users["gxq"]).get("/attraction/follow-ups/").content.decode()
    assert body.index("逾期项目") < body.index("后续项目")


def test_stats_are_jurisdiction_scoped(login, users, make_lead):
    make_lead("高新区项目", "gxq", stage="signed")
    make_lead("西太湖项目", "xth", stage="docking")
    admin = login(users["admin"]).get("/attraction/stats/")
    assert admin.context["totals"]["total"] == 2
    assert [c["to"] for c in admin.context["conversion"]][:3] == [2, 1, 1]
    gxq = login(users["gxq"]).get("/attraction/stats/")
    assert gxq.context["totals"]["total"] == 1
    assert gxq.context["charts"]["funnel"]["items"][3] == {"name": "签约", "value": 1}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/attraction/leads/", "/attraction/"])
def test_list_and_board_keep_a_constant_query_count(login, users, make_lead, url):
    for i in range(3):
        make_lead(f"项目{i}", officer=users["gxq"], stage="docking")
    client = login(users["gxq"])
    _queries(client, url)  # warm the session and the jurisdiction-subtree cache
    few = _queries(client, url)
    for i in range(3, 12):
        make_lead(f"项目{i}", officer=users["admin"], stage="negotiation")
    assert _queries(client, url) == few


def test_api_list_filters_and_moves(login, users, make_lead, stages):
    lead = make_lead("上海光刻项目", source_region="上海")
    make_lead("深圳项目", source_region="深圳")
    client = login(users["gxq"])
    data = client.get("/api/attraction/leads", {"region": "上海"}).json()
    assert (data["count"], data["results"][0]["name"]) == (1, "上海光刻项目")
    response = client.post(
        f"/api/attraction/leads/{lead.pk}/move",
        {"stage": stages["negotiation"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("不能跳过“对接”阶段")
    response = client.post(
        f"/api/attraction/leads/{lead.pk}/move",
        {"stage": stages["docking"].pk, "note": "线上会谈"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["stage_changes"][0]["to_stage"] == "对接"


OTHER_GETS = [
    "/attraction/leads/{pk}/",
    "/attraction/leads/{pk}/edit/",
    "/attraction/leads/{pk}/dockings/new/",
    "/attraction/leads/{pk}/land/",
    "/attraction/leads/{pk}/aftercare/new/",
    "/api/attraction/leads/{pk}",
]


@pytest.mark.parametrize("url", OTHER_GETS)
def test_other_jurisdictions_lead_is_not_found_on_read(login, users, make_lead, url):
    lead = make_lead("西太湖项目", "xth")
    assert login(users["gxq"]).get(url.format(pk=lead.pk)).status_code == 404


OTHER_POSTS = [
    ("/attraction/leads/{pk}/edit/", {"name": "被改", "version": 1}, False),
    ("/attraction/leads/{pk}/move/", {"stage": "{docking}", "from": "board"}, False),
    ("/attraction/leads/{pk}/dockings/new/", {"held_on": str(TODAY), "form": "visit"}, False),
    ("/attraction/leads/{pk}/land/", {"mode": "create", "credit_code": CODE}, False),
    ("/attraction/leads/{pk}/drop/", {"reason": "other_region"}, False),
    ("/attraction/leads/{pk}/restore/", {}, False),
    ("/attraction/leads/{pk}/aftercare/new/", {"kind": "premises", "title": "x"}, False),
    ("/api/attraction/leads/{pk}/move", {"stage": "{docking}"}, True),
    ("/api/attraction/leads/{pk}/dockings", {"held_on": str(TODAY), "form": "visit"}, True),
    ("/api/attraction/leads/{pk}/land", {"credit_code": CODE}, True),
]


@pytest.mark.parametrize(("url", "data", "is_json"), OTHER_POSTS)
def test_other_jurisdictions_lead_is_not_found_on_write(
    login, users, make_lead, stages, url, data, is_json
):
    lead = make_lead("西太湖项目", "xth")
    before = reload(lead)
    events = AuditEvent.all_objects.count()
    data = {k: (stages["docking"].pk if v == "{docking}" else v) for k, v in data.items()}
    client = login(users["gxq"])
    if is_json:
        response = client.post(url.format(pk=lead.pk), data, content_type="application/json")
    else:
        response = client.post(url.format(pk=lead.pk), data)
    assert response.status_code == 404
    after = reload(lead)
    assert (after.name, after.stage_id, after.version, after.status) == (
        "西太湖项目",
        before.stage_id,
        before.version,
        "active",
    )
    assert AuditEvent.all_objects.count() == events
    assert Docking.objects.unscoped().count() == 0
    assert Enterprise.objects.unscoped().count() == 0
    assert AftercareRequest.objects.unscoped().count() == 0


def test_other_jurisdictions_aftercare_and_referral_are_not_found(
    login, users, jurisdictions, make_enterprise
):
    enterprise = make_enterprise("西太湖企业", "xth")
    request = services.aftercare_create(
        actor=users["admin"], enterprise=enterprise, data={"kind": "policy", "title": "政策咨询"}
    )
    referral = services.referral_create(
        actor=users["admin"],
        data={
            "project_name": "西太湖人才创业",
            "programme": "longcheng",
            "source": "科创帮",
            "pushed_on": TODAY,
            "jurisdiction": jurisdictions["xth"],
        },
    )
    client = login(users["gxq"])
    assert (
        client.post(
            f"/attraction/aftercare/{request.pk}/advance/", {"status": "in_progress"}
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/attraction/talent/{referral.pk}/advance/", {"status": "selected"}
        ).status_code
        == 404
    )
    assert AftercareRequest.objects.unscoped().get().status == "open"
    assert TalentReferral.objects.unscoped().get().status == "pushed"
    assert "西太湖人才创业" not in client.get("/attraction/talent/").content.decode()
    assert "政策咨询" not in client.get("/attraction/aftercare/").content.decode()


def test_board_offers_landing_only_where_the_service_allows_it(login, users, make_lead, stages):
    signed = make_lead("已签约项目", stage="signed")
    talks = make_lead("洽谈中项目", stage="negotiation")
    client = login(users["gxq"])
    board = client.get("/attraction/").content.decode()
    assert f'href="/attraction/leads/{signed.pk}/land/" data-testid="land-{signed.pk}"' in board
    assert f'data-testid="land-{talks.pk}"' not in board
    assert 'data-testid="land"' in client.get(f"/attraction/leads/{signed.pk}/").content.decode()
    assert 'data-testid="land"' not in client.get(f"/attraction/leads/{talks.pk}/").content.decode()
    # A reader is offered nothing.
    assert 'data-testid="land-' not in login(users["leader"]).get("/attraction/").content.decode()


def test_board_drag_to_registered_opens_the_landing_form(login, users, make_lead, stages):
    lead = make_lead("超快固体激光器项目", stage="signed")
    client = login(users["gxq"])
    move = {"stage": stages["registered"].pk, "from": "board", "version": reload(lead).version}
    response = client.post(
        f"/attraction/leads/{lead.pk}/move/", move, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="board"
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/attraction/leads/{lead.pk}/land/"
    assert reload(lead).stage.code == "signed"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert (
        "“超快固体激光器项目”进入“落地注册”须关联落地企业：请填写统一社会信用代码，"
        "关联已有企业或新建企业，提交后即进入“落地注册”阶段。"
    ) in page
    # Without JavaScript the same move redirects to the form.
    response = client.post(f"/attraction/leads/{lead.pk}/move/", move)
    assert (response.status_code, response["Location"]) == (
        302,
        f"/attraction/leads/{lead.pk}/land/",
    )
    # The form then lands it: 落地注册 with the enterprise linked.
    response = client.post(
        f"/attraction/leads/{lead.pk}/land/",
        {"mode": "create", "credit_code": CODE, "name": "华创鸿度光电（常州）有限公司"},
    )
    assert response.status_code == 302
    assert reload(lead).stage.code == "registered"


def test_board_move_to_registered_from_talks_is_refused_with_the_rule(
    login, users, make_lead, stages
):
    lead = make_lead(stage="negotiation")
    response = login(users["gxq"]).post(
        f"/attraction/leads/{lead.pk}/move/",
        {"stage": stages["registered"].pk, "from": "board"},
        HTTP_HX_REQUEST="true",
    )
    assert "HX-Redirect" not in response
    assert "不能跳过“签约”阶段" in response.content.decode()
    assert reload(lead).stage.code == "negotiation"


def test_a_large_export_becomes_a_job_whose_file_holds_exactly_the_scoped_list(
    settings, login, users, make_lead
):
    from xinzhi.jobs.models import Job

    make_lead("上海光刻项目", source_region="上海")
    make_lead("上海射频项目", source_region="上海")
    make_lead("深圳模拟器项目", source_region="深圳")
    make_lead("西太湖项目", "xth", source_region="上海")  # another 板块: not the officer's
    settings.XINZHI_EXPORT_JOB_ROWS = 1
    client = login(users["gxq"])
    response = client.get("/attraction/leads/export.xlsx", {"region": "上海"})
    job = Job.objects.get(kind="lead_export")
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.state, job.owner, job.done, job.total) == (Job.State.SUCCEEDED, users["gxq"], 2, 2)
    assert "共导出 2 个项目" in client.get(response.url).content.decode()
    download = client.get(f"/jobs/{job.pk}/result/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    assert sorted(r[0] for r in rows.to_python()[1:]) == ["上海光刻项目", "上海射频项目"]
    assert login(users["xth"]).get(f"/jobs/{job.pk}/result/").status_code == 404
