"""Fixtures of the 科技招商 tests: the default stages and a lead factory."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture
def stages(db):
    from xinzhi.attraction.services import stages_ensure_defaults

    return {s.code: s for s in stages_ensure_defaults()}


@pytest.fixture
def make_lead(users, jurisdictions, stages):
    """A lead created through the service, optionally walked forward to `stage`."""
    from xinzhi.attraction import services

    def make(name="超快激光器项目", jurisdiction="gxq", stage="clue", start=None, **data):
        start = start or dt.date.today() - dt.timedelta(days=60)
        actor = users["admin"]
        lead = services.lead_create(
            actor=actor,
            on=start,
            data={"name": name, "jurisdiction": jurisdictions[jurisdiction], **data},
        )
        order = ["clue", "docking", "negotiation", "signed"]
        for i, code in enumerate(order[1 : order.index(stage) + 1], start=1):
            services.lead_move(
                actor=actor, lead=lead, to_stage=stages[code], on=start + dt.timedelta(days=i)
            )
        return lead

    return make
