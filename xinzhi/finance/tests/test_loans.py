"""Loan life cycle services: every transition, every refusal (and nothing changed after one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.models import AuditEvent
from xinzhi.finance import services
from xinzhi.finance.models import Loan, PoolEntry, Repayment

D = Decimal
pytestmark = pytest.mark.django_db


def _state(loan: Loan) -> tuple:
    loan = Loan.objects.unscoped().get(pk=loan.pk)
    return (
        loan.status,
        loan.balance,
        loan.repaid_amount,
        loan.version,
        Repayment.objects.unscoped().count(),
        PoolEntry.objects.count(),
        AuditEvent.objects.unscoped().count(),
    )


def test_apply_checks_the_title_held_on_the_application_date(users, finance, tech_sme):
    enterprise = tech_sme()
    loan = services.loan_apply(
        actor=users["gxq"],
        enterprise=enterprise,
        product=finance["wkd"],
        bank=finance["banks"]["jsnsh"],
        applied_on=dt.date(2024, 4, 1),
        amount=D(500),
    )
    assert loan.status == "applied"
    before = Loan.objects.unscoped().count()
    with pytest.raises(ApplicationError) as exc:
        services.loan_apply(
            actor=users["gxq"],
            enterprise=enterprise,
            product=finance["wkd"],
            bank=finance["banks"]["jsnsh"],
            applied_on=dt.date(2024, 2, 1),  # the title starts on 2024-03-01
            amount=D(500),
        )
    assert exc.value.message == (
        "常州甲科技有限公司在申请日2024-02-01未持有有效的科技型中小企业或高新技术企业资质，"
        "不符合“武科贷”准入条件。"
    )
    assert Loan.objects.unscoped().count() == before


def test_apply_refuses_a_non_partner_bank_and_an_amount_over_the_cap(users, finance, tech_sme):
    enterprise = tech_sme()
    with pytest.raises(ApplicationError, match="不是“惠科企”的合作银行"):
        services.loan_apply(
            actor=users["admin"],
            enterprise=enterprise,
            product=finance["hkq"],
            bank=finance["banks"]["jsnsh"],
            applied_on=dt.date(2024, 4, 1),
            amount=D(100),
        )
    with pytest.raises(ApplicationError) as exc:
        services.loan_apply(
            actor=users["admin"],
            enterprise=enterprise,
            product=finance["wkd"],
            bank=finance["banks"]["boc"],
            applied_on=dt.date(2024, 4, 1),
            amount=D("1000.01"),
        )
    assert exc.value.message == "申请金额1,000.01万元超过“武科贷”单户上限1,000万元。"
    assert Loan.objects.unscoped().count() == 0


def test_other_jurisdiction_and_read_only_roles_cannot_apply(users, finance, tech_sme):
    enterprise = tech_sme()
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.loan_apply(
            actor=users["xth"],
            enterprise=enterprise,
            product=finance["wkd"],
            bank=finance["banks"]["boc"],
            applied_on=dt.date(2024, 4, 1),
            amount=D(100),
        )
    with pytest.raises(ApplicationError) as exc:
        services.loan_apply(
            actor=users["leader"],
            enterprise=enterprise,
            product=finance["wkd"],
            bank=finance["banks"]["boc"],
            applied_on=dt.date(2024, 4, 1),
            amount=D(100),
        )
    assert exc.value.code == "forbidden"
    assert Loan.objects.unscoped().count() == 0


def test_refusal_needs_a_reason_and_is_recorded(users, tech_sme, make_loan):
    loan = make_loan(tech_sme(), stage="applied")
    with pytest.raises(ApplicationError, match="须填写拒绝原因"):
        services.loan_decide(actor=users["gxq"], loan=loan, approved=False, on=dt.date(2024, 4, 3))
    loan = services.loan_decide(
        actor=users["gxq"],
        loan=loan,
        approved=False,
        on=dt.date(2024, 4, 3),
        reason="经营现金流不足",
    )
    assert (loan.status, loan.refusal_reason, loan.decided_on) == (
        "refused",
        "经营现金流不足",
        dt.date(2024, 4, 3),
    )
    with pytest.raises(ApplicationError, match="贷款当前为“银行拒绝”，不能放款"):
        services.loan_disburse(
            actor=users["gxq"],
            loan=loan,
            on=dt.date(2024, 4, 4),
            amount=D(100),
            term_months=12,
            rate=D(3),
        )


def test_disbursement_refusals_change_nothing(users, tech_sme, make_loan):
    loan = make_loan(tech_sme(), stage="approved", amount=D(600))  # approved 2024-04-06
    state = _state(loan)
    cases = [
        (
            {"on": dt.date(2024, 4, 5), "amount": D(600)},
            "放款日期2024-04-05早于审批日期2024-04-06，不能登记。",
        ),
        ({"on": dt.date(2024, 4, 8), "amount": D(601)}, "放款金额601万元超过审批金额600万元。"),
        (
            {"on": dt.date(2024, 4, 8), "amount": D(600), "rate": D("4.6")},
            "年利率4.6%超过“武科贷”利率上限4.5%。",
        ),
    ]
    for kwargs, message in cases:
        args = {"term_months": 12, "rate": D("3.8"), **kwargs}
        with pytest.raises(ApplicationError) as exc:
            services.loan_disburse(actor=users["gxq"], loan=loan, **args)
        assert exc.value.message == message
        assert _state(loan) == state


def test_disbursement_above_the_cap_counts_other_balances(users, tech_sme, make_loan):
    enterprise = tech_sme()
    make_loan(enterprise, amount=D(700))  # 700 outstanding on 武科贷
    second = make_loan(enterprise, stage="approved", amount=D(400), applied=dt.date(2024, 5, 1))
    state = _state(second)
    with pytest.raises(ApplicationError) as exc:
        services.loan_disburse(
            actor=users["admin"],
            loan=second,
            on=dt.date(2024, 5, 10),
            amount=D(400),
            term_months=12,
            rate=D(3),
        )
    assert exc.value.message == (
        "放款金额400万元（该企业在贷余额700万元）超过“武科贷”单户上限1,000万元。"
    )
    assert _state(second) == state
    loan = services.loan_disburse(
        actor=users["admin"],
        loan=second,
        on=dt.date(2024, 5, 10),
        amount=D(300),
        term_months=6,
        rate=D(3),
    )
    assert (loan.status, loan.balance, loan.maturity_on) == (
        "disbursed",
        D(300),
        dt.date(2024, 11, 10),
    )


def test_repayments_settle_the_loan_and_never_exceed_the_balance(users, tech_sme, make_loan):
    loan = make_loan(tech_sme(), amount=D(500))  # disbursed 2024-04-11
    services.loan_repay(actor=users["gxq"], loan=loan, on=dt.date(2024, 6, 1), amount=D(200))
    loan.refresh_from_db()
    state = _state(loan)
    with pytest.raises(ApplicationError) as exc:
        services.loan_repay(
            actor=users["gxq"], loan=loan, on=dt.date(2024, 7, 1), amount=D("300.01")
        )
    assert exc.value.message == "还款金额300.01万元超过贷款余额300万元。"
    with pytest.raises(ApplicationError, match="还款日期2024-04-01早于放款日期2024-04-11"):
        services.loan_repay(actor=users["gxq"], loan=loan, on=dt.date(2024, 4, 1), amount=D(1))
    assert _state(loan) == state
    services.loan_repay(actor=users["gxq"], loan=loan, on=dt.date(2024, 7, 1), amount=D(300))
    loan.refresh_from_db()
    assert (loan.status, loan.balance, loan.repaid_amount, loan.settled_on) == (
        "settled",
        D(0),
        D(500),
        dt.date(2024, 7, 1),
    )
    with pytest.raises(ApplicationError, match="贷款当前为“已结清”，不能登记还款"):
        services.loan_repay(actor=users["gxq"], loan=loan, on=dt.date(2024, 7, 2), amount=D(1))


def test_stale_version_is_refused(users, tech_sme, make_loan):
    loan = make_loan(tech_sme(), amount=D(500))
    with pytest.raises(ApplicationError) as exc:
        services.loan_repay(
            actor=users["gxq"],
            loan=loan,
            on=dt.date(2024, 6, 1),
            amount=D(10),
            expected_version=loan.version - 1,
        )
    assert exc.value.code == "conflict"


def test_overdue_compensation_and_recovery_move_the_pool(users, finance, tech_sme, make_loan):
    loan = make_loan(tech_sme(), amount=D(800), stage="overdue")  # overdue 2024-10-18
    assert loan.status == "overdue"
    with pytest.raises(ApplicationError) as exc:
        services.loan_compensate(
            actor=users["admin"], loan=loan, on=dt.date(2024, 11, 1), amount=D("320.01")
        )
    assert exc.value.message == (
        "代偿金额320.01万元超过资金池应分担部分320万元（余额800万元×40%）。"
    )
    entry = services.loan_compensate(actor=users["admin"], loan=loan, on=dt.date(2024, 11, 1))
    assert (entry.kind, entry.amount, entry.loan_balance) == ("compensation", D(320), D(800))
    assert services.pool_balance(finance["pool"]) == D(4680)
    with pytest.raises(ApplicationError, match="超过尚未收回的代偿金额320万元"):
        services.loan_recover(
            actor=users["admin"], loan=loan, on=dt.date(2024, 12, 1), amount=D(321)
        )
    services.loan_recover(actor=users["admin"], loan=loan, on=dt.date(2024, 12, 1), amount=D(120))
    loan.refresh_from_db()
    assert (loan.status, loan.compensation_amount, loan.recovered_amount) == (
        "compensated",
        D(320),
        D(120),
    )
    assert services.pool_balance(finance["pool"]) == D(4800)


def test_compensation_cannot_exceed_the_pool(users, finance, tech_sme, make_loan):
    from xinzhi.finance.models import GuaranteePool

    small = GuaranteePool.objects.create(name="小资金池")
    services.pool_capital_add(actor=None, pool=small, amount=D(100), on=dt.date(2024, 1, 1))
    finance["wkd"].pool = small
    finance["wkd"].save()
    loan = make_loan(tech_sme(), amount=D(800), stage="overdue")
    state = _state(loan)
    with pytest.raises(ApplicationError) as exc:
        services.loan_compensate(actor=users["admin"], loan=loan, on=dt.date(2024, 11, 1))
    assert exc.value.message == "资金池余额100万元不足以代偿320万元。"
    assert _state(loan) == state


def test_product_shares_must_add_to_100(finance):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="分担比例之和须为100%（现为90%）"):
        services.product_create(
            actor=None,
            data={
                "code": "bad",
                "name": "坏产品",
                "pool": finance["pool"],
                "pool_share": D(40),
                "bank_share": D(30),
                "guarantor_share": D(20),
                "cap_per_enterprise": D(100),
                "rate_cap": D(4),
            },
            banks=[],
        )


def test_interest_subsidy_follows_the_product_rule(finance, tech_sme, make_loan):
    small = make_loan(tech_sme(), amount=D(500))  # 500 × 3.8% = 19 interest, 50% → 9.5
    assert small.annual_subsidy == D("9.50")
    big = make_loan(tech_sme("常州丙科技有限公司"), amount=D(1000))  # 38 interest → 19
    assert big.annual_subsidy == D("19.00")
    finance["wkd"].subsidy_cap = D(15)
    finance["wkd"].save()
    assert Loan.objects.unscoped().get(pk=big.pk).annual_subsidy == D(15)  # the yearly cap
    hkq = make_loan(tech_sme("常州丁科技有限公司"), product="hkq", amount=D(800))
    assert hkq.annual_subsidy is None  # 惠科企 has no 贴息
