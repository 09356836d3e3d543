"""A small world for the briefing: typed-in district figures as the seeds report them, one
computed indicator (瞪羚, from titles held in 高新区), a city target and city rankings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

BULLETIN = "常州市科技局《2024年1—9月科技创新主要指标通报》"


def typed(code: str, value: str, *, month: int = 9, jurisdiction=None) -> None:
    from xinzhi.dashboards.models import Indicator, ManualValue

    ManualValue.objects.unscoped().create(
        indicator=Indicator.objects.get(code=code),
        year=2024,
        month=month,
        jurisdiction=jurisdiction,
        value=Decimal(value),
        source_note="区统计月报",
    )


def ranked(code: str, rank: int = 1) -> None:
    from xinzhi.dashboards.models import CityRanking, Indicator

    CityRanking.objects.create(
        indicator=Indicator.objects.get(code=code),
        year=2024,
        month=9,
        rank=rank,
        among=7,
        source=BULLETIN,
    )


def gazelle(enterprise, on: dt.date = dt.date(2024, 6, 1)) -> None:
    from xinzhi.enterprises.models import TitleHeld

    TitleHeld.objects.unscoped().create(enterprise=enterprise, title="gazelle", valid_from=on)


@pytest.fixture
def shipped_data(db):
    """The indicator library and sentence templates the migrations install (a transactional
    test that ran before may have flushed them)."""
    import importlib

    from django.apps import apps

    from xinzhi.briefings.services import templates_load_defaults
    from xinzhi.dashboards.models import Indicator

    if not Indicator.objects.exists():
        migration = importlib.import_module("xinzhi.dashboards.migrations.0002_default_indicators")
        migration.create(apps, None)
    templates_load_defaults()


@pytest.fixture
def world(shipped_data, users, jurisdictions, make_enterprise):
    from xinzhi.dashboards.models import Indicator, Target

    for code, value in (
        ("hnte_applications", "757"),
        ("unicorn_titles", "10"),
        ("tsme_evaluations", "1732"),
        ("attracted_tsme", "372"),
        ("project_recognitions", "203"),
        ("wukedai_households", "71"),
        ("wukedai_amount", "18999"),
    ):
        typed(code, value)
    typed("attracted_tsme", "120", jurisdiction=jurisdictions["gxq"])
    for code in ("hnte_applications", "unicorn_titles", "gazelle_titles", "tsme_evaluations"):
        ranked(code)
    ranked("attracted_tsme")
    Target.objects.unscoped().create(
        indicator=Indicator.objects.get(code="attracted_tsme"),
        year=2024,
        jurisdiction=None,
        level="city",
        value=Decimal(240),
    )
    firms = [make_enterprise(f"瞪羚{i}科技有限公司", "gxq") for i in range(2)]
    for firm in firms:
        gazelle(firm)
    return {"jurisdictions": jurisdictions, "users": users, "firms": firms}
