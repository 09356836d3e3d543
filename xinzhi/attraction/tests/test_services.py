"""Services of the 科技招商 pipeline: every stage transition, its history and its audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.attraction import services
from xinzhi.attraction.choices import LeadStatus, ReferralStatus
from xinzhi.attraction.models import (
    AftercareRequest,
    Docking,
    Lead,
    StageChange,
    TalentReferral,
)
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.core.timeline import enterprise_timeline
from xinzhi.enterprises.models import Enterprise

TODAY = dt.date.today()
CODE = "91320412MA1NAB2K5E"  # valid 统一社会信用代码 (checked below)


def reload(lead: Lead) -> Lead:
    return Lead.objects.unscoped().select_related("stage").get(pk=lead.pk)


def stage_events(lead: Lead) -> list[AuditEvent]:
    return list(
        AuditEvent.all_objects.filter(
            object_type="attraction.lead", object_id=str(lead.pk), action="stage"
        ).order_by("id")
    )


def test_valid_code_fixture():
    from stdnum.cn import uscc

    assert uscc.is_valid(CODE)


def test_create_starts_in_clue_with_history_and_audit(users, jurisdictions, stages):
    start = TODAY - dt.timedelta(days=10)
    lead = services.lead_create(
        actor=users["gxq"],
        on=start,
        data={
            "name": "射频消融手术模拟器项目",
            "jurisdiction": jurisdictions["gxq"],
            "source_region": "深圳",
            "planned_investment": Decimal("1200.50"),
        },
    )
    lead = reload(lead)
    assert lead.stage.code == "clue"
    assert lead.stage_entered_on == start
    assert lead.days_in_stage == 10
    change = StageChange.objects.unscoped().get(lead=lead)
    assert (change.from_stage, change.to_stage.name, change.actor_name) == (None, "线索", "GXQ")
    event = AuditEvent.all_objects.get(object_type="attraction.lead", action="create")
    assert event.jurisdiction_id == jurisdictions["gxq"].pk
    assert event.changes["planned_investment"] == {
        "label": "计划投资额",
        "before": None,
        "after": "1200.5",
    }


def test_create_outside_own_jurisdiction_is_refused(users, jurisdictions, stages):
    with pytest.raises(ApplicationError, match="只能登记在您负责的板块内"):
        services.lead_create(
            actor=users["gxq"], data={"name": "x", "jurisdiction": jurisdictions["xth"]}
        )
    assert Lead.objects.unscoped().count() == 0


@pytest.mark.parametrize(
    ("start", "target", "label"),
    [
        ("clue", "docking", "线索 → 对接"),
        ("docking", "negotiation", "对接 → 洽谈"),
        ("negotiation", "signed", "洽谈 → 签约"),
    ],
)
def test_each_forward_transition_records_history_and_audit(
    make_lead, users, stages, start, target, label
):
    lead = make_lead(stage=start, start=TODAY - dt.timedelta(days=30))
    before = reload(lead)
    on = TODAY - dt.timedelta(days=2)
    change = services.lead_move(
        actor=users["gxq"], lead=lead, to_stage=stages[target], note="双方意向明确", on=on
    )
    lead = reload(lead)
    assert lead.stage.code == target
    assert lead.stage_entered_on == on
    assert lead.version == before.version + 1
    assert f"{change.from_stage.name} → {change.to_stage.name}" == label
    assert change.changed_on == on
    assert change.days_in_previous == (on - before.stage_entered_on).days
    assert change.actor == users["gxq"]
    assert change.note == "双方意向明确"
    event = stage_events(lead)[-1]
    assert event.actor_name == "GXQ"
    assert event.note == "双方意向明确"
    assert event.changes == {
        "stage": {"label": "阶段", "before": stages[start].name, "after": stages[target].name}
    }


def test_landing_creates_the_enterprise_and_joins_its_timeline(make_lead, users, stages):
    lead = make_lead("超快固体激光器项目", stage="signed", start=TODAY - dt.timedelta(days=20))
    enterprise = services.lead_land(
        actor=users["gxq"],
        lead=lead,
        credit_code=CODE.lower(),
        create=True,
        enterprise_data={"name": "安徽华创鸿度光电（常州）有限公司"},
        note="完成工商注册",
    )
    lead = reload(lead)
    assert lead.stage.code == "registered"
    assert lead.enterprise == enterprise
    assert enterprise.credit_code == CODE
    assert enterprise.jurisdiction == lead.jurisdiction
    change = StageChange.objects.unscoped().filter(lead=lead).first()
    assert (change.from_stage.name, change.to_stage.name, change.note) == (
        "签约",
        "落地注册",
        "完成工商注册",
    )
    assert AuditEvent.all_objects.filter(
        object_type="enterprises.enterprise", action="create", enterprise_id=enterprise.pk
    ).exists()
    titles = [i.title for i in enterprise_timeline(enterprise=enterprise, user=users["gxq"])]
    assert "招商项目“超快固体激光器项目”进入落地注册阶段" in titles
    assert "招商项目“超快固体激光器项目”进入签约阶段" in titles
    assert "招商项目“超快固体激光器项目”立项（线索）" in titles
    # 落地注册 → 投产
    services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["production"])
    assert reload(lead).stage.code == "production"


def test_landing_links_an_existing_enterprise(make_lead, make_enterprise, users):
    existing = make_enterprise("常州锋弛新能源科技有限公司", "gxq")
    lead = make_lead(stage="signed")
    services.lead_land(
        actor=users["gxq"], lead=lead, credit_code=existing.credit_code, create=False
    )
    assert reload(lead).enterprise == existing
    assert Enterprise.objects.unscoped().count() == 1


def test_landing_with_a_duplicate_credit_code_changes_nothing(make_lead, make_enterprise, users):
    existing = make_enterprise("景铂汽车零部件制造（常州）有限公司", "xth")
    lead = make_lead(stage="signed")
    events = AuditEvent.all_objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.lead_land(
            actor=users["gxq"], lead=lead, credit_code=existing.credit_code, create=True
        )
    assert exc.value.message == (
        "该统一社会信用代码已登记在企业库中，不能重复新建；请改选“关联已有企业”。"
    )
    assert exc.value.field == "credit_code"
    lead = reload(lead)
    assert (lead.stage.code, lead.enterprise_id) == ("signed", None)
    assert Enterprise.objects.unscoped().count() == 1
    assert AuditEvent.all_objects.count() == events


def test_linking_an_enterprise_of_another_jurisdiction_is_refused(
    make_lead, make_enterprise, users
):
    other = make_enterprise("西太湖企业", "xth")
    lead = make_lead(stage="signed")
    with pytest.raises(ApplicationError, match="未找到该统一社会信用代码的企业"):
        services.lead_land(
            actor=users["gxq"], lead=lead, credit_code=other.credit_code, create=False
        )
    assert reload(lead).enterprise_id is None


def test_landing_before_signing_is_a_skip(make_lead, users):
    lead = make_lead(stage="negotiation")
    with pytest.raises(ApplicationError, match="不能跳过“签约”阶段"):
        services.lead_land(actor=users["gxq"], lead=lead, credit_code=CODE, create=True)
    assert Enterprise.objects.unscoped().count() == 0
    assert reload(lead).stage.code == "negotiation"


def test_skipping_a_stage_is_refused_and_changes_nothing(make_lead, users, stages):
    lead = make_lead(stage="clue")
    changes, events = StageChange.objects.unscoped().count(), AuditEvent.all_objects.count()
    with pytest.raises(ApplicationError) as exc:
        services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["negotiation"])
    assert exc.value.message == "不能跳过“对接”阶段：请逐级推进（“线索”之后应先进入“对接”）。"
    assert reload(lead).stage.code == "clue"
    assert StageChange.objects.unscoped().count() == changes
    assert AuditEvent.all_objects.count() == events


def test_a_stage_marked_may_skip_can_be_skipped(make_lead, users, stages):
    stages["docking"].may_skip = True
    stages["docking"].save()
    lead = make_lead(stage="clue")
    services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["negotiation"])
    assert reload(lead).stage.code == "negotiation"


def test_registered_needs_an_enterprise(make_lead, users, stages):
    lead = make_lead(stage="signed")
    with pytest.raises(ApplicationError, match="须先关联落地企业"):
        services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["registered"])


def test_moving_back_needs_a_note(make_lead, users, stages):
    lead = make_lead(stage="negotiation")
    with pytest.raises(ApplicationError, match="退回到“对接”阶段须填写说明"):
        services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["docking"])
    services.lead_move(
        actor=users["gxq"], lead=lead, to_stage=stages["docking"], note="投资方重新评估"
    )
    assert reload(lead).stage.code == "docking"


def test_same_stage_future_date_and_stale_version_are_refused(make_lead, users, stages):
    lead = make_lead(stage="clue")
    with pytest.raises(ApplicationError, match="项目已处于“线索”阶段"):
        services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["clue"])
    with pytest.raises(ApplicationError, match="变更日期不能晚于今天"):
        services.lead_move(
            actor=users["gxq"],
            lead=lead,
            to_stage=stages["docking"],
            on=TODAY + dt.timedelta(days=1),
        )
    with pytest.raises(ConcurrentEditError):
        services.lead_move(
            actor=users["gxq"],
            lead=lead,
            to_stage=stages["docking"],
            expected_version=lead.version - 1,
        )
    assert reload(lead).stage.code == "clue"


def test_leader_and_other_jurisdiction_cannot_move(make_lead, users, stages):
    lead = make_lead(stage="clue")
    with pytest.raises(ApplicationError) as exc:
        services.lead_move(actor=users["leader"], lead=lead, to_stage=stages["docking"])
    assert exc.value.code == "forbidden"
    with pytest.raises(Lead.DoesNotExist):
        services.lead_move(actor=users["xth"], lead=lead, to_stage=stages["docking"])
    assert reload(lead).stage.code == "clue"


def test_docking_counts_and_sets_the_follow_up(make_lead, users):
    lead = make_lead(stage="docking")
    for i in range(3):
        services.docking_record(
            actor=users["gxq"],
            lead=lead,
            data={
                "held_on": TODAY - dt.timedelta(days=3 - i),
                "form": "visit",
                "notes": f"第{i + 1}次对接",
                "next_follow_up_on": TODAY + dt.timedelta(days=7),
            },
        )
    lead = reload(lead)
    assert lead.docking_count == 3
    assert lead.next_follow_up_on == TODAY + dt.timedelta(days=7)
    assert lead.last_activity_on == TODAY - dt.timedelta(days=1)
    assert AuditEvent.all_objects.filter(object_type="attraction.docking").count() == 3


def test_docking_with_a_past_follow_up_changes_nothing(make_lead, users):
    lead = make_lead(stage="docking")
    with pytest.raises(ApplicationError) as exc:
        services.docking_record(
            actor=users["gxq"],
            lead=lead,
            data={
                "held_on": TODAY,
                "form": "online",
                "next_follow_up_on": TODAY - dt.timedelta(days=1),
            },
        )
    assert exc.value.message == f"下次跟进日期不能早于今天（{TODAY:%Y-%m-%d}）。"
    assert exc.value.field == "next_follow_up_on"
    assert Docking.objects.unscoped().count() == 0
    assert reload(lead).docking_count == 0


def test_drop_needs_a_reason_and_freezes_the_stage(make_lead, users, stages):
    lead = make_lead(stage="docking")
    with pytest.raises(ApplicationError, match="请选择流失原因"):
        services.lead_drop(actor=users["gxq"], lead=lead, reason="")
    services.lead_drop(actor=users["gxq"], lead=lead, reason="other_region")
    lead = reload(lead)
    assert (lead.status, lead.get_lost_reason_display()) == (LeadStatus.DROPPED, "落户其他地区")
    with pytest.raises(ApplicationError, match="该项目已流失"):
        services.lead_move(actor=users["gxq"], lead=lead, to_stage=stages["negotiation"])
    services.lead_restore(actor=users["gxq"], lead=lead)
    assert reload(lead).status == LeadStatus.ACTIVE


def test_aftercare_keeps_response_and_closure_times(make_lead, make_enterprise, users):
    enterprise = make_enterprise("常州锋弛新能源科技有限公司", "gxq")
    submitted = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    request = services.aftercare_create(
        actor=users["gxq"],
        enterprise=enterprise,
        submitted_at=submitted,
        data={"kind": "premises", "title": "扩租厂房"},
    )
    services.aftercare_advance(
        actor=users["gxq"],
        request=request,
        status="in_progress",
        at=submitted + dt.timedelta(hours=5),
    )
    with pytest.raises(ApplicationError, match="办结时须填写办理结果"):
        services.aftercare_advance(actor=users["gxq"], request=request, status="closed")
    services.aftercare_advance(
        actor=users["gxq"],
        request=request,
        status="closed",
        resolution="已协调",
        at=submitted + dt.timedelta(days=3),
    )
    request = AftercareRequest.objects.unscoped().get()
    assert (request.hours_to_first_response, request.days_to_close) == (5.0, 3.0)


def test_referral_moves_forward_only(users, jurisdictions):
    referral = services.referral_create(
        actor=users["gxq"],
        data={
            "project_name": "高磁通动力系统",
            "programme": "longcheng",
            "batch": "第十七批",
            "source": "科创帮",
            "pushed_on": TODAY,
            "jurisdiction": jurisdictions["gxq"],
        },
    )
    services.referral_advance(actor=users["gxq"], referral=referral, status="selected")
    with pytest.raises(ApplicationError, match="状态只能向前推进"):
        services.referral_advance(actor=users["gxq"], referral=referral, status="pushed")
    services.referral_advance(actor=users["gxq"], referral=referral, status="landed")
    assert TalentReferral.objects.unscoped().get().status == ReferralStatus.LANDED


def test_demo_is_deterministic_and_idempotent(users, jurisdictions):
    from xinzhi.attraction.demo import load_demo

    first = load_demo(admin=users["admin"], seed=7, synthetic=30)
    assert first["人才项目推送"] == 37
    assert first["招商项目"] == 30 + 7  # story leads whose 板块 exists in the fixture
    assert load_demo(admin=users["admin"], seed=7, synthetic=30) == first
    kechuangbang = TalentReferral.objects.unscoped().filter(source="科创帮")
    assert kechuangbang.count() == 23
    assert kechuangbang.filter(status="landed").count() == 5
    assert kechuangbang.filter(status="landed", programme="longcheng").count() == 4
    assert not Lead.objects.unscoped().filter(is_demo=False).exists()
    huachuang = Lead.objects.unscoped().get(name="高功率·大能量·超快固体激光器项目")
    assert (huachuang.stage.code, huachuang.docking_count) == ("signed", 3)


def test_only_an_officer_covering_the_lead_can_be_made_responsible(
    login, users, jurisdictions, make_lead
):
    from xinzhi.attraction import services
    from xinzhi.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError, match="XTH不负责该项目所在板块，不能担任负责人。"):
        services.lead_create(
            actor=users["gxq"],
            data={
                "name": "外板块负责人",
                "jurisdiction": jurisdictions["gxq"],
                "officer": users["xth"],
            },
        )
    lead = make_lead("激光项目", officer=users["gxq"])
    with pytest.raises(ApplicationError) as exc:
        services.lead_update(
            actor=users["gxq"],
            lead=lead,
            data={"officer": users["xth"]},
            expected_version=lead.version,
        )
    assert exc.value.field == "officer"
    # The form offers only officers who can open the lead, and the filter names no others.
    client = login(users["gxq"])
    page = client.get("/attraction/leads/new/").content.decode()
    assert "GXQ" in page and "XTH" not in page
    board = client.get("/attraction/").content.decode()
    assert "XTH" not in board and "HTZ" not in board
    # 湖塘镇's officer covers 湖塘科技产业园 below it.
    htkjy = services.lead_create(
        actor=users["htz"],
        data={"name": "园区项目", "jurisdiction": jurisdictions["htkjy"], "officer": users["htz"]},
    )
    assert htkjy.officer == users["htz"]


def test_linking_with_a_wrong_check_digit_says_so(make_lead, users):
    lead = make_lead(stage="signed")
    wrong = CODE[:-1] + "F"
    with pytest.raises(ApplicationError) as exc:
        services.lead_land(actor=users["gxq"], lead=lead, credit_code=wrong, create=False)
    assert (exc.value.message, exc.value.field) == (
        "统一社会信用代码校验位错误，请核对最后一位。",
        "credit_code",
    )
    assert reload(lead).enterprise_id is None


def test_only_an_officer_covering_the_enterprise_can_own_an_aftercare_request(
    login, users, make_lead, make_enterprise
):
    from xinzhi.attraction.models import AftercareRequest

    enterprise = make_enterprise("常州某新材料有限公司", "gxq")
    with pytest.raises(ApplicationError) as exc:
        services.aftercare_create(
            actor=users["gxq"],
            enterprise=enterprise,
            data={"kind": "premises", "title": "扩租厂房", "owner": users["xth"]},
        )
    assert (exc.value.field, str(exc.value)) == (
        "owner",
        "XTH不负责该企业所在板块，不能承办此服务诉求。",
    )
    assert AftercareRequest.objects.unscoped().count() == 0
    # The form offers only officers who can open the enterprise.
    lead = make_lead("新材料项目")
    lead.enterprise = enterprise
    lead.save(update_fields=["enterprise"])
    page = login(users["gxq"]).get(f"/attraction/leads/{lead.pk}/aftercare/new/").content.decode()
    assert "GXQ" in page and "XTH" not in page and "HTZ" not in page
    owned = services.aftercare_create(
        actor=users["gxq"],
        enterprise=enterprise,
        data={"kind": "premises", "title": "扩租厂房", "owner": users["gxq"]},
    )
    assert owned.owner == users["gxq"]
