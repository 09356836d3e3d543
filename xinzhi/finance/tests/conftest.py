"""Fixtures of the 科技金融 tests: banks, the pool, the two products, loans walked forward."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

D = Decimal


@pytest.fixture
def finance(db):
    """武科贷 (needs 科技型中小企业 or 高企 on the application date) and 惠科企 on one pool."""
    from xinzhi.finance import services
    from xinzhi.finance.models import Bank

    banks = {
        "jsnsh": Bank.objects.create(name="江南农村商业银行", short_name="江南农商行"),
        "boc": Bank.objects.create(name="中国银行常州武进支行", short_name="中行武进支行"),
    }
    pool = services.pool_create(actor=None, name="武进区科技担保资金池", leverage_cap=D(10))
    services.pool_capital_add(actor=None, pool=pool, amount=D(5000), on=dt.date(2023, 1, 10))
    wkd = services.product_create(
        actor=None,
        data={
            "code": "wukedai",
            "name": "武科贷",
            "pool": pool,
            "guarantor": "武进区科技融资担保有限公司",
            "pool_share": D(40),
            "bank_share": D(30),
            "guarantor_share": D(30),
            "cap_per_enterprise": D(1000),
            "rate_cap": D("4.50"),
            "subsidy_rate": D(50),
            "subsidy_cap": D(20),
            "qualifying_titles": ["tech_sme", "hnte"],
        },
        banks=[banks["jsnsh"], banks["boc"]],
    )
    hkq = services.product_create(
        actor=None,
        data={
            "code": "huikeqi",
            "name": "惠科企",
            "pool": pool,
            "guarantor": "",
            "pool_share": D(50),
            "bank_share": D(50),
            "guarantor_share": D(0),
            "cap_per_enterprise": D(2000),
            "rate_cap": D("4.00"),
            "qualifying_titles": [],
        },
        banks=[banks["boc"]],
    )
    return {"pool": pool, "wkd": wkd, "hkq": hkq, "banks": banks}


@pytest.fixture
def tech_sme(make_enterprise):
    """An enterprise holding a 科技型中小企业 title for 2024, in 高新区 by default."""
    from xinzhi.enterprises.models import TitleHeld

    def make(name="常州甲科技有限公司", jurisdiction="gxq"):
        enterprise = make_enterprise(name, jurisdiction)
        TitleHeld.objects.unscoped().create(
            enterprise=enterprise,
            title="tech_sme",
            valid_from=dt.date(2024, 3, 1),
            valid_until=dt.date(2024, 12, 31),
        )
        return enterprise

    return make


@pytest.fixture
def make_loan(users, finance):
    """A loan walked through the services up to `stage` (applied/approved/disbursed/overdue)."""
    from xinzhi.finance import services

    def make(enterprise, product="wkd", stage="disbursed", amount=500, applied=None, **kw):
        actor = kw.pop("actor", users["admin"])
        amount = D(amount)
        applied = applied or dt.date(2024, 4, 1)
        loan = services.loan_apply(
            actor=actor,
            enterprise=enterprise,
            product=finance[product],
            bank=finance["banks"]["boc"],
            applied_on=applied,
            amount=amount,
        )
        if stage == "applied":
            return loan
        loan = services.loan_decide(
            actor=actor, loan=loan, approved=True, on=applied + dt.timedelta(days=5)
        )
        if stage == "approved":
            return loan
        loan = services.loan_disburse(
            actor=actor,
            loan=loan,
            on=applied + dt.timedelta(days=10),
            amount=amount,
            term_months=12,
            rate=D("3.80"),
        )
        if stage == "disbursed":
            return loan
        return services.loan_mark_overdue(
            actor=actor, loan=loan, on=applied + dt.timedelta(days=200)
        )

    return make
