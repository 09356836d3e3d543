"""Each computed indicator against the hand-counted world (tests/conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.dashboards.selectors import indicator_figures

THROUGH = dt.date(2024, 9, 30)

EXPECTED = {
    # code: (district, gxq, xth)
    "hnte_applications": (3, 2, 0),
    "tsme_evaluations": (2, 1, 1),
    "gazelle_titles": (2, 1, 1),
    "unicorn_titles": (2, 1, 1),
    "tsme_new": (2, 2, 0),
    "hnte_net_increase": (1, 0, 1),
    "attracted_tsme": (3, 2, 0),
    "tech_projects_attracted": (2, 1, 1),
    "project_recognitions": (2, 1, 1),
    "wukedai_households": (2, 1, 1),
    "wukedai_amount": (Decimal("350.5"), Decimal("150.5"), Decimal("200")),
}


def actuals(user, jurisdiction_id=None):
    return {
        f.code: f.actual
        for f in indicator_figures(
            user=user, year=2024, through=THROUGH, jurisdiction_id=jurisdiction_id
        )
    }


@pytest.mark.django_db
def test_district_figures_count_every_board(world, users):
    got = actuals(users["admin"])
    assert {code: got[code] for code in EXPECTED} == {
        code: Decimal(v[0]) for code, v in EXPECTED.items()
    }


@pytest.mark.django_db
def test_gxq_figures_count_only_gaoxinqu_records(world, users, jurisdictions):
    """Every indicator's actual for the gxq officer equals the count over 高新区's records,
    and the admin asking for 高新区 gets the same."""
    expected = {code: Decimal(v[1]) for code, v in EXPECTED.items()}
    mine = actuals(users["gxq"])
    assert {code: mine[code] for code in EXPECTED} == expected
    admin_view = actuals(users["admin"], jurisdictions["gxq"].pk)
    assert {code: admin_view[code] for code in EXPECTED} == expected


@pytest.mark.django_db
def test_xth_figures(world, users):
    got = actuals(users["xth"])
    assert {code: got[code] for code in EXPECTED} == {
        code: Decimal(v[2]) for code, v in EXPECTED.items()
    }
