"""The 项目推进 demo: the seeds' projects with their stated facts, clean; synthetic warnings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from xinzhi.projects.delays import with_signal
from xinzhi.projects.models import FundedProject, KeyProject, Milestone

pytestmark = pytest.mark.django_db


def test_the_demo_tells_the_seeds_projects_and_shows_warnings(db):
    from xinzhi.demo.services import demo_load
    from xinzhi.demo.story import SEED_NAMED

    today = timezone.localdate()
    first = demo_load(synthetic=80)
    projects = with_signal(KeyProject.objects.unscoped().select_related("jurisdiction"))
    xinmin = projects.get(name="智能电网GIS组合式电力设备项目")
    assert (xinmin.jurisdiction.name, xinmin.total_investment, xinmin.land_area) == (
        "牛塘镇",
        Decimal("12000.00"),
        Decimal("15.00"),
    )
    dates = dict(
        Milestone.all_objects.filter(project=xinmin).values_list("kind__code", "actual_on")
    )
    assert dates["topping"] is not None and dates["completion"] is None
    planned = Milestone.all_objects.get(project=xinmin, kind__code="completion").planned_on
    assert (planned.month, planned.day) == (8, 31) and planned > today
    assert xinmin.status == "building"
    assert projects.get(name="高端精密滚珠丝杠、直线导轨和电动缸项目").total_investment == Decimal(
        "500000.00"
    )
    yichuang = projects.get(name="屹创新型储能项目")
    assert Milestone.all_objects.get(project=yichuang, kind__code="start").actual_on < today
    assert projects.get(name="全钒液流储能电池智造基地").status == "operating"
    lens = FundedProject.objects.unscoped().get(name="新型无掩膜直写微米光刻系统关键技术研发")
    assert (lens.level, lens.year, lens.stage) == ("municipal", 2023, "midterm")
    assert lens.programme == "常州市重点研发计划（产业前瞻与关键核心技术）"
    # The seeds' companies are on schedule with their reports filed.
    named = projects.filter(enterprise__name__in=SEED_NAMED)
    assert {p.signal for p in named} == {"green"}
    assert projects.get(name="屹创新型储能项目").signal == "green"
    signals = [p.signal for p in projects]
    assert len(signals) >= 60
    assert signals.count("red") >= 5 and signals.count("amber") >= 3
    assert FundedProject.objects.unscoped().filter(stage="accepted").exists()
    # Idempotent: a second run adds nothing.
    second = demo_load(synthetic=80)
    assert {k: second[k] for k in ("区重点项目", "项目月报", "科技计划项目")} == {
        k: first[k] for k in ("区重点项目", "项目月报", "科技计划项目")
    }
    assert first["区重点项目"] == KeyProject.objects.unscoped().count()
