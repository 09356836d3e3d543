"""One of each 科技金融 object for the permission table (`core/tests/test_permission_table`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

D = Decimal


def finance_world(admin, enterprise) -> dict[str, int]:  # noqa: ANN001
    """A disbursed 武科贷 loan, a grant and an order of `enterprise`, an institution, the pool."""
    from xinzhi.finance import services
    from xinzhi.finance.models import Bank, Loan, VoucherGrant

    bank = Bank.objects.create(name="江南农村商业银行")
    pool = services.pool_create(actor=None, name="武进区科技担保资金池")
    services.pool_capital_add(actor=None, pool=pool, amount=D(5000), on=dt.date(2024, 1, 1))
    product = services.product_create(
        actor=None,
        data={
            "code": "wukedai",
            "name": "武科贷",
            "pool": pool,
            "pool_share": D(40),
            "bank_share": D(30),
            "guarantor_share": D(30),
            "cap_per_enterprise": D(1000),
            "rate_cap": D("4.5"),
        },
        banks=[bank],
    )
    loan = Loan.objects.unscoped().create(
        enterprise=enterprise,
        product=product,
        bank=bank,
        applied_on=dt.date(2024, 3, 1),
        amount_requested=D(500),
        status="disbursed",
        decided_on=dt.date(2024, 3, 5),
        approved_amount=D(500),
        disbursed_on=dt.date(2024, 3, 10),
        disbursed_amount=D(500),
        term_months=12,
        rate=D("3.8"),
        balance=D(500),
        repaid_amount=0,
        compensation_amount=0,
        recovered_amount=0,
    )
    institution = services.institution_save(
        actor=admin,
        data={
            "name": "上海微技术工业研究院",
            "region": "shanghai",
            "city": "上海市",
            "service_types": ["testing"],
            "joined_on": dt.date(2023, 1, 1),
        },
    )
    grant = VoucherGrant.objects.unscoped().create(
        enterprise=enterprise,
        granted_on=dt.date(2024, 1, 1),
        use_by=dt.date(2030, 12, 31),
        quota=D(50),
        redeemed_amount=0,
    )
    order = services.order_create(
        actor=admin,
        grant=grant,
        institution=institution,
        service_type="testing",
        title="可靠性检测",
        contract_amount=D(60),
        voucher_share=D(20),
        initiated_on=dt.date(2024, 2, 1),
    )
    return {
        "loan": loan.pk,
        "order": order.pk,
        "institution": institution.pk,
        "pool": pool.pk,
    }
