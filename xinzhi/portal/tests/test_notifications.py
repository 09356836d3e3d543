"""消息提醒: event notifications inside the causing service, idempotent reminders, scoped links,
per-kind choices, and the 工作台 fed by the same items."""

import datetime as dt
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from xinzhi.briefings.reminders import briefing_items
from xinzhi.calls import services as calls
from xinzhi.calls.choices import Stage
from xinzhi.calls.tests.conftest import set_stage
from xinzhi.notifications import services as notifications
from xinzhi.notifications.models import Notification, Preference
from xinzhi.portal import services

FIGURES = {"employees": 120, "revenue": Decimal("5200")}


def _kinds(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_declaration_events_notify_the_boards_officers_and_the_enterprise(client, users, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    assert _kinds(users["gxq"]) == ["declaration_submitted"]
    assert _kinds(users["xth"]) == []
    assert _kinds(users["admin"]) == []
    client.force_login(users["gxq"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'data-testid="unread-count">1<' in page
    assert "企业填报待审核：常州甲光电有限公司 2024年度" in page

    services.declaration_return(actor=users["gxq"], declaration_id=declaration.pk, reason="缺项")
    again = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    services.declaration_accept(actor=users["gxq"], declaration_id=again.pk)
    assert _kinds(manager) == ["declaration_accepted", "declaration_returned"]
    returned = Notification.objects.get(recipient=manager, kind="declaration_returned")
    assert returned.body == "退回原因：缺项"
    # Reminders use the same keys: nothing already told is told again. The one date-dependent
    # source is the admin's 上月月报未生成 (days 1—10 of a month), which this world does not meet.
    assert notifications.send_reminders() == len(briefing_items(today=timezone.localdate()))


def test_expert_sees_a_review_task_and_reminders_are_sent_once(
    client, users, firm_enterprise, cert_call, make_application, django_capture_on_commit_callbacks
):
    application = make_application(cert_call, firm_enterprise, title="激光雷达研发")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    assignment = calls.assignment_create(
        actor=users["admin"], application=application, reviewer=users["expert"]
    )
    expert = users["expert"]
    expert.email = "expert@example.com"
    expert.save()
    Preference.objects.create(user=expert, kind="review_assigned", in_app=True, email=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")

    tasks = Notification.objects.filter(recipient=expert, kind="review_assigned")
    assert [(n.title, n.url) for n in tasks] == [
        (
            "评审任务：2024年度区科技项目认定 · 激光雷达研发",
            reverse("calls:review", args=[assignment.pk]),
        )
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "【新质平台】评审任务：2024年度区科技项目认定 · 激光雷达研发"
    client.force_login(expert)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "[评审任务]" in page
    assert 'data-testid="unread-count">1<' in page
    opened = client.get(reverse("notifications:open", args=[tasks[0].pk]))
    assert opened["Location"] == reverse("calls:review", args=[assignment.pk])
    assert client.get(opened["Location"]).status_code == 200
    assert (
        'data-testid="unread-count"'
        not in client.get(reverse("notifications:inbox")).content.decode()
    )


def test_a_stale_link_answers_404(client, users, jurisdictions, manager):
    services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    note = Notification.objects.get(recipient=users["gxq"])
    officer = users["gxq"]
    officer.jurisdiction = jurisdictions["xth"]  # moved to another 板块
    officer.save()
    client.force_login(officer)
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert client.get(opened["Location"]).status_code == 404
    # Someone else's notification is not there at all.
    client.force_login(users["xth"])
    assert client.get(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is not None


def test_turning_a_kind_off_hides_it(client, users, manager):
    client.force_login(users["gxq"])
    response = client.post(reverse("notifications:preferences"), {"review_assigned-in_app": "on"})
    assert response.status_code == 302
    services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "企业填报待审核" not in page
    assert 'data-testid="unread-count"' not in page


def test_lead_reminders_for_the_responsible_officer(users, jurisdictions):
    from xinzhi.attraction.models import Stage as LeadStage
    from xinzhi.attraction.services import lead_create, stages_ensure_defaults

    stages_ensure_defaults()
    today = timezone.localdate()
    lead = lead_create(
        actor=users["gxq"],
        data={
            "name": "固态电池项目",
            "jurisdiction": jurisdictions["gxq"],
            "officer": users["gxq"],
        },
        on=today - dt.timedelta(days=200),
    )
    lead.__class__.objects.unscoped().filter(pk=lead.pk).update(next_follow_up_on=today)
    assert LeadStage.objects.exists()
    sent = notifications.send_reminders(today=today)
    kinds = _kinds(users["gxq"])
    assert "follow_up_due" in kinds and "lead_stale" in kinds
    assert notifications.send_reminders(today=today) == 0
    assert sent == Notification.objects.count()


def test_missing_monthly_reports_remind_the_boards_officer_once(users, jurisdictions):
    from xinzhi.projects import services as projects
    from xinzhi.projects.delays import previous_month

    today = dt.date(2026, 12, 10)
    last = previous_month(today)
    project = projects.key_project_create(
        actor=users["admin"],
        data={
            "name": "智能电网GIS组合式电力设备项目",
            "project_type": projects.types_ensure_defaults()[0],
            "jurisdiction": jurisdictions["gxq"],
            "owner_name": "江苏新民电力设备有限公司",
            "year": today.year,
            "total_investment": Decimal("12000"),
            "reports_from": previous_month(last),
        },
    )
    projects.report_submit(
        actor=users["admin"],
        project=project,
        month=previous_month(last),
        data={"invested_month": Decimal("10"), "invested_total": Decimal("10"), "progress": "开工"},
    )
    notifications.send_reminders(today=today)
    got = list(
        Notification.objects.filter(recipient=users["gxq"], kind="report_due").values_list(
            "title", "url"
        )
    )
    assert got == [
        (
            "逾期未报月报：智能电网GIS组合式电力设备项目（2026年11月，12月05日前报送）",
            f"/projects/{project.pk}/reports/new/?month=2026-11-01",
        )
    ]
    assert not Notification.objects.filter(recipient=users["xth"], kind="report_due").exists()
    assert notifications.send_reminders(today=today) == 0


def test_service_request_notifies_the_officers_and_the_answer_the_enterprise(
    users, manager, django_capture_on_commit_callbacks
):
    from xinzhi.attraction import services as attraction

    request = services.service_request_submit(actor=manager, kind="financing", title="科技贷款")
    assert _kinds(users["gxq"]) == ["request_new"]
    attraction.aftercare_advance(
        actor=users["gxq"], request=request, status="closed", resolution="已对接武科贷"
    )
    notifications.send_reminders()
    answered = Notification.objects.get(recipient=manager, kind="request_answered")
    assert (answered.title, answered.body) == ("服务诉求已办结：科技贷款", "已对接武科贷")


def test_the_workbench_lists_the_same_items_as_the_reminders(client, users, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    client.force_login(users["gxq"])
    todo = client.get(reverse("core:home")).context["todo"]
    assert [(line.label, line.title, line.url) for line in todo] == [
        (
            "企业填报待审核",
            "企业填报待审核：常州甲光电有限公司 2024年度",
            reverse("portal:declaration", args=[declaration.pk]),
        )
    ]
    client.force_login(users["xth"])
    assert client.get(reverse("core:home")).context["todo"] == []
    services.declaration_return(actor=users["gxq"], declaration_id=declaration.pk, reason="缺项")
    client.force_login(manager)
    page = client.get(reverse("portal:home"))
    assert [line.title for line in page.context["todo"]] == ["2024年度填报被退回"]
    client.force_login(users["gxq"])
    assert client.get(reverse("core:home")).context["todo"] == []  # nothing waits any more


def test_the_admin_is_told_of_calls_closing_and_rescores_to_approve(
    client, users, firm_enterprise, make_call, make_application
):
    closing = make_call(days_left=3, name="2024年度科普和学术项目")
    later = make_call(days_left=20)
    reviewed = make_application(later, firm_enterprise, title="激光雷达研发")
    set_stage(later, Stage.EXPERT_REVIEW)
    assignment = calls.assignment_create(
        actor=users["admin"], application=reviewed, reviewer=users["expert"]
    )
    calls.score_submit(
        actor=users["expert"],
        assignment=assignment,
        items={c.pk: Decimal(80) for c in later.criteria.all()},
    )
    calls.rescore_request(actor=users["expert"], assignment=assignment, reason="看错一项")
    client.force_login(users["admin"])
    lines = client.get(reverse("core:home")).context["todo"]
    # Days 1—10 of a month also hold the admin's 上月月报未生成 line (no briefing in this world).
    briefing_due = briefing_items(today=timezone.localdate(), user=users["admin"])
    todo = [line for line in lines if not line.title.startswith("上月科技工作月报未生成")]
    assert len(lines) - len(todo) == len(briefing_due)
    assert [(line.label, line.urgent) for line in todo] == [
        ("重新评分待批准", True),
        ("申报即将截止", False),
    ]
    assert todo[1].url == reverse("calls:detail", args=[closing.pk])
    assert "激光雷达研发" in todo[0].title


def test_reminders_are_sent_by_a_job_the_admin_starts_or_cron_queues(
    client, users, firm_enterprise, cert_call, make_application, settings, capsys
):
    """发送到期提醒 runs in the task worker: started from 我的任务, or queued by
    `xinzhi send_reminders --queue`; the job page says how many were sent, once."""
    from xinzhi.jobs.models import Job
    from xinzhi.jobs.services import job_run

    application = make_application(cert_call, firm_enterprise, title="激光雷达研发")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    calls.assignment_create(actor=users["admin"], application=application, reviewer=users["expert"])
    Notification.objects.all().delete()  # what the assignment told at once; the job retells it
    client.force_login(users["admin"])
    assert (
        'data-testid="job-start-send_reminders"'
        in client.get(reverse("jobs:list")).content.decode()
    )
    response = client.post(reverse("jobs:start", args=["send_reminders"]))
    job = Job.objects.get(kind="send_reminders")
    assert response["Location"] == job.get_absolute_url()
    expected = 1 + len(briefing_items(today=timezone.localdate()))
    assert (job.state, job.owner, job.summary["sent"]) == ("succeeded", users["admin"], expected)
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"新发送 {expected} 条提醒（已发送过的不再重复）" in page
    assert _kinds(users["expert"]) == ["review_assigned"]

    settings.XINZHI_TASK_BACKEND = "database"  # cron's run: queued for the worker
    call_command("send_reminders", "--queue", "--date", timezone.localdate().isoformat())
    queued = Job.objects.filter(kind="send_reminders").latest("pk")
    assert (
        capsys.readouterr().out == f"已提交后台任务 {queued.pk}（发送到期提醒），由任务进程发送。\n"
    )
    assert (queued.state, queued.owner) == ("queued", None)
    job_run(queued.pk)  # what the worker does with it
    queued.refresh_from_db()
    assert (queued.state, queued.summary["sent"]) == ("succeeded", 0)  # all told already
    client.force_login(users["gxq"])
    assert client.post(reverse("jobs:start", args=["send_reminders"])).status_code == 403
