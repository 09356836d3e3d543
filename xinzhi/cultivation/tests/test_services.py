import datetime as dt
from decimal import Decimal

import pytest

from xinzhi import eligibility
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent
from xinzhi.cultivation.facts import enterprise_facts, facts_object
from xinzhi.cultivation.models import CultivationTrack, Evaluation, TrackChange
from xinzhi.cultivation.services import evaluations_refresh, policies_for, track_move
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.services import figures_save

from .conftest import LAST_YEAR


def stored(enterprise, policy_id):
    return Evaluation.objects.unscoped().get(enterprise=enterprise, policy_id=policy_id)


def test_refresh_stores_the_hand_computed_tech_sme_verdict(qualified):
    enterprise = qualified()
    written = evaluations_refresh(Enterprise.objects.unscoped())
    assert written == len(policies_for(dt.date.today()))
    row = stored(enterprise, "tech-sme-2017")
    # 科技人员 30% → 20, 研发 300/5000 = 6% → 50, 1 项Ⅰ类 → 30: 100 ≥ 60.
    assert (row.verdict, row.score_min, row.score_max, row.score_pass, row.score_gap) == (
        "eligible",
        100,
        100,
        60,
        0,
    )
    assert row.family == "tech_sme"


def test_a_shortfall_is_stored_with_its_gap(qualified):
    enterprise = qualified(rd=Decimal("100"), tech_staff=10, class1=0)
    evaluations_refresh(Enterprise.objects.unscoped())
    row = stored(enterprise, "tech-sme-2017")
    # 10% → 4, 2% → 10, no IP → 0: 14 < 60, gap 46; no direct route (all known to be false).
    assert (row.verdict, row.score_min, row.score_gap) == ("ineligible", 14, 46)


def test_batch_facts_equal_the_validated_parse(qualified):
    enterprise = qualified()
    data = enterprise_facts(enterprise, as_of=dt.date.today())
    assert facts_object(data) == eligibility.facts_from_dict(data)


def test_figures_change_refreshes_the_stored_verdict(
    qualified, users, django_capture_on_commit_callbacks
):
    enterprise = qualified(rd=Decimal("100"))
    evaluations_refresh(Enterprise.objects.unscoped())
    # 科技人员 30% → 20, 研发 2% → 10, Ⅰ类 → 30.
    assert stored(enterprise, "tech-sme-2017").score_min == 60
    with django_capture_on_commit_callbacks(execute=True):
        figures_save(
            actor=users["gxq"],
            enterprise=enterprise,
            year=LAST_YEAR,
            data={"rd_expense": Decimal("300"), "rd_expense_domestic": Decimal("300")},
        )
    assert stored(enterprise, "tech-sme-2017").score_min == 100


def test_rules_are_chosen_by_date(qualified):
    enterprise = qualified()
    evaluations_refresh(Enterprise.objects.unscoped(), as_of=dt.date(2025, 6, 1))
    assert (
        Evaluation.objects.unscoped()
        .filter(enterprise=enterprise, family="srdi_sme")
        .get()
        .policy_id
        == "srdi-sme-2022"
    )
    evaluations_refresh(Enterprise.objects.unscoped(), as_of=dt.date(2026, 6, 1))
    assert (
        Evaluation.objects.unscoped()
        .filter(enterprise=enterprise, family="srdi_sme")
        .get()
        .policy_id
        == "srdi-sme-2026"
    )


def test_track_move_keeps_history_and_audit(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    track_move(actor=users["gxq"], enterprise=enterprise, family="hnte", to_stage="nurture")
    track = track_move(
        actor=users["gxq"], enterprise=enterprise, family="hnte", to_stage="apply", note="今年申报"
    )
    assert track.stage == "apply"
    assert track.version == 2
    history = list(
        TrackChange.objects.unscoped()
        .order_by("id")
        .values_list("from_stage", "to_stage", "actor_name", "note")
    )
    assert history == [("", "nurture", "GXQ", ""), ("nurture", "apply", "GXQ", "今年申报")]
    event = AuditEvent.objects.visible_to(users["gxq"]).filter(action="stage").first()
    assert event.changes == {
        "stage": {"label": "高新技术企业培育阶段", "before": "培育", "after": "申报"}
    }


def test_track_move_rules(users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司")
    track_move(actor=users["gxq"], enterprise=enterprise, family="hnte", to_stage="apply")
    with pytest.raises(ApplicationError, match="已处于高新技术企业“申报”阶段"):
        track_move(actor=users["gxq"], enterprise=enterprise, family="hnte", to_stage="apply")
    with pytest.raises(ApplicationError, match="退回到前一阶段时请填写原因"):
        track_move(actor=users["gxq"], enterprise=enterprise, family="hnte", to_stage="reserve")
    with pytest.raises(ApplicationError, match="只能查看"):
        track_move(
            actor=users["leader"], enterprise=enterprise, family="hnte", to_stage="certified"
        )
    with pytest.raises(ApplicationError, match="未知的资质类型"):
        track_move(actor=users["gxq"], enterprise=enterprise, family="nobel", to_stage="apply")
    with pytest.raises(Enterprise.DoesNotExist):
        track_move(actor=users["xth"], enterprise=enterprise, family="hnte", to_stage="certified")
    assert CultivationTrack.objects.unscoped().get().stage == "apply"
