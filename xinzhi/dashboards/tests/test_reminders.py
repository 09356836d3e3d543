"""The 工作台 line: key indicators behind 序时进度, for the district's admins and leaders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.dashboards import services
from xinzhi.dashboards.models import Indicator
from xinzhi.dashboards.reminders import indicator_items

TODAY = dt.date(2024, 9, 30)


@pytest.fixture
def targets(world, users):
    for code, value in (("attracted_tsme", 10), ("gazelle_titles", 2)):
        services.target_save(
            actor=users["admin"],
            data={
                "indicator": Indicator.objects.get(code=code),
                "year": 2024,
                "level": "district",
                "value": Decimal(value),
            },
        )


@pytest.mark.django_db
def test_behind_indicators_reach_admin_and_leader_only(targets, users):
    items = indicator_items(today=TODAY)
    assert sorted((i.recipient_id, i.title, i.key) for i in items) == sorted(
        (
            users[name].pk,
            "招引科技型中小微企业数落后序时进度：1—9月完成30.0%，序时进度75.0%",
            "indicator:attracted_tsme:202409",
        )
        for name in ("admin", "leader")
    )
    assert items[0].url == "/dashboards/?year=2024&month=9"


@pytest.mark.django_db
def test_workbench_of_each_role(targets, users):
    from xinzhi.notifications.services import todo_for

    leader_lines = [line.title for line in todo_for(user=users["leader"], today=TODAY)]
    assert "招引科技型中小微企业数落后序时进度：1—9月完成30.0%，序时进度75.0%" in leader_lines
    for name in ("gxq", "expert"):
        assert indicator_items(today=TODAY, user=users[name]) == []
