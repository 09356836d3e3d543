"""Pages and API of 项目推进: scope (another 板块's project is a 404 and nothing changes), the
export equals the filtered list, late projects first, report filing moves the colour."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from xinzhi.projects import services
from xinzhi.projects.delays import due_month, previous_month
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MonthlyReport,
)

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def world(users, make_project, make_funded, make_enterprise):
    """Three key projects in 高新区 (late, report missing, fine) and one in 西太湖."""
    today = _today()
    late = make_project(
        "恒立液压高端精密滚珠丝杠项目",
        planned={"completion": today - dt.timedelta(days=40)},
        total_investment=Decimal("500000"),
    )
    missing = make_project("屹创新型储能项目", total_investment=Decimal("30000"))
    fine = make_project(
        "星辰新能全钒液流储能电池智造基地", status="operating", total_investment=Decimal("80000")
    )
    foreign = make_project("西太湖项目", "xth", total_investment=Decimal("9000"))
    funded = make_funded()
    foreign_funded = make_funded(
        "西太湖研发项目", "xth", enterprise=make_enterprise("西太湖科技有限公司", "xth")
    )
    return {
        "late": late,
        "missing": missing,
        "fine": fine,
        "foreign": foreign,
        "funded": funded,
        "foreign_funded": foreign_funded,
    }


def _rows(response) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


def test_admin_sees_the_district_with_late_ones_first_and_gxq_only_its_own(login, users, world):
    response = login(users["admin"]).get(reverse("projects:list"))
    names = [p.name for p in response.context["page"].object_list]
    assert names[0] == "恒立液压高端精密滚珠丝杠项目"
    assert set(names) == {
        "恒立液压高端精密滚珠丝杠项目",
        "屹创新型储能项目",
        "星辰新能全钒液流储能电池智造基地",
        "西太湖项目",
    }
    signals = {p.name: p.signal for p in response.context["page"].object_list}
    assert signals["恒立液压高端精密滚珠丝杠项目"] == "red"
    assert signals["星辰新能全钒液流储能电池智造基地"] == "green"
    response = login(users["gxq"]).get(reverse("projects:list"))
    assert "西太湖项目" not in [p.name for p in response.context["page"].object_list]
    assert response.context["page"].paginator.count == 3


def test_the_export_equals_the_filtered_list(login, users, world):
    client = login(users["admin"])
    params = {"signal": "green"}
    page = client.get(reverse("projects:list"), params)
    listed = [p.name for p in page.context["page"].object_list]
    rows = _rows(client.get(reverse("projects:export"), params))
    header = rows[0]
    for title in ("项目名称", "项目类型", "所属板块", "总投资（万元）", "状态"):
        assert title in header
    assert [r[header.index("项目名称")] for r in rows[1:]] == listed
    rows = _rows(client.get(reverse("projects:export"), {"late": "true"}))
    assert [(r[0], r[header.index("状态")]) for r in rows[1:]] == [
        ("恒立液压高端精密滚珠丝杠项目", "滞后")
    ]
    assert rows[1][header.index("总投资（万元）")] == 500000.0
    gxq_rows = _rows(login(users["gxq"]).get(reverse("projects:export")))
    assert "西太湖项目" not in [r[0] for r in gxq_rows[1:]]


def test_every_endpoint_answers_404_for_another_boards_project_and_changes_nothing(
    client, login, users, world
):
    foreign, funded = world["foreign"], world["foreign_funded"]
    milestone = Milestone.all_objects.filter(project=foreign).first()
    report = services.report_submit(
        actor=users["admin"],
        project=foreign,
        month=previous_month(_today()),
        data={"invested_month": Decimal("5"), "invested_total": Decimal("5"), "progress": "施工"},
        issues=[services.IssueSpec("用地", "西太湖管委会")],
    )
    issue = CoordinationIssue.objects.unscoped().get()
    client = login(users["gxq"])
    gets = [
        reverse("projects:detail", args=[foreign.pk]),
        reverse("projects:edit", args=[foreign.pk]),
        reverse("projects:milestone_edit", args=[foreign.pk, milestone.pk]),
        reverse("projects:report_create", args=[foreign.pk]),
        reverse("projects:report_edit", args=[report.pk]),
        reverse("projects:funded_detail", args=[funded.pk]),
        reverse("projects:funded_edit", args=[funded.pk]),
        f"/api/projects/key/{foreign.pk}",
        f"/api/projects/funded/{funded.pk}",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        reverse("projects:edit", args=[foreign.pk]): {"name": "改名"},
        reverse("projects:milestone_edit", args=[foreign.pk, milestone.pk]): {
            "actual_on": _today().isoformat()
        },
        reverse("projects:report_create", args=[foreign.pk]): {"month": "2025-01"},
        reverse("projects:report_edit", args=[report.pk]): {"invested_month": "1"},
        reverse("projects:issue_create", args=[foreign.pk]): {"description": "x", "owner": "y"},
        reverse("projects:issue_close", args=[issue.pk]): {"resolution": "办结"},
        reverse("projects:funded_edit", args=[funded.pk]): {"name": "改名"},
        reverse("projects:funded_stage", args=[funded.pk]): {"step": "midterm"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    response = client.post(
        f"/api/projects/key/{foreign.pk}/reports",
        json.dumps(
            {"month": "2025-01-01", "invested_month": "1", "invested_total": "6", "progress": "x"}
        ),
        content_type="application/json",
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    funded.refresh_from_db()
    assert (foreign.name, foreign.version) == ("西太湖项目", 2)
    assert (funded.name, funded.stage) == ("西太湖研发项目", "approved")
    assert MonthlyReport.objects.unscoped().count() == 1
    assert CoordinationIssue.objects.unscoped().get().status == "open"
    assert Milestone.all_objects.filter(project=foreign, actual_on__isnull=False).count() == 0
    api = client.get("/api/projects/key").json()
    assert {r["name"] for r in api["results"]} == {
        "恒立液压高端精密滚珠丝杠项目",
        "屹创新型储能项目",
        "星辰新能全钒液流储能电池智造基地",
    }
    assert client.get("/api/projects/funded").json()["count"] == 1


def test_an_officer_files_a_report_and_the_colour_and_dashboard_move(login, users, world):
    project = world["missing"]
    client = login(users["gxq"])
    dashboard = client.get(reverse("projects:dashboard"))
    assert dashboard.context["by_signal"]["amber"] == 1
    assert client.get(reverse("projects:detail", args=[project.pk])).context["project"].signal == (
        "amber"
    )
    month = due_month(_today(), 5)
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {
            "month": month.strftime("%Y-%m"),
            "invested_month": "1200",
            "invested_total": "1200",
            "progress": "桩基施工完成",
            "issue_description": "施工用电增容",
            "issue_owner": "区供电公司",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("projects:detail", args=[project.pk])).context["project"].signal == (
        "green"
    )
    dashboard = client.get(reverse("projects:dashboard"))
    assert dashboard.context["by_signal"]["amber"] == 0
    assert CoordinationIssue.objects.unscoped().get().owner == "区供电公司"
    # The same month again is refused on the form, nothing written.
    response = client.post(
        reverse("projects:report_create", args=[project.pk]),
        {
            "month": month.strftime("%Y-%m"),
            "invested_month": "1",
            "invested_total": "1201",
            "progress": "x",
        },
    )
    assert response.status_code == 200
    assert "的月报已报送；如需更正，请修改该月月报。" in response.content.decode()
    assert MonthlyReport.objects.unscoped().count() == 1


def test_api_report_submission_and_refusals(login, users, world):
    project = world["missing"]
    client = login(users["gxq"])
    url = f"/api/projects/key/{project.pk}/reports"
    month = due_month(_today(), 5).isoformat()
    body = {"month": month, "invested_month": "100", "invested_total": "100", "progress": "封顶"}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["invested_total"] == "100.00"
    again = client.post(url, json.dumps(body), content_type="application/json")
    assert again.status_code == 400
    assert "已报送" in again.json()["detail"]
    leader = login(users["leader"]).post(url, json.dumps(body), content_type="application/json")
    assert leader.status_code == 403
    detail = login(users["gxq"]).get(f"/api/projects/key/{project.pk}").json()
    assert detail["signal"] == "green"
    assert [m["name"] for m in detail["milestones"]][:3] == ["立项", "拿地", "开工"]


def test_pages_render_for_the_officer(login, users, world):
    client = login(users["gxq"])
    project = world["late"]
    milestone = Milestone.all_objects.filter(project=project).first()
    for url in (
        reverse("projects:list"),
        reverse("projects:detail", args=[project.pk]),
        reverse("projects:edit", args=[project.pk]),
        reverse("projects:milestone_edit", args=[project.pk, milestone.pk]),
        reverse("projects:report_create", args=[project.pk]),
        reverse("projects:reports_due"),
        reverse("projects:issue_list"),
        reverse("projects:dashboard"),
        reverse("projects:funded_list"),
        reverse("projects:funded_detail", args=[world["funded"].pk]),
        reverse("projects:create"),
        reverse("projects:funded_create"),
        reverse("core:home"),
    ):
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("core:home")).content.decode()
    assert "1 个项目节点滞后" in home
    assert "1 个项目月报未报" in home


def test_funded_stage_and_budget_through_the_pages(login, users, world):
    funded = world["funded"]
    client = login(users["gxq"])
    response = client.post(
        reverse("projects:funded_stage", args=[funded.pk]),
        {"step": "midterm", "on": "2024-07-01", "result": "midterm:passed", "version": "1"},
    )
    assert response.status_code == 302
    funded.refresh_from_db()
    assert (funded.stage, funded.midterm_on) == ("midterm", dt.date(2024, 7, 1))
    response = client.post(
        reverse("projects:funded_edit", args=[funded.pk]),
        {
            "name": funded.name,
            "level": "municipal",
            "programme": funded.programme,
            "year": "2023",
            "enterprise": funded.enterprise_id,
            "jurisdiction": funded.jurisdiction_id,
            "budget_total": "500",
            "funding_grant": "100",
            "funding_self": "300",
            "funds_disbursed": "0",
            "starts_on": "2023-07-01",
            "ends_on": "2025-12-31",
            "approved_on": "2023-06-20",
            "version": str(funded.version),
        },
    )
    assert response.status_code == 200
    assert "预算不平衡" in response.content.decode()
    assert FundedProject.objects.unscoped().get(pk=funded.pk).funding_self == Decimal("400.00")


def test_a_project_list_filter_of_a_foreign_board_is_refused_in_the_api(login, users, world):
    foreign_board = world["foreign"].jurisdiction_id
    response = login(users["gxq"]).get("/api/projects/key", {"jurisdiction": foreign_board})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("筛选条件有误")
    assert KeyProject.objects.unscoped().count() == 4


def test_milestones_and_funded_projects_appear_on_the_enterprise_timeline(
    login, users, make_project, make_enterprise, make_funded
):
    from xinzhi.core.timeline import enterprise_timeline

    owner = make_enterprise("江苏新民电力设备有限公司")
    project = make_project(enterprise=owner, owner_name="")
    start = Milestone.all_objects.get(project=project, kind__code="start")
    services.milestone_record(
        actor=users["gxq"], milestone=start, planned_on=None, actual_on=dt.date(2025, 3, 1)
    )
    make_funded(enterprise=owner)
    titles = [item.title for item in enterprise_timeline(enterprise=owner, user=users["gxq"])]
    assert "重点项目“智能电网GIS组合式电力设备项目”开工" in titles
    assert (
        "市级“常州市重点研发计划（产业前瞻与关键核心技术）”立项：新型无掩膜直写微米光刻系统关键技术研发"
        in titles
    )
    foreign = enterprise_timeline(enterprise=owner, user=users["xth"])
    assert [i for i in foreign if i.kind in ("重点项目", "科技计划")] == []


def test_a_future_actual_date_on_the_milestone_page_is_refused_on_the_form(login, users, world):
    project = world["missing"]
    start = Milestone.all_objects.get(project=project, kind__code="start")
    response = login(users["gxq"]).post(
        reverse("projects:milestone_edit", args=[project.pk, start.pk]),
        {"actual_on": (_today() + dt.timedelta(days=3)).isoformat(), "version": "1"},
    )
    assert response.status_code == 200
    assert "不能晚于今天；尚未完成的节点请只填计划日期。" in response.content.decode()
    start.refresh_from_db()
    assert start.actual_on is None


def test_the_milestone_plan_is_filled_in_one_form(login, users, world):
    project = world["missing"]
    milestones = {
        m.kind.code: m for m in Milestone.all_objects.filter(project=project).select_related("kind")
    }
    client = login(users["gxq"])
    assert client.get(reverse("projects:milestones_edit", args=[project.pk])).status_code == 200
    today = _today()
    data = {"version": "1"}
    for m in milestones.values():
        data[f"planned_{m.pk}"] = ""
        data[f"actual_{m.pk}"] = ""
    data[f"planned_{milestones['start'].pk}"] = (today - dt.timedelta(days=30)).isoformat()
    data[f"actual_{milestones['start'].pk}"] = (today - dt.timedelta(days=28)).isoformat()
    data[f"planned_{milestones['completion'].pk}"] = (today + dt.timedelta(days=200)).isoformat()
    response = client.post(reverse("projects:milestones_edit", args=[project.pk]), data)
    assert response.status_code == 302
    start = Milestone.all_objects.get(pk=milestones["start"].pk)
    assert start.actual_on == today - dt.timedelta(days=28)
    project.refresh_from_db()
    assert project.status == "building"
    stale = client.post(reverse("projects:milestones_edit", args=[project.pk]), data)
    assert "已被他人修改" in stale.content.decode()


def test_an_officer_registers_a_project_and_goes_on_to_its_milestone_plan(login, users, types):
    from xinzhi.accounts.models import Jurisdiction

    client = login(users["gxq"])
    form = client.get(reverse("projects:create")).context["form"]
    assert form["year"].initial == _today().year
    response = client.post(
        reverse("projects:create"),
        {
            "name": "屹创新型储能项目",
            "project_type": types["industrial"].pk,
            "owner_name": "屹创新型储能（EnerVenue）",
            "jurisdiction": Jurisdiction.objects.get(code="wjhtz").pk,
            "year": str(_today().year),
            "total_investment": "60000",
            "status": "preparing",
            "reports_from": _today().replace(day=1).isoformat(),
        },
    )
    project = KeyProject.objects.unscoped().get()
    assert response["Location"] == reverse("projects:milestones_edit", args=[project.pk])
    assert (project.total_investment, project.officer) == (Decimal("60000.00"), None)
    refused = client.post(
        reverse("projects:create"),
        {
            "name": "越界项目",
            "project_type": types["industrial"].pk,
            "owner_name": "某公司",
            "jurisdiction": Jurisdiction.objects.get(code="xth").pk,
            "year": "2025",
            "total_investment": "1",
            "status": "preparing",
            "reports_from": "2025-01-01",
        },
    )
    assert refused.status_code == 200
    assert KeyProject.objects.unscoped().count() == 1
