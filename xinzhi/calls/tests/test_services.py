import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from xinzhi.calls import services
from xinzhi.calls.choices import ApplicationStatus, ConflictReason, Stage
from xinzhi.calls.models import Application, Assignment, ConflictRecord, ReviewerRelation, Score
from xinzhi.calls.tests.conftest import scored, set_stage
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import enterprise_timeline


def test_certification_call_gets_the_default_rubric(cert_call):
    assert [(c.name, c.weight, c.min_score) for c in cert_call.criteria.all()] == [
        ("成长性", Decimal("30.00"), Decimal("60.00")),
        ("产业匹配度", Decimal("25.00"), Decimal("60.00")),
        ("团队匹配度", Decimal("20.00"), Decimal("50.00")),
        ("技术先进性", Decimal("25.00"), Decimal("60.00")),
    ]
    assert cert_call.stages == ["formal_review", "expert_review", "publicity"]


def test_rubric_weights_must_sum_to_100(users):
    now = timezone.now()
    with pytest.raises(ApplicationError, match="评分指标的权重合计必须为100%。"):
        services.call_create(
            actor=users["admin"],
            data={
                "name": "x",
                "kind": "other",
                "year": 2024,
                "opens_at": now,
                "closes_at": now + dt.timedelta(days=1),
            },
            categories=[services.CategorySpec("甲")],
            criteria=[{"name": "唯一", "weight": Decimal(90)}],
        )


def test_only_the_admin_creates_calls(users):
    now = timezone.now()
    with pytest.raises(ApplicationError) as exc:
        services.call_create(
            actor=users["gxq"],
            data={
                "name": "x",
                "kind": "other",
                "year": 2024,
                "opens_at": now,
                "closes_at": now + dt.timedelta(days=1),
            },
            categories=[services.CategorySpec("甲")],
        )
    assert exc.value.code == "forbidden"


def test_soft_science_cap_is_3000_yuan(users, science_call, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    soft = science_call.categories.get(name="软科学课题研究")
    with pytest.raises(ApplicationError) as exc:
        services.application_create(
            actor=users["gxq"],
            call=science_call,
            category=soft,
            enterprise=enterprise,
            data={
                "title": "课题",
                "requested_amount_yuan": Decimal("3000.01"),
                "extra": {"topic": "武进科技招商研究", "municipal_no": "CZRKX2024-17"},
            },
        )
    assert exc.value.message == "申请金额不能超过“软科学课题研究”的资助上限3,000元。"
    application = services.application_create(
        actor=users["gxq"],
        call=science_call,
        category=soft,
        enterprise=enterprise,
        data={
            "title": "课题",
            "requested_amount_yuan": Decimal("3000"),
            "extra": {"topic": "武进科技招商研究"},
        },
    )
    with pytest.raises(ApplicationError, match="请填写必填项：常州市软科学课题立项编号。"):
        services.application_submit(actor=users["gxq"], application=application)
    application = services.application_update(
        actor=users["gxq"],
        application=application,
        expected_version=application.version,
        data={"extra": {"topic": "武进科技招商研究", "municipal_no": "CZRKX2024-17"}},
    )
    submitted = services.application_submit(actor=users["gxq"], application=application)
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.requested_amount_yuan == Decimal("3000.00")


def test_withdraw_and_resubmit_before_the_deadline(
    users, cert_call, make_enterprise, make_application
):
    application = make_application(cert_call, make_enterprise("甲企业", "gxq"), actor=users["gxq"])
    withdrawn = services.application_withdraw(actor=users["gxq"], application=application)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    edited = services.application_update(
        actor=users["gxq"],
        application=withdrawn,
        data={"title": "改后的项目"},
        expected_version=withdrawn.version,
    )
    again = services.application_submit(actor=users["gxq"], application=edited)
    assert (again.status, again.title) == (ApplicationStatus.SUBMITTED, "改后的项目")
    notes = list(
        AuditEvent.all_objects.filter(object_type="calls.application", object_id=str(again.pk))
        .order_by("id")
        .values_list("note", flat=True)
    )
    assert notes == ["", "提交申报", "撤回申报", "", "重新提交申报"]


def test_nothing_is_accepted_after_the_deadline(
    users, cert_call, make_enterprise, make_application
):
    enterprise = make_enterprise("甲企业", "gxq")
    submitted = make_application(cert_call, enterprise)
    draft = make_application(cert_call, enterprise, submit=False, title="草稿")
    closes_at = timezone.now() - dt.timedelta(minutes=1)
    set_stage(cert_call, Stage.SUBMISSION, closes_at=closes_at)
    moment = timezone.localtime(closes_at)
    message = f"申报已于{moment:%Y年%m月%d日 %H:%M}截止，不再接受申报、修改或撤回。"
    with pytest.raises(ApplicationError) as exc:
        make_application(cert_call, enterprise, title="迟到的申报")
    assert exc.value.message == message
    with pytest.raises(ApplicationError, match="截止"):
        services.application_submit(actor=users["admin"], application=draft)
    with pytest.raises(ApplicationError, match="截止"):
        services.application_withdraw(actor=users["admin"], application=submitted)
    assert Application.objects.unscoped().count() == 2
    assert Application.objects.unscoped().get(pk=draft.pk).status == ApplicationStatus.DRAFT


def test_closing_moves_to_the_next_enabled_stage(users, make_call):
    call = make_call(stages=["expert_review"])
    closed = services.call_close(actor=users["admin"], call=call)
    assert closed.stage == Stage.EXPERT_REVIEW
    assert closed.closes_at <= timezone.now()
    assert services.call_accepting_error(closed) == (
        "本批次已截止申报，当前处于“专家评审”阶段，不再接受申报、修改或撤回。"
    )
    with pytest.raises(ApplicationError, match="请先对全部申报作出决定并发布结果"):
        services.call_advance(actor=users["admin"], call=closed)
    with pytest.raises(ApplicationError, match="“专家评审”阶段已经开始或已结束，不能再开关。"):
        services.call_set_stages(actor=users["admin"], call=closed, stages=[])


def test_reviewer_conflicts_are_each_named(
    users, reviewers, cert_call, make_enterprise, make_application
):
    enterprise = make_enterprise("常州大学", "gxq")
    application = make_application(cert_call, enterprise)
    r1 = reviewers["r1"]  # employer 常州大学
    ReviewerRelation.objects.unscoped().create(
        reviewer=r1, enterprise=enterprise, relation="担任技术顾问"
    )
    r1.enterprise = enterprise
    assert [reason for reason, _ in services.reviewer_conflicts(r1, application)] == [
        ConflictReason.OWN_APPLICATION,
        ConflictReason.SAME_EMPLOYER,
        ConflictReason.DECLARED_RELATION,
    ]
    assert services.reviewer_conflicts(reviewers["r2"], application) == []


def test_manual_assignment_refuses_a_conflict(
    users, reviewers, cert_call, make_enterprise, make_application
):
    application = make_application(cert_call, make_enterprise("常州大学", "gxq"))
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    with pytest.raises(ApplicationError) as exc:
        services.assignment_create(
            actor=users["admin"], application=application, reviewer=reviewers["r1"]
        )
    assert exc.value.message == "R1需回避：与申报单位为同一单位。"
    assignment = services.assignment_create(
        actor=users["admin"], application=application, reviewer=reviewers["r2"]
    )
    assert assignment.method == "manual"
    assert Application.objects.unscoped().get(pk=application.pk).status == "in_review"


def test_random_draw_matches_fields_skips_conflicts_and_records_reasons(
    users, reviewers, make_call, make_enterprise, make_application
):
    call = make_call(reviewers=2)
    a = make_application(call, make_enterprise("常州大学", "gxq"), field="新能源")
    b = make_application(call, make_enterprise("乙企业", "xth"), field="生物医药")
    ReviewerRelation.objects.unscoped().create(
        reviewer=reviewers["r3"], enterprise=a.enterprise, relation="亲属任股东"
    )
    set_stage(call, Stage.EXPERT_REVIEW)
    result = services.reviewers_draw(actor=users["admin"], call=call, rng=random.Random(1))
    # 新能源 matches r1 (常州大学: same employer) and r3 (declared relation): both skipped.
    assert (result.assigned, result.skipped, result.short) == (1, 2, ["RD2024-0001", "RD2024-0002"])
    assert list(
        Assignment.objects.unscoped().values_list("application_id", "reviewer__username")
    ) == [(b.pk, "r4")]
    assert sorted(
        ConflictRecord.objects.unscoped().values_list("reviewer__username", "reason")
    ) == [("r1", "same_employer"), ("r3", "declared_relation")]


def test_expert_review_stage_off_means_no_assignment(
    users, reviewers, make_call, make_enterprise, make_application
):
    call = make_call(stages=["formal_review"])
    application = make_application(call, make_enterprise("甲企业", "gxq"))
    set_stage(call, Stage.FORMAL_REVIEW)
    with pytest.raises(ApplicationError, match="本批次未启用专家评审阶段。"):
        services.assignment_create(
            actor=users["admin"], application=application, reviewer=reviewers["r2"]
        )


def test_submitted_score_is_frozen_and_a_rescore_is_a_new_version(
    users, reviewers, cert_call, make_enterprise, make_application
):
    application = make_application(cert_call, make_enterprise("甲企业", "gxq"))
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    first = scored(cert_call, application, reviewers["r2"], [80, 70, 90, 60])
    assert first.total == Decimal("74.50")  # 24 + 17.5 + 18 + 15
    first.total = Decimal("99")
    with pytest.raises(PermissionError, match="已提交的评分不能修改"):
        first.save()
    with pytest.raises(ApplicationError) as exc:
        scored(cert_call, application, reviewers["r2"], [90, 90, 90, 90])
    assert exc.value.message == services.RESCORE_RULE
    assignment = Assignment.objects.unscoped().get(application=application)
    services.rescore_request(
        actor=reviewers["r2"], assignment=assignment, reason="误读了成长性指标"
    )
    with pytest.raises(ApplicationError, match="评分提交后即冻结"):  # requested, not approved
        scored(cert_call, application, reviewers["r2"], [90, 90, 90, 90])
    services.rescore_approve(actor=users["admin"], assignment=assignment)
    second = scored(cert_call, application, reviewers["r2"], [90, 90, 90, 90])
    assert (second.version, second.total, second.reason) == (
        2,
        Decimal("90.00"),
        "误读了成长性指标",
    )
    assert list(Score.objects.unscoped().order_by("version").values_list("total", flat=True)) == [
        Decimal("74.50"),
        Decimal("90.00"),
    ]
    application.refresh_from_db()
    assert (application.aggregate_score, application.scores_count) == (Decimal("90.00"), 1)
    # One approval, one new version: a third needs a new request.
    with pytest.raises(ApplicationError, match="评分提交后即冻结"):
        scored(cert_call, application, reviewers["r2"], [10, 10, 10, 10])


def test_only_the_assigned_reviewer_scores_and_only_in_expert_review(
    users, reviewers, cert_call, make_enterprise, make_application
):
    application = make_application(cert_call, make_enterprise("甲企业", "gxq"))
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    assignment = services.assignment_create(
        actor=users["admin"], application=application, reviewer=reviewers["r2"]
    )
    items = {c.pk: Decimal(80) for c in cert_call.criteria.all()}
    with pytest.raises(Assignment.DoesNotExist):
        services.score_submit(actor=reviewers["r3"], assignment=assignment, items=items)
    with pytest.raises(ApplicationError, match="只有被分配的评审专家本人可以评分。"):
        services.score_submit(actor=users["admin"], assignment=assignment, items=items)
    set_stage(cert_call, Stage.PUBLICITY)
    with pytest.raises(ApplicationError, match="本批次当前处于“结果公示”阶段，不能评分。"):
        services.score_submit(actor=reviewers["r2"], assignment=assignment, items=items)
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    with pytest.raises(ApplicationError, match="“成长性”的得分应在0至100之间。"):
        services.score_submit(
            actor=reviewers["r2"],
            assignment=assignment,
            items={**items, cert_call.criteria.first().pk: Decimal(101)},
        )
    assert Score.objects.unscoped().count() == 0


def test_mean_trimmed_mean_threshold_and_ties(
    users, reviewers, make_call, make_enterprise, make_application
):
    call = make_call(reviewers=3, aggregation="trimmed_mean")
    a = make_application(call, make_enterprise("甲企业", "gxq"))
    b = make_application(call, make_enterprise("乙企业", "gxq"))
    c = make_application(call, make_enterprise("丙企业", "gxq"))
    set_stage(call, Stage.EXPERT_REVIEW)
    for reviewer, mark in ((reviewers["r1"], 60), (reviewers["r2"], 80), (reviewers["r3"], 100)):
        scored(call, a, reviewer, [mark] * 4)
    scored(call, b, reviewers["r1"], [80] * 4)
    scored(call, c, reviewers["r1"], [40, 100, 100, 100])
    for app in (a, b, c):
        app.refresh_from_db()
    assert a.aggregate_score == Decimal("80.00")  # 60, 80, 100 → trimmed to 80
    assert b.aggregate_score == Decimal("80.00")
    assert (c.aggregate_score, c.below_threshold) == (Decimal("82.00"), True)
    services.call_update(
        actor=users["admin"], call=call, data={"aggregation": "mean"}, expected_version=call.version
    )
    from xinzhi.calls.selectors import ranking

    rows = [
        (r.number, r.aggregate_score, r.rank, r.tie_count)
        for r in ranking(user=users["admin"], call=call, params={})
    ]
    assert rows == [
        ("RD2024-0003", Decimal("82.00"), 1, 1),
        ("RD2024-0001", Decimal("80.00"), 2, 2),
        ("RD2024-0002", Decimal("80.00"), 2, 2),
    ]


def test_decide_publish_and_timeline(
    users, reviewers, cert_call, make_enterprise, make_application
):
    winner = make_enterprise("常州优磁科技有限公司", "htkjy")
    a = make_application(cert_call, winner, title="高磁通动力系统")
    b = make_application(cert_call, make_enterprise("乙企业", "gxq"))
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    with pytest.raises(ApplicationError, match="仍有2项申报未作出决定，不能发布结果。"):
        services.call_publish(actor=users["admin"], call=cert_call)
    decided = services.application_decide(actor=users["admin"], application=a, approved=True)
    assert (decided.status, decided.certificate_no) == ("approved", "WJRD2024-0001")
    services.application_decide(
        actor=users["admin"], application=b, approved=False, note="成长性不足"
    )
    # Before publication the enterprise's timeline shows the application, not the result.
    titles = [i.title for i in enterprise_timeline(enterprise=winner, user=users["htz"])]
    assert "区科技项目认定 已认定" not in titles
    published = services.call_publish(actor=users["admin"], call=cert_call)
    assert published.stage == Stage.PUBLICITY
    items = enterprise_timeline(enterprise=winner, user=users["htz"])
    result = next(i for i in items if i.kind == "项目")
    assert (result.title, result.detail) == (
        "区科技项目认定 已认定",
        "高磁通动力系统 · 证书编号 WJRD2024-0001",
    )
    with pytest.raises(ApplicationError, match="结果已发布，不能再修改决定。"):
        services.application_decide(actor=users["admin"], application=b, approved=True)
    assert services.call_advance(actor=users["admin"], call=published).stage == Stage.FINAL


def test_grant_amount_is_within_the_category_cap(users, science_call, make_enterprise):
    enterprise = make_enterprise("甲企业", "gxq")
    soft = science_call.categories.get(name="软科学课题研究")
    application = services.application_create(
        actor=users["admin"],
        call=science_call,
        category=soft,
        enterprise=enterprise,
        data={"title": "课题", "extra": {"topic": "t", "municipal_no": "n"}},
    )
    services.application_submit(actor=users["admin"], application=application)
    set_stage(science_call, Stage.EXPERT_REVIEW)
    with pytest.raises(ApplicationError, match="资助金额不能超过“软科学课题研究”的上限3,000元。"):
        services.application_decide(
            actor=users["admin"],
            application=application,
            approved=True,
            grant_amount_yuan=Decimal(3500),
        )
    decided = services.application_decide(
        actor=users["admin"],
        application=application,
        approved=True,
        grant_amount_yuan=Decimal(3000),
    )
    assert (decided.status_label, decided.grant_amount_yuan) == ("已立项", Decimal("3000.00"))


def test_enterprise_user_applies_only_for_itself(users, cert_call, make_enterprise):
    from xinzhi.accounts.services import user_create

    mine = make_enterprise("甲企业", "gxq")
    other = make_enterprise("乙企业", "gxq")
    contact = user_create(
        username="contact", password="x-pass-123456", role="enterprise", enterprise_id=mine.pk
    )
    category = cert_call.categories.first()
    with pytest.raises(ApplicationError, match="企业用户只能为本企业申报。"):
        services.application_create(
            actor=contact, call=cert_call, category=category, enterprise=other, data={"title": "x"}
        )
    application = services.application_create(
        actor=contact, call=cert_call, category=category, enterprise=mine, data={"title": "x"}
    )
    assert application.applicant_jurisdiction_id == mine.jurisdiction_id


def test_application_from_an_attraction_lead(users, cert_call, jurisdictions):
    from xinzhi.attraction.models import Lead
    from xinzhi.attraction.models import Stage as LeadStage

    stage = LeadStage.objects.order_by("order").first() or LeadStage.objects.create(
        order=1, code="lead", name="线索"
    )
    lead = Lead.objects.unscoped().create(
        name="固态电池中试项目", jurisdiction=jurisdictions["xth"], stage=stage
    )
    with pytest.raises(ApplicationError, match="只能为您负责板块的招商项目申报。"):
        services.application_create(
            actor=users["gxq"],
            call=cert_call,
            category=cert_call.categories.first(),
            lead=lead,
            data={"title": "固态电池"},
        )
    application = services.application_create(
        actor=users["xth"],
        call=cert_call,
        category=cert_call.categories.first(),
        lead=lead,
        data={"title": "固态电池"},
    )
    assert (
        application.applicant_name,
        application.applicant_jurisdiction_id,
        application.enterprise_id,
    ) == ("固态电池中试项目", jurisdictions["xth"].pk, None)
