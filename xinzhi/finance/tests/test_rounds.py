"""Equity rounds feed the funding facts the 独角兽/瞪羚 rule sets read (培育体检 changes)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.core.exceptions import ApplicationError
from xinzhi.cultivation.facts import enterprise_facts
from xinzhi.finance import services
from xinzhi.finance.models import EquityRound

D = Decimal
pytestmark = pytest.mark.django_db


def test_round_updates_funding_facts(users, make_enterprise):
    youci = make_enterprise("常州优磁科技有限公司", "htkjy", registered_on=dt.date(2021, 3, 1))
    today = dt.date.today()
    assert enterprise_facts(youci, as_of=today)["funding"] == {
        "has_institutional_investment": None,
        "valuation_cny_wan": None,
        "valuation_usd_m": None,
        "financing_usd_m": None,
    }
    services.round_record(
        actor=users["admin"],
        enterprise=youci,
        round_name="angel",
        closed_on=dt.date(2022, 6, 1),
        amount=D(700),
        investors="常州天使投资基金",
        post_money_valuation=D(7000),
    )
    services.round_record(
        actor=users["htz"],
        enterprise=youci,
        round_name="a",
        closed_on=today,
        amount=D(2800),
        investors="武进高新投、龙城英才基金",
        post_money_valuation=D(28000),
    )
    assert enterprise_facts(youci, as_of=today)["funding"] == {
        "has_institutional_investment": True,
        "valuation_cny_wan": D(28000),
        "valuation_usd_m": D("39.44"),  # 28,000万元 ÷ 7.10 ÷ 100
        "financing_usd_m": D("4.93"),  # (700 + 2,800)万元 ÷ 7.10 ÷ 100
    }


def test_round_changes_the_health_card(client, users, make_enterprise):
    youci = make_enterprise(
        "常州优磁科技有限公司", "htkjy", revenue=3500, registered_on=dt.date(2021, 3, 1)
    )
    client.force_login(users["admin"])
    url = f"/cultivation/enterprises/{youci.pk}/card/"
    before = client.get(url).content.decode()
    services.round_record(
        actor=users["admin"],
        enterprise=youci,
        round_name="a",
        closed_on=dt.date.today(),
        amount=D(2800),
        investors="武进高新投",
        post_money_valuation=D(28000),
    )
    after = client.get(url).content.decode()
    assert "28000" not in before.replace(",", "")
    assert "28000" in after.replace(",", "")


def test_round_refusals(users, make_enterprise):
    firm = make_enterprise("甲", "gxq")
    with pytest.raises(ApplicationError, match="投后估值不能低于本轮融资金额"):
        services.round_record(
            actor=users["gxq"],
            enterprise=firm,
            round_name="a",
            closed_on=dt.date(2024, 1, 1),
            amount=D(2800),
            investors="某基金",
            post_money_valuation=D(2000),
        )
    with pytest.raises(ApplicationError, match="不在您的管辖范围内"):
        services.round_record(
            actor=users["xth"],
            enterprise=firm,
            round_name="a",
            closed_on=dt.date(2024, 1, 1),
            amount=D(100),
            investors="某基金",
        )
    assert EquityRound.objects.unscoped().count() == 0
