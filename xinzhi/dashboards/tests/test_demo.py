"""The demo reproduces the seeds' figures for 1—9月 2024 and 2023, and its 板块 add up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.dashboards.demo import demo_counts, load_demo, split
from xinzhi.dashboards.selectors import indicator_figures, visible_units

SEPTEMBER = dt.date(2024, 9, 30)


def by_code(figures):
    return {f.code: f for f in figures}


@pytest.fixture
def demo(world, users):
    load_demo(admin=users["admin"], seed=1, today=dt.date(2026, 12, 2))


@pytest.mark.django_db
def test_leader_sees_the_seeds_figures_for_september_2024(demo, users):
    got = by_code(indicator_figures(user=users["leader"], year=2024, through=SEPTEMBER))
    assert {code: got[code].actual for code in got if got[code].actual is not None} == {
        "hnte_applications": Decimal(757),
        "unicorn_titles": Decimal(10),
        "gazelle_titles": Decimal(133),
        "tsme_evaluations": Decimal(1732),
        "attracted_tsme": Decimal(372),
        "project_recognitions": Decimal(203),
        "wukedai_households": Decimal(71),
        "wukedai_amount": Decimal(18999),
        # not typed in for 2024: counted from the world's records
        "tech_projects_attracted": Decimal(2),
        "hnte_net_increase": Decimal(1),
        "tsme_new": Decimal(2),
        "key_project_investment": Decimal("350.5"),
        "reward_paid": Decimal("4.5"),
    }
    attracted = got["attracted_tsme"]
    assert [(t.level, t.value) for t in attracted.targets] == [
        ("city", Decimal(240)),
        ("district", Decimal(360)),
    ]
    assert attracted.source == "manual"
    assert attracted.source_note == "武进区科技局《2024年1—9月科技工作情况通报》"
    assert (attracted.city_ranking.rank, attracted.city_ranking.among) == (1, 6)
    # "申请入库评价科技型中小企业1732家,申报数全市第一"
    assert (
        got["tsme_evaluations"].city_ranking.rank,
        got["tsme_evaluations"].city_ranking.among,
    ) == (
        1,
        6,
    )


@pytest.mark.django_db
def test_the_september_briefing_reads_like_the_seeds_paragraph(demo, users):
    from xinzhi.briefings.services import briefing_generate, templates_load_defaults

    templates_load_defaults()
    briefing = briefing_generate(actor=users["admin"], year=2024, month=9, jurisdiction_id=None)
    assert briefing.paragraphs[0]["text"] == (
        "1—9月，全区申报高企757家，全市第一；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业133家，"
        "均为全市第一；申请入库评价科技型中小企业1732家，申报数全市第一；"
        "招引科技型中小微企业372家（市目标240家），系全市第一；已有203个项目通过区科技项目认定。"
    )


@pytest.mark.django_db
def test_2023_annual_figures(demo, users):
    got = by_code(indicator_figures(user=users["admin"], year=2023, through=dt.date(2023, 12, 31)))
    assert {
        code: got[code].actual
        for code in (
            "tech_projects_attracted",
            "talents_attracted",
            "hnte_net_increase",
            "tsme_new",
        )
    } == {
        "tech_projects_attracted": Decimal(177),
        "talents_attracted": Decimal("3.66"),
        "hnte_net_increase": Decimal(280),
        "tsme_new": Decimal(200),
    }
    assert got["hnte_net_increase"].city_ranking.rank == 2


@pytest.mark.django_db
def test_boards_add_up_to_the_district_every_month(demo, users):
    units = [u for u, _ in visible_units(user=users["admin"]) if u is not None]
    for month in (1, 5, 9, 12):
        through = dt.date(2024, month, 28 if month != 12 else 31)
        through = {1: dt.date(2024, 1, 31), 5: dt.date(2024, 5, 31), 9: SEPTEMBER}.get(
            month, through
        )
        district = by_code(indicator_figures(user=users["admin"], year=2024, through=through))
        parts = [
            by_code(
                indicator_figures(
                    user=users["admin"], year=2024, through=through, jurisdiction_id=u
                )
            )
            for u in units
        ]
        for code in ("hnte_applications", "attracted_tsme", "wukedai_amount"):
            assert sum(p[code].actual for p in parts) == district[code].actual, (code, month)


@pytest.mark.django_db
def test_in_month_typed_figures_of_a_board_never_go_negative(demo, users, jurisdictions):
    for month in range(2, 13):
        through = dt.date(2024, month, 1) + dt.timedelta(days=31)
        through = through.replace(day=1) - dt.timedelta(days=1)
        figures = indicator_figures(user=users["gxq"], year=2024, through=through, cumulative=False)
        typed = [f for f in figures if f.source == "manual" and f.actual is not None]
        assert len(typed) == 8, [f.code for f in typed]
        assert all(f.actual >= 0 for f in typed), month


@pytest.mark.django_db
def test_loading_twice_adds_nothing(demo, users):
    before = demo_counts()
    load_demo(admin=users["admin"], seed=1, today=dt.date(2026, 12, 2))
    assert demo_counts() == before


def test_split_adds_up_by_largest_remainder():
    # 6.38, 2.98, 0.64 → 6, 2, 0 and the two left go to the largest remainders (.98, .64)
    assert split(Decimal(10), [30, 14, 3]) == [Decimal(6), Decimal(3), Decimal(1)]
    assert split(Decimal("3.66"), [1, 1, 1], 2) == [Decimal("1.22")] * 3
