"""indicator_figures: typed-in values, targets, progress, city rankings and scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xinzhi.dashboards import services
from xinzhi.dashboards.models import Indicator
from xinzhi.dashboards.selectors import (
    indicator_choices,
    indicator_figures,
    section_comparison,
    visible_units,
)

THROUGH = dt.date(2024, 9, 30)


def one(user, code, **kwargs):
    options = {"year": 2024, "through": THROUGH} | kwargs
    (figure,) = indicator_figures(user=user, codes=[code], **options)
    return figure


def typed(admin, code, month, value, jurisdiction=None, year=2024, note="区统计通报"):
    services.manual_value_save(
        actor=admin,
        data={
            "indicator": Indicator.objects.get(code=code),
            "year": year,
            "month": month,
            "jurisdiction": jurisdiction,
            "value": Decimal(value),
            "source_note": note,
        },
    )


@pytest.mark.django_db
def test_manual_indicator_reads_the_typed_value_and_its_source(world, users):
    typed(users["admin"], "talents_attracted", 12, "3.66", year=2023, note="区人才办年度统计")
    figure = one(users["leader"], "talents_attracted", year=2023, through=dt.date(2023, 12, 31))
    assert (figure.actual, figure.source, figure.source_note, figure.period.label) == (
        Decimal("3.66"),
        "manual",
        "区人才办年度统计",
        "全年",
    )


@pytest.mark.django_db
def test_typed_value_replaces_the_count_for_its_unit_and_month_only(world, users, jurisdictions):
    admin = users["admin"]
    typed(admin, "attracted_tsme", 9, "372")
    assert (one(admin, "attracted_tsme").actual, one(admin, "attracted_tsme").source) == (
        Decimal(372),
        "manual",
    )
    # 高新区 has no typed value: its records are counted.
    gxq = one(admin, "attracted_tsme", jurisdiction_id=jurisdictions["gxq"].pk)
    assert (gxq.actual, gxq.source) == (Decimal(2), "computed")
    # August has no typed value: the district's records are counted.
    august = one(admin, "attracted_tsme", through=dt.date(2024, 8, 31))
    assert (august.actual, august.source) == (Decimal(2), "computed")


@pytest.mark.django_db
def test_in_month_typed_value_is_the_difference_of_two_cumulative_months(world, users):
    admin = users["admin"]
    typed(admin, "talents_attracted", 8, "3.0")
    typed(admin, "talents_attracted", 9, "3.25")
    assert one(admin, "talents_attracted", cumulative=False).actual == Decimal("0.25")
    assert one(admin, "talents_attracted", cumulative=True).actual == Decimal("3.25")


@pytest.mark.django_db
def test_mid_month_through_reads_the_last_complete_month(world, users):
    admin = users["admin"]
    typed(admin, "talents_attracted", 8, "3.0")
    figure = one(admin, "talents_attracted", through=dt.date(2024, 9, 15))
    assert figure.actual == Decimal("3.0")
    assert figure.period.elapsed == Decimal("0.7077")  # 259 / 366


@pytest.mark.django_db
def test_progress_is_against_the_district_target_and_schedule_against_elapsed(world, users):
    admin = users["admin"]
    gazelle = Indicator.objects.get(code="gazelle_titles")
    for level, value in (("city", 2), ("district", 3)):
        services.target_save(
            actor=admin,
            data={"indicator": gazelle, "year": 2024, "level": level, "value": Decimal(value)},
        )
    figure = one(admin, "gazelle_titles")
    assert [(t.level, t.level_label, t.progress) for t in figure.targets] == [
        ("city", "市目标", Decimal("1.0000")),
        ("district", "区目标", Decimal("0.6667")),
    ]
    assert (figure.progress, figure.period.elapsed, figure.schedule) == (
        Decimal("0.6667"),
        Decimal("0.7500"),
        "behind",
    )


@pytest.mark.django_db
def test_city_ranking_only_for_the_district_and_its_month(world, users, jurisdictions):
    admin = users["admin"]
    services.city_ranking_save(
        actor=admin,
        data={
            "indicator": Indicator.objects.get(code="hnte_applications"),
            "year": 2024,
            "month": 9,
            "rank": 1,
            "among": 7,
            "source": "常州市科技局通报",
        },
    )
    ranking = one(admin, "hnte_applications").city_ranking
    assert (ranking.rank, ranking.among, ranking.source) == (1, 7, "常州市科技局通报")
    assert one(admin, "hnte_applications", through=dt.date(2024, 8, 31)).city_ranking is None
    gxq = one(admin, "hnte_applications", jurisdiction_id=jurisdictions["gxq"].pk)
    assert gxq.city_ranking is None


@pytest.mark.django_db
def test_units_by_role(world, users, jurisdictions):
    assert visible_units(user=users["leader"])[:2] == [
        (None, "常州市武进区"),
        (jurisdictions["gxq"].pk, "武进国家高新区"),
    ]
    assert [u[0] for u in visible_units(user=users["admin"])] == [
        None,
        jurisdictions["gxq"].pk,
        jurisdictions["xth"].pk,
        jurisdictions["htz"].pk,
    ]
    assert visible_units(user=users["gxq"]) == [(jurisdictions["gxq"].pk, "武进国家高新区")]
    assert visible_units(user=users["expert"]) == []


@pytest.mark.django_db
def test_scope_refusals(world, users, jurisdictions):
    with pytest.raises(Http404):
        indicator_figures(
            user=users["gxq"], year=2024, through=THROUGH, jurisdiction_id=jurisdictions["xth"].pk
        )
    with pytest.raises(Http404):
        indicator_figures(
            user=users["gxq"], year=2024, through=THROUGH, jurisdiction_id=jurisdictions["htkjy"].pk
        )
    with pytest.raises(PermissionDenied):
        indicator_figures(user=users["expert"], year=2024, through=THROUGH)
    with pytest.raises(PermissionDenied):
        section_comparison(user=users["gxq"], year=2024, through=THROUGH)


@pytest.mark.django_db
def test_indicator_choices_are_the_active_library_in_order(db):
    services.indicators_ensure_defaults()
    Indicator.objects.filter(code="reward_paid").update(is_active=False)
    choices = indicator_choices()
    assert choices[:2] == [
        ("hnte_applications", "申报高企数"),
        ("unicorn_titles", "获评独角兽（潜在独角兽）企业数"),
    ]
    assert ("reward_paid", "政策兑现拨付金额") not in choices
    assert len(choices) == 13


@pytest.mark.django_db
def test_every_change_is_audited(world, users):
    from xinzhi.core.models import AuditEvent

    typed(users["admin"], "talents_attracted", 12, "3.66", year=2023)
    event = AuditEvent.objects.unscoped().get(object_type="dashboards.manualvalue")
    assert (event.action, event.actor, event.changes["value"]["after"]) == (
        "create",
        users["admin"],
        "3.66",
    )


def test_the_migration_writes_the_default_library():
    import importlib

    migration = importlib.import_module("xinzhi.dashboards.migrations.0002_default_indicators")
    assert migration.DEFAULT_INDICATORS == services.DEFAULT_INDICATORS


@pytest.mark.django_db
def test_ensure_defaults_restores_a_flushed_library(db):
    Indicator.objects.all().delete()
    assert services.indicators_ensure_defaults() == 14
    assert services.indicators_ensure_defaults() == 0


@pytest.mark.django_db
def test_comparison_counts_each_board_as_its_own_figures_do(world, users, jurisdictions):
    """各板块比较 counts every 板块 in one grouped query per indicator; the figures must be the
    ones the 板块's own cockpit shows (湖塘镇 includes its 湖塘科技产业园)."""
    typed(users["admin"], "talents_attracted", 9, "0.5", jurisdiction=jurisdictions["xth"])
    rows = section_comparison(user=users["leader"], year=2024, through=THROUGH)
    for unit in ("gxq", "xth", "htz"):
        unit_id = jurisdictions[unit].pk
        own = {
            f.code: (f.actual, f.source)
            for f in indicator_figures(
                user=users["admin"], year=2024, through=THROUGH, jurisdiction_id=unit_id
            )
        }
        compared = {
            row["indicator"].code: (cell["figure"].actual, cell["figure"].source)
            for row in rows
            for cell in row["cells"]
            if cell["figure"].jurisdiction_id == unit_id
        }
        assert compared == own, unit
    assert own["hnte_applications"] == (Decimal(1), "computed")  # 湖塘: F in 湖塘科技产业园
