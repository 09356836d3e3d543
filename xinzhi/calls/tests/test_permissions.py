"""Experts see only their own marks; conflicts declared late withdraw; re-scores need approval."""

from decimal import Decimal

import pytest

from xinzhi.calls import services
from xinzhi.calls.choices import ConflictReason, Stage
from xinzhi.calls.models import Application, Assignment, ConflictRecord, Score
from xinzhi.calls.tests.conftest import scored, set_stage
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent


@pytest.fixture
def half_scored(users, reviewers, cert_call, make_enterprise, make_application):
    """r2 scored 72.25 in total; r3 is assigned and has not scored yet."""
    application = make_application(cert_call, make_enterprise("甲企业", "gxq"))
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    scored(cert_call, application, reviewers["r2"], [70, 75, 70, 74])
    assignment = services.assignment_create(
        actor=users["admin"], application=application, reviewer=reviewers["r3"]
    )
    application.refresh_from_db()
    assert (application.aggregate_score, application.scores_count) == (Decimal("72.25"), 1)
    return application, assignment


def test_an_expert_sees_no_other_reviewers_score_in_api_or_page(
    login, reviewers, cert_call, half_scored
):
    application, assignment = half_scored
    client = login(reviewers["r3"])
    tasks = client.get("/api/calls/reviews").json()
    assert [
        (t["id"], t["application"]["scores_count"], t["application"]["aggregate_score"])
        for t in tasks
    ] == [(assignment.pk, 0, None)]
    listed = client.get(f"/api/calls/{cert_call.pk}/applications").json()["results"]
    assert [(r["scores_count"], r["aggregate_score"], r["below_threshold"]) for r in listed] == [
        (0, None, False)
    ]
    detail = client.get(f"/api/calls/applications/{application.pk}").json()
    assert (detail["scores_count"], detail["aggregate_score"]) == (0, None)
    for url in (
        f"/calls/{cert_call.pk}/applications/",
        f"/calls/applications/{application.pk}/",
        f"/calls/reviews/{assignment.pk}/",
        "/calls/reviews/",
    ):
        assert "72.25" not in client.get(url).content.decode(), url
    # The bureau still sees the running aggregate.
    admin = login(type(reviewers["r3"]).objects.get(username="admin"))
    body = admin.get(f"/api/calls/applications/{application.pk}").json()
    assert (body["scores_count"], body["aggregate_score"]) == (1, "72.25")


def test_a_relation_declared_after_assignment_withdraws_it(
    login, users, reviewers, cert_call, half_scored
):
    application, assignment = half_scored
    enterprise = application.enterprise
    result = services.reviewer_relation_declare(
        actor=users["admin"], reviewer=reviewers["r2"], enterprise=enterprise, relation="曾任顾问"
    )
    withdrawn = Assignment.objects.unscoped().get(application=application, reviewer=reviewers["r2"])
    assert [a.pk for a in result.withdrawn] == [withdrawn.pk]
    assert withdrawn.withdrawn_reason == "回避：专家已声明与申报企业存在利益关系（曾任顾问）"
    # Its score leaves the aggregate; the conflict and the withdrawal are on record.
    application.refresh_from_db()
    assert (application.aggregate_score, application.scores_count) == (None, 0)
    assert list(
        ConflictRecord.objects.unscoped()
        .filter(application=application)
        .values_list("reviewer__username", "reason")
    ) == [("r2", ConflictReason.DECLARED_RELATION)]
    assert AuditEvent.all_objects.filter(note__startswith="撤回评审任务").count() == 1
    # The expert can no longer score it: not in the page, not in the API.
    client = login(reviewers["r2"])
    items = {str(c.pk): "90" for c in cert_call.criteria.all()}
    refused = client.post(
        f"/api/calls/reviews/{withdrawn.pk}/scores",
        {"items": items},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert client.get("/api/calls/reviews").json() == []
    page = client.get(f"/calls/reviews/{withdrawn.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and 'data-testid="score-form"' not in page
    # A redraw fills the place (r1 matches; r2 is never drawn again).
    Application.objects.unscoped().filter(pk=application.pk).update(field="")
    Assignment.objects.unscoped().filter(pk=assignment.pk).delete()  # keep the quota simple
    drawn = services.reviewers_draw(
        actor=users["admin"], call=cert_call, pool=[reviewers["r1"], reviewers["r2"]]
    )
    assert drawn.assigned == 1
    standing = Assignment.objects.unscoped().filter(
        application=application, withdrawn_at__isnull=True
    )
    assert [a.reviewer.username for a in standing] == ["r1"]


def test_an_expert_declares_a_relation_from_the_review_page(login, reviewers, half_scored):
    application, assignment = half_scored
    client = login(reviewers["r3"])
    page = client.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    assert 'data-testid="declare"' in page
    response = client.post(f"/calls/reviews/{assignment.pk}/declare/", {"relation": "亲属任职"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.is_withdrawn
    with pytest.raises(ApplicationError, match="该评审任务已撤回"):
        scored(application.call, application, reviewers["r3"], [80, 80, 80, 80])


def test_admin_records_a_relation_in_the_expert_pool(login, users, reviewers, half_scored):
    application, _ = half_scored
    response = login(users["admin"]).post(
        "/calls/experts/",
        {
            "reviewer": reviewers["r2"].pk,
            "credit_code": application.enterprise.credit_code,
            "relation": "持股",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.unscoped().filter(withdrawn_at__isnull=False).count() == 1
    api = login(users["admin"]).post(
        "/api/calls/reviewer-relations",
        {
            "reviewer_id": reviewers["r3"].pk,
            "enterprise_id": application.enterprise_id,
            "relation": "同学",
        },
        content_type="application/json",
    )
    assert api.status_code == 200 and len(api.json()["withdrawn_assignments"]) == 1
    other = login(reviewers["r4"]).post(
        "/api/calls/reviewer-relations",
        {
            "reviewer_id": reviewers["r1"].pk,
            "enterprise_id": application.enterprise_id,
            "relation": "x",
        },
        content_type="application/json",
    )
    assert other.status_code == 403


def test_rescore_needs_the_admins_approval_in_page_and_api(login, users, reviewers, half_scored):
    application, _ = half_scored
    assignment = Assignment.objects.unscoped().get(
        application=application, reviewer=reviewers["r2"]
    )
    expert = login(reviewers["r2"])
    page = expert.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    assert "提交后不可修改" not in page
    assert 'data-testid="score-form"' not in page and 'data-testid="rescore-request"' in page
    expert.post(f"/calls/reviews/{assignment.pk}/rescore/", {"reason": "看错了附件"})
    page = expert.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    assert 'data-testid="rescore-pending"' in page and 'data-testid="score-form"' not in page
    criteria = list(application.call.criteria.all())
    items = {str(c.pk): "60" for c in criteria}
    early = expert.post(
        f"/api/calls/reviews/{assignment.pk}/scores",
        {"items": items},
        content_type="application/json",
    )
    assert (early.status_code, early.json()["detail"]) == (400, services.RESCORE_RULE)
    # Only the admin approves.
    refused = login(users["gxq"]).post(f"/api/calls/reviews/{assignment.pk}/rescore-approval")
    assert refused.status_code == 403
    admin = login(users["admin"])
    detail = admin.get(f"/calls/applications/{application.pk}/").content.decode()
    assert 'data-testid="rescore-pending"' in detail
    approved = admin.post(f"/api/calls/reviews/{assignment.pk}/rescore-approval").json()
    assert (approved["rescore_approved"], approved["rescore_reason"]) == (True, "看错了附件")
    expert = login(reviewers["r2"])
    assert (
        'data-testid="score-form"'
        in expert.get(f"/calls/reviews/{assignment.pk}/").content.decode()
    )
    form = {f"c{c.pk}": 60 for c in criteria}
    assert expert.post(f"/calls/reviews/{assignment.pk}/", form).status_code == 302
    assert list(
        Score.objects.unscoped().filter(assignment=assignment).values_list("version", "reason")
    ) == [(1, ""), (2, "看错了附件")]
    notes = list(
        AuditEvent.all_objects.filter(note__contains="看错了附件")
        .order_by("id")
        .values_list("note", flat=True)
    )
    assert notes == [
        "申请重新评分；理由：看错了附件",
        "批准重新评分；理由：看错了附件",
        "第2版评分 60.00；理由：看错了附件",
    ]
