"""Fixtures of the 项目推进 tests: the default project types and project factories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

TODAY = dt.date(2025, 6, 10)  # after the 5th: May's report is due, April's long overdue


@pytest.fixture
def types(db):
    from xinzhi.projects.services import types_ensure_defaults

    return {t.code: t for t in types_ensure_defaults()}


@pytest.fixture
def make_project(users, jurisdictions, types):
    """A key project through the service; `planned` by milestone code."""
    from xinzhi.projects import services

    def make(name="智能电网GIS组合式电力设备项目", jurisdiction="gxq", planned=None, **data):
        values = {
            "name": name,
            "project_type": types["industrial"],
            "owner_name": "江苏新民电力设备有限公司",
            "jurisdiction": jurisdictions[jurisdiction],
            "year": 2025,
            "total_investment": Decimal("12000"),
            "reports_from": dt.date(2025, 1, 1),
            **data,
        }
        return services.key_project_create(actor=users["admin"], data=values, planned=planned)

    return make


@pytest.fixture
def make_funded(users, make_enterprise):
    from xinzhi.projects import services

    def make(name="新型无掩膜直写微米光刻系统关键技术研发", jurisdiction="gxq", **data):
        enterprise = data.pop("enterprise", None) or make_enterprise(
            "领先光学技术（江苏）有限公司", jurisdiction
        )
        values = {
            "name": name,
            "level": "municipal",
            "programme": "常州市重点研发计划（产业前瞻与关键核心技术）",
            "year": 2023,
            "enterprise": enterprise,
            "budget_total": Decimal("500"),
            "funding_grant": Decimal("100"),
            "funding_self": Decimal("400"),
            "starts_on": dt.date(2023, 7, 1),
            "ends_on": dt.date(2025, 12, 31),
            "approved_on": dt.date(2023, 6, 20),
            **data,
        }
        return services.funded_create(actor=users["admin"], data=values)

    return make
