import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from xinzhi.calls import services
from xinzhi.calls.choices import Stage
from xinzhi.calls.models import Application, Assignment, Attachment, Call, Score
from xinzhi.calls.tests.conftest import scored, set_stage
from xinzhi.core.models import AuditEvent


def total(response) -> int:
    return int(re.search(r'data-testid="total">(\d+)<', response.content.decode()).group(1))


@pytest.fixture
def xth_application(users, cert_call, make_enterprise, make_application):
    """A submitted application from 西太湖, plus an attachment."""
    application = make_application(
        cert_call, make_enterprise("西太湖企业", "xth"), actor=users["xth"], submit=False
    )
    services.attachment_add(
        actor=users["xth"],
        application=application,
        upload=SimpleUploadedFile("申报书.pdf", b"%PDF-1.4 test"),
    )
    return services.application_submit(actor=users["xth"], application=application)


def _snapshot():
    return (
        list(Application.objects.unscoped().values_list("status", "title", "version")),
        Attachment.objects.unscoped().count(),
        Assignment.objects.unscoped().count(),
        AuditEvent.all_objects.count(),
    )


APPLICATION_GETS = [
    "/calls/applications/{pk}/",
    "/calls/applications/{pk}/edit/",
    "/calls/attachments/{attachment}/",
    "/api/calls/applications/{pk}",
]
APPLICATION_POSTS = [
    ("/calls/applications/{pk}/edit/", {"title": "被改", "version": 2}),
    ("/calls/applications/{pk}/submit/", {}),
    ("/calls/applications/{pk}/withdraw/", {}),
    ("/calls/applications/{pk}/attachments/", {"file": "x"}),
    ("/calls/applications/{pk}/formal/", {"passed": "0", "note": "x"}),
    ("/calls/applications/{pk}/assign/", {"reviewer": 1}),
    ("/calls/applications/{pk}/decide/", {"approved": "1"}),
    ("/api/calls/applications/{pk}/withdraw", {}),
    ("/api/calls/applications/{pk}/decision", {"approved": True}),
]


@pytest.mark.parametrize("url", APPLICATION_GETS)
def test_other_jurisdictions_application_is_not_found_on_read(login, users, xth_application, url):
    attachment = Attachment.objects.unscoped().get()
    url = url.format(pk=xth_application.pk, attachment=attachment.pk)
    assert login(users["gxq"]).get(url).status_code == 404
    assert login(users["xth"]).get(url).status_code == 200


@pytest.mark.parametrize(("url", "data"), APPLICATION_POSTS)
def test_other_jurisdictions_application_is_not_found_on_write(
    login, users, xth_application, url, data
):
    before = _snapshot()
    client = login(users["gxq"])
    url = url.format(pk=xth_application.pk)
    if url.startswith("/api/"):
        response = client.post(url, data, content_type="application/json")
    else:
        response = client.post(url, data)
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.parametrize("url", [*APPLICATION_GETS, "/calls/reviews/{assignment}/"])
def test_expert_cannot_open_an_unassigned_application(
    login, users, reviewers, xth_application, cert_call, url
):
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    other = services.assignment_create(
        actor=users["admin"], application=xth_application, reviewer=reviewers["r2"]
    )
    attachment = Attachment.objects.unscoped().get()
    url = url.format(pk=xth_application.pk, attachment=attachment.pk, assignment=other.pk)
    assert login(users["expert"]).get(url).status_code == 404
    if "edit" not in url:
        assert login(reviewers["r2"]).get(url).status_code == 200


def test_expert_scores_an_assigned_application_in_the_page(
    login, users, xth_application, cert_call
):
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    assignment = services.assignment_create(
        actor=users["admin"], application=xth_application, reviewer=users["expert"]
    )
    client = login(users["expert"])
    reviews = client.get("/calls/reviews/").content.decode()
    assert xth_application.title in reviews
    criteria = list(cert_call.criteria.all())
    form = {f"c{c.pk}": m for c, m in zip(criteria, [80, 70, 90, 60], strict=True)}
    response = client.post(f"/calls/reviews/{assignment.pk}/", {**form, "comment": "团队扎实"})
    assert response.status_code == 302
    page = client.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    assert 'data-testid="frozen-total">74.50<' in page
    assert "已评分（第1版，已冻结）" in page
    # A second post without an approved re-score request is refused and changes nothing.
    again = client.post(f"/calls/reviews/{assignment.pk}/", {**form, "comment": "x"})
    assert again.status_code == 403
    assert services.RESCORE_RULE in again.content.decode()
    assert Score.objects.unscoped().count() == 1
    # The expert sees the application but no other reviewer and no score table.
    detail = client.get(f"/calls/applications/{xth_application.pk}/").content.decode()
    assert 'data-testid="assignments"' not in detail


def test_admin_only_actions_answer_403(login, users, cert_call, reviewers):
    for role in ("gxq", "leader", "expert"):
        client = login(users[role])
        assert client.get("/calls/new/").status_code == 403
        for action in ("stages", "open", "advance", "close", "draw", "publish"):
            assert client.post(f"/calls/{cert_call.pk}/{action}/").status_code == 403
        assert client.post(f"/api/calls/{cert_call.pk}/close").status_code == 403
    assert Call.objects.get().stage == Stage.SUBMISSION


def test_bureau_pages_are_refused_to_experts_and_enterprises(login, users, cert_call):
    client = login(users["expert"])
    assert client.get(f"/calls/{cert_call.pk}/ranking/").status_code == 403
    assert client.get(f"/calls/{cert_call.pk}/applications/export.xlsx").status_code == 403
    assert client.get(f"/calls/{cert_call.pk}/").status_code == 200


def test_officer_list_shows_only_own_jurisdiction(
    login, users, cert_call, make_enterprise, make_application
):
    make_application(cert_call, make_enterprise("高新区企业", "gxq"))
    make_application(cert_call, make_enterprise("西太湖企业", "xth"))
    response = login(users["gxq"]).get(f"/calls/{cert_call.pk}/applications/")
    assert total(response) == 1
    assert "高新区企业" in response.content.decode()
    assert "西太湖企业" not in response.content.decode()
    assert total(login(users["admin"]).get(f"/calls/{cert_call.pk}/applications/")) == 2


def test_enterprise_user_sees_and_withdraws_only_its_own(
    login, users, cert_call, make_enterprise, make_application
):
    from xinzhi.accounts.services import user_create

    mine = make_enterprise("甲企业", "gxq")
    own = make_application(cert_call, mine)
    other = make_application(cert_call, make_enterprise("乙企业", "gxq"))
    contact = user_create(
        username="contact", password="x-pass-123456", role="enterprise", enterprise_id=mine.pk
    )
    client = login(contact)
    assert client.get(f"/calls/applications/{other.pk}/").status_code == 404
    assert client.post(f"/calls/applications/{other.pk}/withdraw/").status_code == 404
    assert client.post(f"/calls/applications/{own.pk}/withdraw/").status_code == 302
    statuses = dict(Application.objects.unscoped().values_list("pk", "status"))
    assert statuses == {own.pk: "withdrawn", other.pk: "submitted"}


def test_deadline_message_on_the_pages(login, users, cert_call, make_enterprise, make_application):
    application = make_application(cert_call, make_enterprise("甲企业", "gxq"))
    services.call_close(actor=users["admin"], call=cert_call)
    client = login(users["gxq"])
    message = "本批次已截止申报，当前处于“形式审查”阶段，不再接受申报、修改或撤回。"
    assert message in client.get(f"/calls/{cert_call.pk}/apply/").content.decode()
    response = client.post(f"/calls/applications/{application.pk}/withdraw/", follow=True)
    assert message in response.content.decode()
    assert Application.objects.unscoped().get().status == "submitted"


def _many(cert_call, make_enterprise, make_application, n):
    enterprise = make_enterprise("批量企业", "gxq")
    for i in range(n):
        make_application(cert_call, enterprise, title=f"项目{i:03d}")


@pytest.mark.parametrize(
    "path", ["/calls/{pk}/applications/", "/calls/{pk}/ranking/", "/calls/", "/calls/reviews/"]
)
def test_list_pages_keep_a_constant_query_count(
    login, users, reviewers, cert_call, make_enterprise, make_application, path
):
    _many(cert_call, make_enterprise, make_application, 5)
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    for application in Application.objects.unscoped().all():
        scored(cert_call, application, reviewers["r2"], [80, 80, 80, 80])
    user = reviewers["r2"] if "reviews" in path else users["admin"]
    client = login(user)
    url = path.format(pk=cert_call.pk)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    set_stage(cert_call, Stage.SUBMISSION)
    _many(cert_call, make_enterprise, make_application, 55)
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    for application in Application.objects.unscoped().filter(scores_count=0):
        scored(cert_call, application, reviewers["r2"], [70, 70, 70, 70])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 14


def test_ranking_page_shows_ties_and_export_has_each_reviewers_scores(
    login, users, reviewers, cert_call, make_enterprise, make_application
):
    a = make_application(cert_call, make_enterprise("甲企业", "gxq"), title="甲项目")
    b = make_application(cert_call, make_enterprise("乙企业", "gxq"), title="乙项目")
    c = make_application(cert_call, make_enterprise("丙企业", "gxq"), title="丙项目")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    scored(cert_call, a, reviewers["r1"], [90, 90, 90, 90])
    scored(cert_call, a, reviewers["r2"], [70, 70, 70, 70])
    scored(cert_call, b, reviewers["r1"], [80, 80, 80, 80])
    scored(cert_call, c, reviewers["r3"], [50, 50, 50, 50])
    client = login(users["admin"])
    html = client.get(f"/calls/{cert_call.pk}/ranking/").content.decode()
    rows = re.findall(
        r'data-number="(RD2024-\d+)">\s*<td[^>]*data-testid="rank">(\d+)( <span[^>]*>并列</span>)?',
        html,
    )
    assert [(n, r, bool(t)) for n, r, t in rows] == [
        ("RD2024-0001", "1", True),
        ("RD2024-0002", "1", True),
        ("RD2024-0003", "3", False),
    ]
    response = client.get(f"/calls/{cert_call.pk}/applications/export.xlsx", {"sort": "rank"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    main = book.get_sheet_by_name("申报汇总").to_python()
    header = main[0]
    assert header[8:14] == [
        "评审专家1",
        "专家1总分",
        "评审专家2",
        "专家2总分",
        "评审专家3",
        "专家3总分",
    ]
    first = dict(zip(header, main[1], strict=True))
    assert (first["申报编号"], first["评审专家1"], first["专家1总分"]) == (
        "RD2024-0001",
        "R1",
        90.0,
    )
    assert (first["评审专家2"], first["专家2总分"], first["综合得分（算术平均）"]) == (
        "R2",
        70.0,
        80.0,
    )
    assert [r[0] for r in main[1:]] == ["RD2024-0001", "RD2024-0002", "RD2024-0003"]
    detail = book.get_sheet_by_name("专家评分明细").to_python()
    assert detail[0][:4] == ["申报编号", "项目名称", "评审专家", "成长性（权重30%）"]
    assert [(r[0], r[2], r[7]) for r in detail[1:]] == [
        ("RD2024-0001", "R1", 90.0),
        ("RD2024-0001", "R2", 70.0),
        ("RD2024-0002", "R1", 80.0),
        ("RD2024-0003", "R3", 50.0),
    ]
    # An officer's export hides reviewer names.
    officer = login(users["gxq"]).get(f"/calls/{cert_call.pk}/applications/export.xlsx")
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(officer.streaming_content)))
    assert book.get_sheet_by_name("申报汇总").to_python()[1][8] == "专家1"


def test_results_notice_and_enterprise_page_after_publication(
    login, users, cert_call, make_enterprise, make_application
):
    enterprise = make_enterprise("常州优磁科技有限公司", "htkjy")
    application = make_application(cert_call, enterprise, title="高磁通动力系统")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    client = login(users["admin"])
    assert "评审结果尚未发布。" in client.get(f"/calls/{cert_call.pk}/results/").content.decode()
    client.post(f"/calls/applications/{application.pk}/decide/", {"approved": "1", "note": ""})
    client.post(f"/calls/{cert_call.pk}/publish/")
    notice = login(users["expert"]).get(f"/calls/{cert_call.pk}/results/").content.decode()
    assert 'data-testid="notice-count">1<' in notice
    assert "WJRD2024-0001" in notice and "常州优磁科技有限公司" in notice
    page = login(users["htz"]).get(f"/enterprises/{enterprise.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "区科技项目认定 已认定" in timeline
    assert "高磁通动力系统 · 证书编号 WJRD2024-0001" in timeline


def test_api_lists_scores_and_refuses(login, users, reviewers, cert_call, xth_application):
    assert login(users["gxq"]).get(f"/api/calls/{cert_call.pk}/applications").json()["count"] == 0
    body = login(users["xth"]).get(f"/api/calls/{cert_call.pk}/applications").json()
    assert [r["number"] for r in body["results"]] == ["RD2024-0001"]
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    assignment = services.assignment_create(
        actor=users["admin"], application=xth_application, reviewer=users["expert"]
    )
    client = login(users["expert"])
    assert [r["application"]["number"] for r in client.get("/api/calls/reviews").json()] == [
        "RD2024-0001"
    ]
    items = {str(c.pk): "80" for c in cert_call.criteria.all()}
    response = client.post(
        f"/api/calls/reviews/{assignment.pk}/scores",
        {"items": items, "comment": "好"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["total"] == "80.00"
    again = client.post(
        f"/api/calls/reviews/{assignment.pk}/scores",
        {"items": items},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["detail"] == services.RESCORE_RULE
    other = login(reviewers["r2"]).post(
        f"/api/calls/reviews/{assignment.pk}/scores",
        {"items": items},
        content_type="application/json",
    )
    assert other.status_code == 404
    ranking = login(users["admin"]).get(f"/api/calls/{cert_call.pk}/ranking").json()
    assert [(r["number"], r["rank"], r["aggregate_score"]) for r in ranking] == [
        ("RD2024-0001", 1, "80.00")
    ]
    assert login(users["expert"]).get(f"/api/calls/{cert_call.pk}/ranking").status_code == 403
    decided = login(users["admin"]).post(
        f"/api/calls/applications/{xth_application.pk}/decision",
        {"approved": True},
        content_type="application/json",
    )
    assert decided.json()["certificate_no"] == "WJRD2024-0001"
    assert Decimal(decided.json()["aggregate_score"]) == Decimal(80)


def test_enterprise_user_sees_no_scores_and_no_result_before_publication(
    login, users, reviewers, cert_call, make_enterprise, make_application
):
    from xinzhi.accounts.services import user_create

    mine = make_enterprise("甲企业", "gxq")
    application = make_application(cert_call, mine)
    contact = user_create(
        username="contact", password="x-pass-123456", role="enterprise", enterprise_id=mine.pk
    )
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    scored(cert_call, application, reviewers["r2"], [90, 90, 90, 90])
    services.application_decide(actor=users["admin"], application=application, approved=False)
    client = login(contact)
    body = client.get(f"/api/calls/applications/{application.pk}").json()
    assert (body["status"], body["aggregate_score"], body["status_display"]) == (
        "in_review",
        None,
        "评审中",
    )
    html = client.get(f"/calls/applications/{application.pk}/").content.decode()
    # The random CSRF token may contain "R2" by chance: leave it out of what is searched.
    html = re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", html)
    assert "未通过" not in html and "90.00" not in html and "R2" not in html
    services.call_publish(actor=users["admin"], call=cert_call)
    body = client.get(f"/api/calls/applications/{application.pk}").json()
    assert (body["status"], body["aggregate_score"]) == ("rejected", None)


def test_a_large_application_export_becomes_a_job_with_exactly_the_filtered_rows(
    settings, login, users, reviewers, cert_call, make_enterprise, make_application
):
    from xinzhi.jobs.models import Job

    a = make_application(cert_call, make_enterprise("甲企业", "gxq"), title="甲项目")
    make_application(cert_call, make_enterprise("乙企业", "gxq"), title="乙项目")
    make_application(cert_call, make_enterprise("西太湖企业", "xth"), title="丙项目")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    scored(cert_call, a, reviewers["r1"], [90, 90, 90, 90])
    settings.XINZHI_EXPORT_JOB_ROWS = 1
    client = login(users["gxq"])
    response = client.get(f"/calls/{cert_call.pk}/applications/export.xlsx", {"sort": "rank"})
    job = Job.objects.get(kind="application_export")
    assert response.url == f"/jobs/{job.pk}/"
    assert job.params == {"call": cert_call.pk, "query": "sort=rank"}
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 2, 2)
    assert "共导出 2 项申报" in client.get(response.url).content.decode()
    download = client.get(f"/jobs/{job.pk}/result/")
    book = CalamineWorkbook.from_filelike(io.BytesIO(download.content))
    main = book.get_sheet_by_name("申报汇总").to_python()
    assert [(r[2], r[3]) for r in main[1:]] == [("甲项目", "甲企业"), ("乙项目", "乙企业")]
    assert (main[1][8], main[1][9]) == ("专家1", 90.0)  # the officer's file hides names
    detail = book.get_sheet_by_name("专家评分明细").to_python()
    assert [(r[1], r[2]) for r in detail[1:]] == [("甲项目", "专家1")]
