import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.cultivation.models import QualificationProfile
from xinzhi.enterprises.models import AnnualFigures, IntellectualProperty

LAST_YEAR = dt.date.today().year - 1


@pytest.fixture
def qualified(make_enterprise):
    """An enterprise built to score exactly on 科技型中小企业 (hand-computed in the tests)."""

    def make(
        name="常州评估科技有限公司",
        jurisdiction="gxq",
        rd=Decimal("300"),
        tech_staff=30,
        class1=1,
        incident=False,
    ):
        enterprise = make_enterprise(
            name, jurisdiction, registered_on=dt.date(2015, 3, 1), hightech_field="先进制造与自动化"
        )
        for year in (LAST_YEAR - 2, LAST_YEAR - 1, LAST_YEAR):
            AnnualFigures.objects.unscoped().create(
                enterprise=enterprise,
                year=year,
                employees=100,
                tech_staff=tech_staff,
                rd_staff=20,
                revenue=Decimal("5000"),
                main_revenue=Decimal("4800"),
                total_income=Decimal("5100"),
                hightech_revenue=Decimal("4000"),
                rd_expense=rd,
                rd_expense_domestic=rd,
                total_cost=Decimal("4200"),
                total_assets=Decimal("6000"),
                total_liabilities=Decimal("2000"),
                net_assets=Decimal("4000"),
                net_profit=Decimal("500"),
            )
        for i in range(class1):
            IntellectualProperty.objects.unscoped().create(
                enterprise=enterprise,
                kind="invention",
                number=f"ZL{enterprise.pk}{i}",
                title="一种控制方法",
            )
        QualificationProfile.objects.unscoped().create(
            enterprise=enterprise,
            resident=True,
            prohibited_industry=False,
            major_incident=incident,
            serious_dishonesty=False,
            has_core_ip=True,
            national_award_top3_5y=False,
            led_standard_5y=False,
            rd_institution_level="none",
        )
        return enterprise

    return make
