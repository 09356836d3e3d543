"""Fixtures of the 创新生态 tests: pipeline stages, carriers, a competition."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def stages(db):
    from xinzhi.attraction.services import stages_ensure_defaults

    return {s.code: s for s in stages_ensure_defaults()}


@pytest.fixture
def centre(users, stages):
    from xinzhi.ecosystem import services

    return services.carrier_create(
        actor=users["admin"],
        data={"name": "上海高校技术转移（常州）中心", "kind": "transfer", "level": "district"},
    )


@pytest.fixture
def incubator(users, jurisdictions):
    from xinzhi.ecosystem import services

    return services.carrier_create(
        actor=users["admin"],
        data={"name": "高新区孵化器", "kind": "incubator", "jurisdiction": jurisdictions["gxq"]},
    )


@pytest.fixture
def competition(users):
    from xinzhi.ecosystem import services

    return services.competition_create(
        actor=users["admin"],
        data={
            "name": "“创业江苏”科技创新大赛",
            "edition": "第十二届",
            "year": dt.date.today().year,
            "level": "provincial",
        },
    )


@pytest.fixture
def push(users, jurisdictions, centre):
    """A project the centre pushes to a 板块 (a new lead there)."""
    from xinzhi.ecosystem import services

    def make(name, jurisdiction="gxq", days_ago=60):
        return services.carrier_push_lead(
            actor=users["admin"],
            carrier=centre,
            pushed_on=dt.date.today() - dt.timedelta(days=days_ago),
            data={"name": name, "jurisdiction": jurisdictions[jurisdiction]},
        )

    return make
