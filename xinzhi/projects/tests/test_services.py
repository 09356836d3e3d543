"""Services of 项目推进: milestones, monthly reports, the derived colour, 科技计划 stages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.projects import selectors, services
from xinzhi.projects.delays import due_month, with_signal
from xinzhi.projects.models import (
    CoordinationIssue,
    KeyProject,
    Milestone,
    MonthlyReport,
    ReportPhoto,
    WarningSettings,
)
from xinzhi.projects.tests.conftest import TODAY

D = dt.date
pytestmark = pytest.mark.django_db


def _signal(project, today=TODAY):
    row = with_signal(KeyProject.objects.unscoped().filter(pk=project.pk), today=today).get()
    return row.signal, row.late_since


def _milestone(project, code):
    return Milestone.all_objects.select_related("kind").get(project=project, kind__code=code)


def _report(users, project, month, invested_month, invested_total, **kwargs):
    return services.report_submit(
        actor=kwargs.pop("actor", users["admin"]),
        project=project,
        month=month,
        data={
            "invested_month": Decimal(invested_month),
            "invested_total": Decimal(invested_total),
            "progress": "主体结构施工",
        },
        today=kwargs.pop("today", TODAY),
        **kwargs,
    )


# ---------------------------------------------------------------- milestones


def test_a_project_gets_its_types_milestones_in_order_with_planned_dates(make_project):
    project = make_project(planned={"start": D(2024, 9, 1), "completion": D(2025, 8, 31)})
    rows = list(
        Milestone.all_objects.filter(project=project)
        .order_by("kind__order")
        .values_list("kind__name", "planned_on")
    )
    assert rows == [
        ("立项", None),
        ("拿地", None),
        ("开工", D(2024, 9, 1)),
        ("主体封顶", None),
        ("竣工", D(2025, 8, 31)),
        ("投产", None),
        ("达产", None),
    ]
    event = AuditEvent.objects.unscoped().get(object_type="projects.keyproject")
    assert event.action == "create"
    assert event.changes["total_investment"]["after"] == "12000"


def test_an_unknown_milestone_code_is_refused_and_nothing_is_written(make_project):
    with pytest.raises(ApplicationError, match="该项目类型没有这些节点：launch"):
        make_project(planned={"launch": D(2025, 1, 1)})
    assert KeyProject.objects.unscoped().count() == 0


def test_a_milestone_actual_date_in_the_future_is_refused(users, make_project):
    project = make_project(planned={"topping": D(2025, 5, 1)})
    topping = _milestone(project, "topping")
    with pytest.raises(ApplicationError, match="实际日期（2025-06-11）不能晚于今天"):
        services.milestone_record(
            actor=users["admin"],
            milestone=topping,
            planned_on=D(2025, 5, 1),
            actual_on=D(2025, 6, 11),
            today=TODAY,
        )
    topping.refresh_from_db()
    assert topping.actual_on is None
    assert KeyProject.objects.unscoped().get().version == 1


def test_completing_start_moves_the_status_forward_and_a_stale_form_is_refused(users, make_project):
    project = make_project(status="preparing", planned={"start": D(2025, 3, 1)})
    start = _milestone(project, "start")
    services.milestone_record(
        actor=users["gxq"],
        milestone=start,
        planned_on=D(2025, 3, 1),
        actual_on=D(2025, 3, 20),
        expected_version=1,
        today=TODAY,
    )
    project.refresh_from_db()
    assert (project.status, project.version) == ("building", 2)
    assert start.days_late() == 19
    event = AuditEvent.objects.unscoped().filter(action="update").get()
    assert event.changes["actual_on"] == {
        "label": "开工实际日期",
        "before": None,
        "after": "2025-03-20",
    }
    assert event.changes["status"]["after"] == "在建"
    with pytest.raises(ConcurrentEditError):
        services.milestone_record(
            actor=users["gxq"],
            milestone=start,
            planned_on=D(2025, 2, 1),
            actual_on=D(2025, 3, 20),
            expected_version=1,
            today=TODAY,
        )
    assert _milestone(project, "start").planned_on == D(2025, 3, 1)


def test_a_milestone_done_before_the_one_it_follows_is_refused(users, make_project):
    project = make_project()
    services.milestone_record(
        actor=users["admin"],
        milestone=_milestone(project, "start"),
        planned_on=None,
        actual_on=D(2025, 3, 1),
        today=TODAY,
    )
    with pytest.raises(ApplicationError, match="早于前一节点“开工”的实际日期（2025-03-01）"):
        services.milestone_record(
            actor=users["admin"],
            milestone=_milestone(project, "topping"),
            planned_on=None,
            actual_on=D(2025, 2, 1),
            today=TODAY,
        )


def test_an_officer_of_another_board_cannot_touch_the_project(users, make_project):
    project = make_project()
    with pytest.raises(KeyProject.DoesNotExist):
        services.milestone_record(
            actor=users["xth"],
            milestone=_milestone(project, "start"),
            planned_on=D(2025, 1, 1),
            actual_on=None,
            today=TODAY,
        )
    with pytest.raises(ApplicationError, match="当前角色只能查看") as refused:
        _report(users, project, D(2025, 5, 1), "10", "10", actor=users["leader"])
    assert refused.value.code == "forbidden"


# ---------------------------------------------------------------- the derived colour


def test_a_late_milestone_is_red_and_a_grace_period_is_configurable(users, make_project):
    project = make_project(planned={"topping": D(2025, 6, 1), "completion": D(2025, 8, 31)})
    _report(users, project, D(2025, 5, 1), "100", "100")
    assert _signal(project) == ("red", D(2025, 6, 1))
    WarningSettings.objects.create(late_grace_days=10)
    assert _signal(project) == ("green", None)
    assert _signal(project, today=D(2025, 6, 12)) == ("red", D(2025, 6, 1))


def test_a_report_missing_after_the_due_day_is_amber_and_filing_it_turns_green(users, make_project):
    project = make_project(planned={"completion": D(2025, 8, 31)})
    _report(users, project, D(2025, 4, 1), "100", "100")
    # On 5 June May's report is not yet late; from the 6th it is.
    assert due_month(D(2025, 6, 5), 5) == D(2025, 4, 1)
    assert _signal(project, today=D(2025, 6, 5)) == ("green", None)
    assert _signal(project, today=D(2025, 6, 6)) == ("amber", None)
    _report(users, project, D(2025, 5, 1), "80", "180")
    assert _signal(project, today=D(2025, 6, 6)) == ("green", None)
    # The due day is data.
    WarningSettings.objects.create(report_due_day=10)
    assert _signal(project, today=D(2025, 7, 8)) == ("green", None)
    assert _signal(project, today=D(2025, 7, 11)) == ("amber", None)


def test_projects_that_no_longer_report_or_started_reporting_later_are_not_amber(make_project):
    running = make_project("星辰新能全钒液流储能电池智造基地", status="operating")
    new = make_project("屹创新型储能项目", reports_from=D(2025, 6, 1))
    assert _signal(running) == ("green", None)
    assert _signal(new) == ("green", None)


# ---------------------------------------------------------------- monthly reports


def test_bad_reports_are_refused_with_a_clear_message_and_nothing_is_written(users, make_project):
    project = make_project()
    _report(users, project, D(2025, 4, 1), "300", "5300")
    cases = [
        ((D(2025, 4, 1), "10", "5310"), "2025年04月的月报已报送；如需更正，请修改该月月报。"),
        (
            (D(2025, 5, 1), "10", "5200"),
            "累计完成投资不能减少：2025年04月月报累计已达5,300.00万元，本次填报5,200.00万元。",
        ),
        (
            (D(2025, 5, 1), "400", "300"),
            "累计完成投资（300.00万元）不能少于当月完成投资（400.00万元）。",
        ),
        ((D(2025, 7, 1), "10", "5310"), "不能填报未来月份（2025年07月）的月报。"),
        (
            (D(2025, 3, 1), "10", "5400"),
            "累计完成投资不能超过之后2025年04月月报的累计（5,300.00万元）。",
        ),
    ]
    for (month, invested, total), message in cases:
        with pytest.raises(ApplicationError) as refused:
            _report(
                users,
                project,
                month,
                invested,
                total,
                issues=[services.IssueSpec("用电增容", "区供电公司")],
            )
        assert refused.value.message == message
    assert MonthlyReport.objects.unscoped().count() == 1
    assert CoordinationIssue.objects.unscoped().count() == 0


def test_a_report_with_a_problem_and_a_photo_then_corrected(users, make_project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_project()
    report = _report(
        users,
        project,
        D(2025, 5, 17),  # any day of the month files that month
        "450.5",
        "8450.5",
        issues=[services.IssueSpec("110千伏线路迁改", "牛塘镇建设局", D(2025, 7, 1))],
        photos=[SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff")],
    )
    assert report.month == D(2025, 5, 1)
    issue = CoordinationIssue.objects.unscoped().get()
    assert (issue.owner, issue.raised_on, issue.report_id) == ("牛塘镇建设局", TODAY, report.pk)
    assert ReportPhoto.all_objects.get().name == "现场.jpg"
    with pytest.raises(ApplicationError, match="格式不支持"):
        services.photo_add(
            actor=users["admin"], report=report, upload=SimpleUploadedFile("a.exe", b"MZ")
        )
    services.report_update(
        actor=users["gxq"],
        report=report,
        data={"invested_month": Decimal("460"), "invested_total": Decimal("8460")},
        expected_version=1,
    )
    with pytest.raises(ConcurrentEditError):
        services.report_update(
            actor=users["gxq"],
            report=report,
            data={"invested_month": Decimal("1")},
            expected_version=1,
        )
    report.refresh_from_db()
    assert (report.invested_month, report.invested_total, report.version) == (
        Decimal("460.00"),
        Decimal("8460.00"),
        2,
    )
    services.issue_close(actor=users["gxq"], issue=issue, resolution="已完成迁改", today=TODAY)
    with pytest.raises(ApplicationError, match="该问题已办结"):
        services.issue_close(actor=users["gxq"], issue=issue, resolution="再办", today=TODAY)


def test_missing_owner_of_a_problem_is_refused(users, make_project):
    project = make_project()
    with pytest.raises(ApplicationError, match="请指定责任单位"):
        services.issue_create(
            actor=users["admin"], project=project, spec=services.IssueSpec("土地指标", " ")
        )


def test_reports_due_lists_overdue_and_upcoming_months(users, make_project):
    project = make_project(reports_from=D(2025, 3, 1))
    _report(users, project, D(2025, 3, 1), "10", "10")
    rows = selectors.reports_due(user=users["gxq"], today=D(2025, 5, 3))
    # On 3 May: March filed; April's report is due on 5 May (not yet overdue).
    assert [(r.month, r.due_on, r.overdue) for r in rows] == [(D(2025, 4, 1), D(2025, 5, 5), False)]
    rows = selectors.reports_due(user=users["gxq"], today=D(2025, 6, 10))
    assert [(r.month, r.overdue) for r in rows] == [(D(2025, 4, 1), True), (D(2025, 5, 1), True)]
    _report(users, project, D(2025, 4, 1), "10", "20")
    rows = selectors.reports_due(user=users["gxq"], today=D(2025, 6, 10))
    assert [(r.month, r.overdue) for r in rows] == [(D(2025, 5, 1), True)]
    assert selectors.reports_due(user=users["xth"], today=D(2025, 6, 10)) == []


# ---------------------------------------------------------------- figures other apps read


def test_figures_investment_started_completed_and_funded_by_level(users, make_project, make_funded):
    project = make_project(plan_year=2025, annual_plan=Decimal("6000"))
    other = make_project("西太湖项目", "xth", owner_name="某公司")
    _report(users, project, D(2024, 12, 1), "500", "500")
    _report(users, project, D(2025, 1, 1), "700", "1200")
    _report(users, project, D(2025, 2, 1), "800", "2000")
    _report(users, other, D(2025, 2, 1), "999", "999")
    for code, on in (("start", D(2025, 1, 10)), ("completion", D(2025, 5, 30))):
        services.milestone_record(
            actor=users["admin"],
            milestone=_milestone(project, code),
            planned_on=None,
            actual_on=on,
            today=TODAY,
        )
    year = {"start": D(2025, 1, 1), "end": D(2025, 12, 31)}
    assert selectors.investment_completed(user=users["gxq"], **year) == Decimal("1500")
    assert selectors.investment_completed(user=users["admin"], **year) == Decimal("2499")
    assert selectors.projects_started(user=users["gxq"], **year) == 1
    assert selectors.projects_completed(user=users["xth"], **year) == 0
    assert (
        selectors.projects_completed(user=users["admin"], start=D(2025, 1, 1), end=D(2025, 3, 31))
        == 0
    )
    progress = selectors.project_progress(
        project, selectors.key_reports(user=users["admin"], project=project)
    )
    assert (progress["invested_total"], progress["plan_done"], progress["plan_ratio"]) == (
        Decimal("2000.00"),
        Decimal("1500.00"),
        Decimal("25.0"),
    )
    make_funded()
    make_funded("省重点研发项目", level="provincial", year=2023)
    levels = selectors.funded_by_level(user=users["admin"], year=2023)
    assert {k: v["count"] for k, v in levels.items()} == {
        "national": 0,
        "provincial": 1,
        "municipal": 1,
        "district": 0,
    }
    assert levels["municipal"]["grant"] == Decimal("100.00")
    assert selectors.funded_by_level(user=users["xth"], year=2023)["municipal"]["count"] == 0


# ---------------------------------------------------------------- 科技计划项目


def test_a_budget_split_that_does_not_add_up_is_refused(make_funded):
    from xinzhi.projects.models import FundedProject

    with pytest.raises(ApplicationError) as refused:
        make_funded(funding_self=Decimal("300"))
    assert refused.value.message == (
        "预算不平衡：财政资助100.00万元 + 自筹300.00万元 = 400.00万元，与总预算500.00万元不符。"
    )
    with pytest.raises(ApplicationError, match="已拨付资助（150.00万元）不能超过财政资助"):
        make_funded(funds_disbursed=Decimal("150"))
    assert FundedProject.objects.unscoped().count() == 0


def test_funded_project_goes_through_midterm_and_acceptance(users, make_funded):
    project = make_funded()
    assert (project.stage, project.jurisdiction.code) == ("approved", "wjhtz")
    with pytest.raises(ApplicationError, match="中期检查日期不能晚于今天"):
        services.funded_midterm(
            actor=users["gxq"], project=project, on=D(2025, 6, 11), result="passed", today=TODAY
        )
    project = services.funded_midterm(
        actor=users["gxq"],
        project=project,
        on=D(2024, 7, 15),
        result="passed",
        expected_version=1,
        today=TODAY,
    )
    assert (project.stage, project.version) == ("midterm", 2)
    with pytest.raises(ApplicationError, match="验收不通过须填写验收意见"):
        services.funded_accept(
            actor=users["gxq"], project=project, on=D(2025, 6, 1), result="failed", today=TODAY
        )
    with pytest.raises(ConcurrentEditError):
        services.funded_accept(
            actor=users["gxq"],
            project=project,
            on=D(2025, 6, 1),
            result="passed",
            expected_version=1,
            today=TODAY,
        )
    project = services.funded_accept(
        actor=users["gxq"], project=project, on=D(2025, 6, 1), result="passed", today=TODAY
    )
    assert (project.stage, project.is_accepted, project.acceptance_on) == (
        "accepted",
        True,
        D(2025, 6, 1),
    )
    with pytest.raises(ApplicationError, match="项目已验收通过"):
        services.funded_accept(
            actor=users["gxq"], project=project, on=D(2025, 6, 2), result="passed", today=TODAY
        )
    stage_events = AuditEvent.objects.unscoped().filter(action="stage").count()
    assert stage_events == 2


def test_several_milestones_at_once_all_or_nothing(users, make_project):
    project = make_project()
    ids = {
        m.kind.code: m.pk
        for m in Milestone.all_objects.filter(project=project).select_related("kind")
    }
    with pytest.raises(ApplicationError, match="“主体封顶”的实际日期（2025-07-01）不能晚于今天"):
        services.milestones_record(
            actor=users["gxq"],
            project=project,
            dates={
                ids["start"]: (D(2025, 3, 1), D(2025, 3, 5)),
                ids["topping"]: (D(2025, 6, 1), D(2025, 7, 1)),
            },
            expected_version=1,
            today=TODAY,
        )
    assert Milestone.all_objects.filter(project=project, actual_on__isnull=False).count() == 0
    changed = services.milestones_record(
        actor=users["gxq"],
        project=project,
        dates={
            ids["start"]: (D(2025, 3, 1), D(2025, 3, 5)),
            ids["topping"]: (D(2025, 9, 1), None),
            ids["full"]: (None, None),
        },
        expected_version=1,
        today=TODAY,
    )
    assert changed == 2
    project.refresh_from_db()
    assert project.version == 3
    with pytest.raises(ConcurrentEditError):
        services.milestones_record(
            actor=users["gxq"], project=project, dates={}, expected_version=1, today=TODAY
        )
