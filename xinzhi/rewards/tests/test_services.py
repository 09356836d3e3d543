"""The 测算 and the workflow against hand-computed fixtures (rule set in conftest.RULES)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent
from xinzhi.rewards import services
from xinzhi.rewards.models import Entitlement, Payment

D = dt.date


def _rows(year=2024):
    return {
        (e.enterprise.name, e.item.code): e
        for e in Entitlement.objects.unscoped()
        .filter(year=year)
        .select_related("enterprise", "item")
    }


def test_new_hnte_is_found_with_its_reward_in_words(users, policy, make_enterprise, give_title):
    firm = make_enterprise("甲科技有限公司")
    give_title(firm, "hnte", D(2024, 11, 6), number="GR202432001234")
    run = services.entitlement_run(actor=users["admin"], year=2024)
    (row,) = _rows().values()
    assert row.item.code == "hnte-new"
    assert row.amount_yuan == Decimal(200000)
    assert row.explanation == "2024年新认定高新技术企业，奖励20万元"
    assert row.source_label == "高新技术企业（证书GR202432001234，2024-11-06认定）"
    assert row.status == "calculated"
    assert row.jurisdiction.code == "wjhtz"
    assert run.counts["added"] == 1 and run.counts["entitled"] == 1
    assert run.counts["amount_yuan"] == "200000.00"


def test_recertified_hnte_and_titles_of_other_years_are_not_new(
    users, policy, make_enterprise, give_title
):
    old = make_enterprise("老高企有限公司")
    give_title(old, "hnte", D(2021, 3, 1))
    give_title(old, "hnte", D(2024, 3, 1))  # 重新认定
    other = make_enterprise("乙有限公司")
    give_title(other, "hnte", D(2023, 12, 31))
    services.entitlement_run(actor=users["admin"], year=2024)
    assert _rows() == {}


def test_gazelle_tiers_by_level_and_unlisted_level_is_excluded_with_reason(
    users, policy, make_enterprise, give_title
):
    a = make_enterprise("省瞪羚有限公司")
    b = make_enterprise("市瞪羚有限公司")
    c = make_enterprise("区瞪羚有限公司")
    give_title(a, "gazelle", D(2024, 5, 1), level="provincial")
    give_title(b, "gazelle", D(2024, 5, 1), level="municipal")
    give_title(c, "gazelle", D(2024, 5, 1), level="district")
    services.entitlement_run(actor=users["admin"], year=2024)
    rows = _rows()
    assert rows[("省瞪羚有限公司", "gazelle-new")].amount_yuan == Decimal(300000)
    assert (
        rows[("省瞪羚有限公司", "gazelle-new")].explanation
        == "2024年新认定瞪羚企业，按省级标准奖励30万元"
    )
    assert rows[("市瞪羚有限公司", "gazelle-new")].amount_yuan == Decimal(100000)
    excluded = rows[("区瞪羚有限公司", "gazelle-new")]
    assert excluded.status == "excluded"
    assert (
        excluded.exclusion_reason == "不符合金额规则：区级不在奖励分档内（省级30万元、市级10万元）"
    )


def test_landed_hnte_pays_the_higher_once_with_new_hnte_excluded(
    users, policy, make_enterprise, give_title, land
):
    """就高不重复: landed 高企 (30万) and new 高企 (20万) in one group → only the 30万."""
    firm = make_enterprise("迁入科技有限公司")
    give_title(firm, "hnte", D(2024, 2, 1), until=D(2027, 1, 31))
    lead = land(firm, D(2024, 6, 3))
    services.entitlement_run(actor=users["admin"], year=2024)
    rows = _rows()
    landed = rows[("迁入科技有限公司", "hnte-landed")]
    assert landed.status == "calculated"
    assert landed.amount_yuan == Decimal(300000)
    assert landed.source_label == "招商项目“激光项目”2024-06-03落地注册"
    assert landed.source_url == f"/attraction/leads/{lead.pk}/"
    new = rows[("迁入科技有限公司", "hnte-new")]
    assert new.status == "excluded"
    assert new.exclusion_reason == "与“高企招引奖励”就高不重复，按较高的30万元兑现"


def test_landed_without_hnte_at_landing_is_not_a_candidate(
    users, policy, make_enterprise, give_title, land
):
    firm = make_enterprise("后认定有限公司")
    give_title(firm, "hnte", D(2024, 9, 1))  # certified after landing
    land(firm, D(2024, 6, 3))
    expired = make_enterprise("过期有限公司")
    give_title(expired, "hnte", D(2020, 1, 1), until=D(2022, 12, 31))
    land(expired, D(2024, 6, 3), name="过期项目")
    services.entitlement_run(actor=users["admin"], year=2024)
    assert set(_rows()) == {("后认定有限公司", "hnte-new")}


def test_call_grants_soft_science_capped_at_3000_and_science_at_half(
    users, policy, make_enterprise, grant
):
    firm = make_enterprise("软科学研究有限公司")
    grant(firm, "软科学课题研究", 5000)
    other = make_enterprise("科普有限公司")
    grant(other, "科学普及活动开展", 18000)
    services.entitlement_run(actor=users["admin"], year=2024)
    rows = _rows()
    soft = rows[("软科学研究有限公司", "soft-science")]
    assert soft.amount_yuan == Decimal(3000)
    assert soft.explanation == (
        "2024年软科学课题研究立项“软科学课题研究课题”，按资助金额5,000元的100%计5,000元，"
        "超过上限3,000元，按上限3,000元兑现"
    )
    assert rows[("科普有限公司", "science")].amount_yuan == Decimal(9000)
    assert ("软科学研究有限公司", "science") not in rows


def test_projects_from_above_are_matched_at_half_capped_and_district_ones_are_not(
    users, policy, make_enterprise, fund
):
    provincial = make_enterprise("省项目有限公司")
    fund(provincial, "provincial", 80, D(2024, 5, 20), name="储能材料研发")
    national = make_enterprise("国家项目有限公司")
    fund(national, "national", 300, D(2024, 3, 1), name="光刻系统研发")
    district = make_enterprise("区项目有限公司")
    fund(district, "district", 50, D(2024, 4, 1))
    earlier = make_enterprise("往年项目有限公司")
    fund(earlier, "municipal", 40, D(2023, 6, 1))
    services.entitlement_run(actor=users["admin"], year=2024)
    rows = {key: row for key, row in _rows().items() if key[1] == "project-matching"}
    assert set(rows) == {
        ("省项目有限公司", "project-matching"),
        ("国家项目有限公司", "project-matching"),
    }
    assert rows[("省项目有限公司", "project-matching")].amount_yuan == Decimal(400000)
    capped = rows[("国家项目有限公司", "project-matching")]
    assert capped.amount_yuan == Decimal(1000000)
    assert capped.explanation == (
        "2024年国家级科技计划项目“光刻系统研发”立项，按上级资助300万元的50%计150万元，"
        "超过上限100万元，按上限100万元兑现"
    )


def test_serious_dishonesty_excludes_with_the_reason(users, policy, make_enterprise, give_title):
    from xinzhi.enterprises.models import Incident

    firm = make_enterprise("失信有限公司")
    give_title(firm, "hnte", D(2024, 5, 1))
    Incident.objects.unscoped().create(
        enterprise=firm,
        occurred_on=D(2024, 3, 5),
        kind="dishonesty",
        severity="serious",
        description="列入严重失信主体名单",
    )
    minor = make_enterprise("一般失信有限公司")
    give_title(minor, "hnte", D(2024, 5, 1))
    Incident.objects.unscoped().create(
        enterprise=minor, occurred_on=D(2024, 3, 5), kind="dishonesty", severity="general"
    )
    services.entitlement_run(actor=users["admin"], year=2024)
    rows = _rows()
    row = rows[("失信有限公司", "hnte-new")]
    assert row.status == "excluded"
    assert row.exclusion_reason == "严重失信不予兑现：2024-03-05严重失信事件：列入严重失信主体名单"
    assert rows[("一般失信有限公司", "hnte-new")].status == "calculated"


def test_once_per_enterprise_per_title_across_years(
    users, policy, make_enterprise, give_title, land
):
    """Enjoyed the 高企招引 reward in 2024; a later trigger for the same title is refused."""
    firm = make_enterprise("已享受有限公司")
    give_title(firm, "hnte", D(2024, 2, 1), until=D(2027, 1, 31))
    land(firm, D(2024, 6, 3))
    services.entitlement_run(actor=users["admin"], year=2024)
    from xinzhi.rewards.models import BudgetLine

    BudgetLine.objects.create(
        policy=policy, year=2025, code="attraction", name="招引奖励", amount_wan=50
    )
    land(firm, D(2025, 4, 1), name="二期项目")
    services.entitlement_run(actor=users["admin"], year=2025)
    row = _rows(2025)[("已享受有限公司", "hnte-landed")]
    assert row.status == "excluded"
    assert row.exclusion_reason == "已于2024年享受同一资质奖励（同一企业同一资质限享一次）"


def test_rerun_is_idempotent_and_reports_changes(users, policy, make_enterprise, give_title):
    admin = users["admin"]
    a = make_enterprise("甲有限公司")
    b = make_enterprise("乙有限公司")
    give_title(a, "hnte", D(2024, 5, 1))
    title_b = give_title(b, "gazelle", D(2024, 5, 1), level="municipal")
    services.entitlement_run(actor=admin, year=2024)
    first_ids = set(Entitlement.objects.unscoped().values_list("pk", flat=True))

    again = services.entitlement_run(actor=admin, year=2024)
    assert set(Entitlement.objects.unscoped().values_list("pk", flat=True)) == first_ids
    assert again.counts | {} == again.counts
    assert (again.counts["added"], again.counts["changed"], again.counts["withdrawn"]) == (0, 0, 0)
    assert again.counts["unchanged"] == 2
    assert again.changes == []

    title_b.level = "provincial"  # the record is corrected: 市级 → 省级
    title_b.save()
    c = make_enterprise("丙有限公司")
    give_title(c, "hnte", D(2024, 8, 1))
    services.entitlements_confirm(actor=admin, ids=[_rows()[("甲有限公司", "hnte-new")].pk])
    from xinzhi.enterprises.models import TitleHeld

    TitleHeld.objects.unscoped().filter(enterprise=a).delete()  # signed off: stays, reported
    third = services.entitlement_run(actor=admin, year=2024)
    assert (third.counts["added"], third.counts["changed"], third.counts["withdrawn"]) == (1, 1, 0)
    assert third.counts["frozen"] == 1
    changes = {(c["change"], c["enterprise"]): c for c in third.changes}
    assert changes[("changed", "乙有限公司")]["before"] == "10万元"
    assert changes[("changed", "乙有限公司")]["after"] == "30万元"
    assert changes[("added", "丙有限公司")]["after"] == "20万元"
    assert changes[("frozen", "甲有限公司")]["after"] == "依据记录已不满足条件，请核对"
    assert _rows()[("甲有限公司", "hnte-new")].status == "confirmed"

    TitleHeld.objects.unscoped().filter(enterprise=c).delete()  # not signed off: withdrawn
    fourth = services.entitlement_run(actor=admin, year=2024)
    assert fourth.counts["withdrawn"] == 1
    row = _rows()[("丙有限公司", "hnte-new")]
    assert row.status == "withdrawn"
    assert row.exclusion_reason == "依据记录已不再满足触发条件（如资质记录被更正或删除）"


def test_run_without_a_policy_for_the_year_is_refused(users, policy):
    with pytest.raises(ApplicationError) as err:
        services.entitlement_run(actor=users["admin"], year=2023)
    assert err.value.message == "2023年没有生效的奖补政策，请先载入或启用奖补规则。"


def test_only_the_admin_runs(users, policy):
    with pytest.raises(ApplicationError) as err:
        services.entitlement_run(actor=users["gxq"], year=2024)
    assert err.value.code == "forbidden"


# --- workflow ------------------------------------------------------------------------------


@pytest.fixture
def one_hnte(users, policy, make_enterprise, give_title, confirmed_bank):
    firm = make_enterprise("甲科技有限公司")
    give_title(firm, "hnte", D(2024, 5, 1))
    confirmed_bank(firm)
    services.entitlement_run(actor=users["admin"], year=2024)
    return Entitlement.objects.unscoped().get(enterprise=firm)


def _publish(users, row, ends=None):
    return services.publicity_create(
        actor=users["admin"],
        year=2024,
        title="",
        starts_on=D(2025, 1, 3),
        ends_on=ends or D(2025, 1, 10),
    )


def test_officer_confirms_only_their_own_jurisdiction(users, one_hnte):
    with pytest.raises(ApplicationError) as err:
        services.entitlements_confirm(actor=users["xth"], ids=[one_hnte.pk])
    assert err.value.message == "所选事项不存在或不在您的管辖范围内，请刷新后重试。"
    one_hnte.refresh_from_db()
    assert one_hnte.status == "calculated"
    assert services.entitlements_confirm(actor=users["gxq"], ids=[one_hnte.pk]) == 1
    one_hnte.refresh_from_db()
    assert (one_hnte.status, one_hnte.confirmed_by) == ("confirmed", users["gxq"])


def test_return_needs_a_reason_and_rerun_keeps_it_returned(users, one_hnte):
    with pytest.raises(ApplicationError):
        services.entitlement_return(actor=users["gxq"], entitlement=one_hnte, reason=" ")
    services.entitlement_return(actor=users["gxq"], entitlement=one_hnte, reason="企业已迁出本板块")
    services.entitlement_run(actor=users["admin"], year=2024)
    one_hnte.refresh_from_db()
    assert (one_hnte.status, one_hnte.return_reason) == ("returned", "企业已迁出本板块")


def test_full_flow_to_paid_and_never_twice(users, one_hnte):
    admin = users["admin"]
    services.entitlements_confirm(actor=users["gxq"], ids=[one_hnte.pk])
    services.entitlements_approve(actor=admin, ids=[one_hnte.pk])
    publicity = _publish(users, one_hnte)
    one_hnte.refresh_from_db()
    assert (one_hnte.status, one_hnte.publicity) == ("publicity", publicity)
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=admin,
            entitlement=one_hnte,
            paid_on=D(2025, 1, 10),
            voucher_no="PZ-1",
            today=D(2025, 1, 10),
        )
    assert err.value.message == "公示期至2025-01-10，期满后才能拨付。"
    payment = services.payment_record(
        actor=admin,
        entitlement=one_hnte,
        paid_on=D(2025, 1, 15),
        voucher_no="PZ-1",
        today=D(2025, 1, 15),
    )
    assert payment.amount_yuan == Decimal(200000)
    assert payment.account_no == "6228480012345678"
    stale = one_hnte  # still says 公示中 in memory: the service re-reads under the lock
    assert stale.status == "publicity"
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=admin,
            entitlement=stale,
            paid_on=D(2025, 1, 15),
            voucher_no="PZ-2",
            today=D(2025, 1, 15),
        )
    assert err.value.message == "该事项已拨付，不能重复拨付。"
    assert Payment.objects.unscoped().count() == 1
    stale.refresh_from_db()
    assert stale.status == "paid"
    notes = list(
        AuditEvent.all_objects.filter(
            object_id=str(stale.pk), object_type="rewards.entitlement"
        ).values_list("note", flat=True)
    )
    assert "拨付20万元（凭证号PZ-1，2025-01-15）" in notes


def test_the_database_refuses_a_second_payment_row(users, one_hnte):
    """The last line of defence under concurrency: one payment per entitlement."""
    Payment.objects.unscoped().create(
        entitlement=one_hnte,
        paid_on=D(2025, 1, 1),
        amount_yuan=1,
        voucher_no="A",
        account_name="x",
        bank_name="y",
        account_no="1",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.unscoped().create(
            entitlement=one_hnte,
            paid_on=D(2025, 1, 1),
            amount_yuan=1,
            voucher_no="B",
            account_name="x",
            bank_name="y",
            account_no="1",
        )


def test_payment_needs_the_enterprises_confirmed_bank_account(
    users, policy, make_enterprise, give_title
):
    firm = make_enterprise("无账户有限公司")
    give_title(firm, "hnte", D(2024, 5, 1))
    services.entitlement_run(actor=users["admin"], year=2024)
    row = Entitlement.objects.unscoped().get(enterprise=firm)
    services.entitlements_confirm(actor=users["admin"], ids=[row.pk])
    services.entitlements_approve(actor=users["admin"], ids=[row.pk])
    _publish(users, row)
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=users["admin"],
            entitlement=row,
            paid_on=D(2025, 1, 15),
            voucher_no="PZ-1",
            today=D(2025, 1, 15),
        )
    assert err.value.message == "企业尚未在本企业账号中确认收款账户，暂不能拨付。"


def test_budget_cannot_go_negative_without_an_audited_override(
    users, policy, make_enterprise, give_title
):
    """资质奖励 budget 100万元: five new 高企 at 20万 fit, the sixth needs the override."""
    admin = users["admin"]
    for n in range(6):
        give_title(make_enterprise(f"企业{n}有限公司"), "hnte", D(2024, 5, 1))
    services.entitlement_run(actor=admin, year=2024)
    ids = list(Entitlement.objects.unscoped().order_by("pk").values_list("pk", flat=True))
    services.entitlements_confirm(actor=admin, ids=ids)
    assert services.entitlements_approve(actor=admin, ids=ids[:5]) == 5
    with pytest.raises(ApplicationError) as err:
        services.entitlements_approve(actor=admin, ids=ids[5:])
    assert err.value.message == (
        "预算不足：资质奖励：2024年预算100万元，已占用100万元，本次20万元，超出20万元。"
        "确需超预算审批，请填写超预算理由（记入审计日志）。"
    )
    assert Entitlement.objects.unscoped().get(pk=ids[5]).status == "confirmed"
    services.entitlements_approve(
        actor=admin, ids=ids[5:], override_reason="区政府专题会议纪要追加"
    )
    row = Entitlement.objects.unscoped().get(pk=ids[5])
    assert (row.status, row.budget_override_reason) == ("approved", "区政府专题会议纪要追加")
    assert AuditEvent.all_objects.filter(
        object_id=str(row.pk), note="审批通过（超预算：区政府专题会议纪要追加）"
    ).exists()
    usage = services.budget_usage(row.budget_line)
    assert usage == {
        "committed": Decimal(1200000),
        "paid": Decimal(0),
        "remaining": Decimal(-200000),
    }


def test_objection_upheld_withdraws_and_open_objection_blocks_payment(users, one_hnte):
    admin = users["admin"]
    services.entitlements_confirm(actor=admin, ids=[one_hnte.pk])
    services.entitlements_approve(actor=admin, ids=[one_hnte.pk])
    publicity = _publish(users, one_hnte)
    with pytest.raises(ApplicationError) as err:
        services.objection_record(
            publicity=publicity,
            entitlement_id=one_hnte.pk,
            submitter="张三",
            contact="",
            content="x",
            today=D(2025, 1, 11),
        )
    assert err.value.message == "公示期外不受理异议。"
    objection = services.objection_record(
        publicity=publicity,
        entitlement_id=one_hnte.pk,
        submitter="张三",
        contact="138",
        content="该企业已迁出",
        today=D(2025, 1, 5),
    )
    with pytest.raises(ApplicationError) as err:
        services.payment_record(
            actor=admin,
            entitlement=one_hnte,
            paid_on=D(2025, 1, 15),
            voucher_no="PZ-1",
            today=D(2025, 1, 15),
        )
    assert err.value.message == "该事项有未处理的公示异议，处理后才能拨付。"
    services.objection_resolve(
        actor=admin, objection=objection, upheld=True, resolution="经核实属实"
    )
    one_hnte.refresh_from_db()
    assert (one_hnte.status, one_hnte.exclusion_reason) == ("withdrawn", "公示异议成立：经核实属实")


def test_bank_account_only_by_the_enterprises_own_user(users, make_enterprise):
    from xinzhi.accounts.services import user_create

    firm = make_enterprise("甲科技有限公司")
    other = make_enterprise("乙科技有限公司")
    user = user_create(
        username="firm", password="xinzhi-test-pass", role="enterprise", enterprise_id=firm.pk
    )
    data = {
        "account_name": "甲科技有限公司",
        "bank_name": "江南农商行",
        "account_no": "6228 4800 1234",
    }
    with pytest.raises(ApplicationError) as err:
        services.bank_account_confirm(actor=user, enterprise=other, data=data)
    assert err.value.code == "forbidden"
    with pytest.raises(ApplicationError) as err:
        services.bank_account_confirm(actor=users["gxq"], enterprise=firm, data=data)
    assert err.value.code == "forbidden"
    account = services.bank_account_confirm(actor=user, enterprise=firm, data=data)
    assert (account.account_no, account.confirmed_by) == ("622848001234", user)
    with pytest.raises(ApplicationError) as err:
        services.bank_account_confirm(
            actor=user, enterprise=firm, data={**data, "account_no": "12ab"}
        )
    assert err.value.message == "银行账号应为8至30位数字。"
