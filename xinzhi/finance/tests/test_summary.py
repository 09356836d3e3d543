"""The summary (API and statistics page) against hand-computed fixtures, and its scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.finance import selectors, services
from xinzhi.finance.models import Loan, PoolEntry, ServiceInstitution, VoucherGrant, VoucherOrder

D = Decimal
pytestmark = pytest.mark.django_db
START, END = dt.date(2024, 1, 1), dt.date(2024, 9, 30)


def _loan(enterprise, product, disbursed_on, amount):
    return Loan.objects.unscoped().create(
        enterprise=enterprise,
        product=product,
        bank=product.banks.first(),
        applied_on=disbursed_on - dt.timedelta(days=10),
        amount_requested=amount,
        status="disbursed",
        decided_on=disbursed_on - dt.timedelta(days=5),
        approved_amount=amount,
        disbursed_on=disbursed_on,
        disbursed_amount=amount,
        term_months=12,
        rate=D(3),
        balance=amount,
        repaid_amount=0,
        compensation_amount=0,
        recovered_amount=0,
    )


@pytest.fixture
def ledger(finance, make_enterprise):
    """高新区: A (武科贷 2023 and 2024), B (武科贷 2024 twice, 惠科企 2024); 西太湖: C (武科贷)."""
    a = make_enterprise("A科技", "gxq")
    b = make_enterprise("B科技", "gxq")
    c = make_enterprise("C科技", "xth")
    wkd, hkq = finance["wkd"], finance["hkq"]
    _loan(a, wkd, dt.date(2023, 11, 1), D(300))
    _loan(a, wkd, dt.date(2024, 2, 1), D(400))
    _loan(b, wkd, dt.date(2024, 3, 1), D(200))
    _loan(b, wkd, dt.date(2024, 9, 30), D("150.5"))
    _loan(b, hkq, dt.date(2024, 5, 1), D(1000))
    _loan(c, wkd, dt.date(2024, 6, 1), D(600))
    _loan(c, wkd, dt.date(2024, 10, 1), D(999))  # after the range
    local = ServiceInstitution.objects.create(
        name="常州机构",
        region="jiangsu",
        city="常州市",
        service_types=["testing"],
        joined_on=dt.date(2023, 1, 1),
    )
    far = ServiceInstitution.objects.create(
        name="上海机构",
        region="shanghai",
        city="上海市",
        service_types=["testing"],
        joined_on=dt.date(2024, 2, 1),
    )
    ServiceInstitution.objects.create(
        name="退出机构",
        region="anhui",
        city="合肥市",
        service_types=["ip"],
        joined_on=dt.date(2023, 1, 1),
        status="exited",
        exited_on=dt.date(2024, 3, 1),
    )
    ServiceInstitution.objects.create(
        name="新入驻机构",
        region="zhejiang",
        city="宁波市",
        service_types=["ip"],
        joined_on=dt.date(2024, 10, 8),
    )
    orders = []
    for enterprise, institution, contract, status, effective, redeemed in [
        (a, far, D(100), "redeemed", dt.date(2024, 3, 1), D(20)),
        (a, local, D(50), "effective", dt.date(2024, 4, 1), None),
        (c, far, D(70), "performing", dt.date(2024, 5, 1), None),
        (b, local, D(30), "void", dt.date(2024, 5, 1), None),
        (b, local, D(40), "initiated", None, None),
    ]:
        grant = VoucherGrant.objects.unscoped().create(
            enterprise=enterprise,
            granted_on=dt.date(2024, 1, 1),
            use_by=dt.date(2024, 12, 31),
            quota=D(100),
            redeemed_amount=redeemed or 0,
        )
        orders.append(
            VoucherOrder.objects.unscoped().create(
                grant=grant,
                institution=institution,
                service_type="testing",
                title="检测",
                contract_amount=contract,
                voucher_share=D(20),
                status=status,
                initiated_on=dt.date(2024, 1, 10),
                effective_on=effective,
                redeemed_on=dt.date(2024, 8, 1) if redeemed else None,
                redeemed_amount=redeemed or 0,
                is_cross_region=services.is_cross_region(institution),
            )
        )
    return {"a": a, "b": b, "c": c}


def test_summary_for_the_district(users, ledger):
    summary = selectors.finance_summary(user=users["admin"], start=START, end=END)
    assert summary["loans"] == [
        {
            "product": "武科贷",
            "enterprises": 3,
            "new_enterprises": 2,
            "loans": 4,
            "amount_wan": D("1350.5"),
        },
        {
            "product": "惠科企",
            "enterprises": 1,
            "new_enterprises": 1,
            "loans": 1,
            "amount_wan": D(1000),
        },
    ]
    assert summary["vouchers"] == {
        "institutions": 2,  # 常州 and 上海; 退出机构 left on 2024-03-01, 新入驻 came in October
        "orders_effective": 3,
        "orders_cross_region": 2,
        "contract_amount_wan": D(220),
        "cross_region_amount_wan": D(170),
        "redeemed_amount_wan": D(20),
    }


def test_summary_for_gxq_counts_only_its_enterprises(users, ledger):
    summary = selectors.finance_summary(user=users["gxq"], start=START, end=END)
    assert summary["loans"][0] == {
        "product": "武科贷",
        "enterprises": 2,
        "new_enterprises": 1,
        "loans": 3,
        "amount_wan": D("750.5"),
    }
    vouchers = summary["vouchers"]
    assert (vouchers["orders_effective"], vouchers["orders_cross_region"]) == (2, 1)
    assert vouchers["contract_amount_wan"] == D(150)
    xth = selectors.finance_summary(user=users["xth"], start=START, end=END)
    assert xth["loans"][0]["amount_wan"] == D(600)


def test_summary_api_shape_and_scope(client, users, ledger):
    client.force_login(users["gxq"])
    body = client.get("/api/finance/summary?start=2024-01-01&end=2024-09-30").json()
    assert body["loans"][0] == {
        "product": "武科贷",
        "enterprises": 2,
        "new_enterprises": 1,
        "loans": 3,
        "amount_wan": "750.50",
    }
    assert body["vouchers"]["orders_effective"] == 2
    bad = client.get("/api/finance/summary?start=2024-10-01&end=2024-09-30")
    assert (bad.status_code, bad.json()["detail"]) == (400, "开始日期不能晚于结束日期。")


def test_pool_arithmetic_now_and_at_a_past_date(users, finance, tech_sme, make_loan):
    pool = finance["pool"]
    loan = make_loan(tech_sme(), amount=D(800))  # disbursed 2024-04-11
    services.loan_repay(actor=users["admin"], loan=loan, on=dt.date(2024, 6, 1), amount=D(100))
    services.loan_mark_overdue(actor=users["admin"], loan=loan, on=dt.date(2024, 8, 1))
    services.loan_compensate(actor=users["admin"], loan=loan, on=dt.date(2024, 9, 1))  # 280
    services.loan_recover(actor=users["admin"], loan=loan, on=dt.date(2024, 9, 20), amount=D(80))
    other = make_loan(tech_sme("常州丙科技有限公司"), amount=D(1000), applied=dt.date(2024, 5, 1))
    assert other.balance == D(1000)
    now = selectors.pool_status(pool)
    assert (now.capital, now.compensated, now.recovered, now.balance) == (
        D(5000),
        D(280),
        D(80),
        D(4800),
    )
    assert (now.outstanding, now.loans_outstanding, now.leverage) == (D(1000), 1, D("0.21"))
    july = selectors.pool_status(pool, dt.date(2024, 7, 31))
    assert (july.outstanding, july.balance, july.leverage) == (D(1700), D(5000), D("0.34"))
    assert PoolEntry.objects.count() == 3
