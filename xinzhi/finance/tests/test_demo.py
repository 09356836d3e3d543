"""The finance demo reproduces the seed's 1—9月 2024 figures exactly, for admin and gxq."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.demo.services import demo_load
from xinzhi.enterprises.models import Enterprise
from xinzhi.finance import selectors
from xinzhi.finance.demo import BORROWERS
from xinzhi.finance.models import EquityRound, Loan, PoolEntry

D = Decimal
pytestmark = pytest.mark.django_db
START, END = dt.date(2024, 1, 1), dt.date(2024, 9, 30)


def test_demo_reads_the_seed_figures_and_is_idempotent():
    from xinzhi.accounts.models import User

    result = demo_load(synthetic=BORROWERS)
    admin = User.objects.get(username="admin")
    summary = selectors.finance_summary(user=admin, start=START, end=END)
    loans = {row["product"]: row for row in summary["loans"]}
    assert loans["武科贷"]["enterprises"] == 71
    assert loans["武科贷"]["amount_wan"] == D(18999)  # 1.8999亿元
    assert loans["惠科企"]["new_enterprises"] == 49
    assert loans["惠科企"]["amount_wan"] == D(28978)  # 2.8978亿元
    assert summary["vouchers"] == {
        "institutions": 62,
        "orders_effective": 20,
        "orders_cross_region": 10,
        "contract_amount_wan": D(915),
        "cross_region_amount_wan": D("219.6"),  # 24% of 915 (the seed's 跨区占比)
        "redeemed_amount_wan": D("154.5"),
    }
    assert selectors.share(D("219.6"), D(915)) == D("24.0")
    youci = EquityRound.objects.unscoped().get(enterprise__name="常州优磁科技有限公司")
    assert (youci.amount, youci.closed_on) == (D(2800), dt.date(2024, 12, 20))
    statuses = set(Loan.objects.unscoped().values_list("status", flat=True))
    assert {"overdue", "compensated", "applied", "approved", "refused", "settled"} <= statuses
    assert PoolEntry.objects.filter(kind="compensation").count() == 1
    again = demo_load(synthetic=BORROWERS)
    assert again["科技贷款"] == result["科技贷款"]

    # gxq reads only 高新区's share, which is part of the district's.
    gxq = User.objects.get(username="gxq")
    mine = selectors.finance_summary(user=gxq, start=START, end=END)
    gxq_loans = {row["product"]: row for row in mine["loans"]}
    assert 0 < gxq_loans["武科贷"]["enterprises"] < 71
    expected = Loan.objects.unscoped().filter(
        product__code="wukedai",
        disbursed_on__range=(START, END),
        enterprise__jurisdiction__in=gxq.visible_jurisdiction_ids(),
    )
    assert gxq_loans["武科贷"]["amount_wan"] == sum(x.disbursed_amount for x in expected)


def test_demo_pages_show_the_seed_figures(client):
    from xinzhi.accounts.models import User

    demo_load(synthetic=BORROWERS)
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/finance/?start=2024-01-01&end=2024-09-30").content.decode()
    for text in ('data-testid="enterprises">71<', "18,999.00", "1.8999", "2.8978", "28,978.00"):
        assert text in page, text
    assert 'data-testid="institutions">62<' in page
    assert 'data-testid="cross-share-amount">24.0<' in page
    assert 'data-testid="redeemed-amount">154.50<' in page
    for url in (
        "/finance/loans/",
        "/finance/pool/",
        "/finance/products/",
        "/finance/institutions/",
        "/finance/orders/",
        "/finance/grants/",
        "/finance/rounds/",
    ):
        assert client.get(url).status_code == 200, url
    youci = Enterprise.objects.unscoped().get(name="常州优磁科技有限公司")
    panel = client.get(f"/finance/enterprises/{youci.pk}/panel/").content.decode()
    assert "2,800.00万元" in panel
