"""瞪羚, 独角兽, 潜在独角兽, 种子独角兽: hand-computed from policies.md §3–4."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import chk, ev, mk

G = "gazelle-js-2024"


def gazelle(r2021: Any = 1000, r2024: Any = 1728, **over: Any) -> dict[str, Any]:
    fin = {
        2021: {"revenue": r2021, "main_revenue": 900},
        2022: {"revenue": 1200},
        2023: {"revenue": 1500},
        2024: {
            "revenue": r2024,
            "main_revenue": 1000,
            "total_income": r2024,
            "sci_activity_expense": "69.13",
            "hightech_revenue": 1000,
        },
    }
    return mk(fin=fin, **over)


def test_gazelle_revenue_path_cagr_edge() -> None:
    r = ev(gazelle(), G)  # (1728 / 1000)^(1/3) − 1 = 20% exactly; 69.13 > 4% × 1728
    assert r.verdict == "eligible"
    assert chk(r, "growth_path")["actual"] == "营收增长路径"
    assert "year_windows" in r.unconfirmed
    r = ev(gazelle(r2024="1727.99"), G)
    c = chk(r, "growth_path")
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.01"))
    assert r.verdict == "ineligible"


def test_gazelle_intensity_is_strict() -> None:
    d = gazelle()
    d["financials"][-1]["sci_activity_expense"] = "69.12"  # = 4% × 1728 → not > 4%
    c = chk(ev(d, G), "innovation_intensity")
    assert c["status"] == "unmet"
    del d["financials"][-1]["sci_activity_expense"]  # falls back to R&D 60 (< 4%)
    assert chk(ev(d, G), "innovation_intensity")["status"] == "manual_review"


def test_gazelle_registration_window() -> None:
    assert ev(gazelle(registered_on="2011-01-01"), G).verdict == "eligible"  # ≥ Y−13 = 2011
    assert ev(gazelle(registered_on="2010-12-31"), G).verdict == "ineligible"


def test_gazelle_headcount_path() -> None:
    fin = {2021: {"employees": 100}, 2024: {"employees": 220, "sci_activity_expense": 50}}
    d = mk(fin=fin, employees=220)
    d["financials"][2]["employees"] = 200
    r = ev(d, G)  # 220 ≥ 1.3³ × 100 = 219.7
    assert chk(r, "growth_path")["actual"] == "人员增长路径"
    assert r.verdict == "eligible"


@pytest.mark.parametrize(("reg", "status"), [("2015-12-31", "met"), ("2014-01-01", "unmet")])
def test_unicorn_gei_age(reg: str, status: str) -> None:
    d = mk(
        registered_on=reg,
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": 1000,
            "funding.financing_usd_m": 50,
        },
    )
    r = ev(d, "unicorn-gei-2025")
    assert chk(r, "age")["status"] == status
    assert r.verdict == ("eligible" if status == "met" else "ineligible")


def test_unicorn_gei_floors() -> None:
    d = mk(
        registered_on="2020-01-01",
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": "999.99",
            "funding.financing_usd_m": 50,
        },
    )
    c = chk(ev(d, "unicorn-gei-2025"), "valuation")
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.01"))


@pytest.mark.parametrize(
    ("reg", "val", "fin", "verdict"),
    [
        ("2021-06-01", 100, 5, "eligible"),  # age 4 < 5 → young thresholds
        ("2021-06-01", 99, 5, "ineligible"),
        # age 5 is in both "5年之内" (100 / 5) and "5年-9年" (500 / 25): both readings evaluated
        ("2020-06-01", 100, 5, "possible"),  # readings differ → manual review
        ("2020-06-01", 99, 5, "ineligible"),  # unmet either way
        ("2020-06-01", 500, 25, "eligible"),  # met either way
        ("2016-01-01", 500, 25, "eligible"),  # age 9
        ("2015-01-01", 500, 25, "ineligible"),  # age 10
    ],
)
def test_potential_unicorn_gei(reg: str, val: int, fin: int, verdict: str) -> None:
    d = mk(
        registered_on=reg,
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": val,
            "funding.financing_usd_m": fin,
        },
    )
    assert ev(d, "potential-unicorn-gei-2025").verdict == verdict


@pytest.mark.parametrize(
    ("val", "key_tech", "status"),
    [
        ("1000.01", False, "met"),
        ("1000", None, "manual_review"),
        ("1000", False, "unmet"),
        ("700", True, "manual_review"),
        ("699.99", True, "unmet"),
    ],
)
def test_unicorn_js_valuation(val: str, key_tech: bool | None, status: str) -> None:
    d = mk(
        registered_on="2008-01-01",
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": val,
            "honours.key_tech_breakthrough": key_tech,
        },
    )
    assert chk(ev(d, "unicorn-js-2025"), "valuation")["status"] == status


def test_unicorn_js_region_and_year() -> None:
    d = mk(
        registered_on="2007-12-31",
        province="浙江省",
        **{"funding.has_institutional_investment": True, "funding.valuation_usd_m": 2000},
    )
    r = ev(d, "unicorn-js-2025")
    assert chk(r, "established")["status"] == "unmet"
    assert chk(r, "registered_js")["status"] == "unmet"
    assert chk(ev(mk(province="江苏省"), "unicorn-js-2025"), "registered_js")["status"] == "met"


@pytest.mark.parametrize(
    ("reg", "usd", "cny", "status"),
    [
        ("2020-01-01", 50, None, "met"),
        ("2020-01-01", None, 30000, "met"),
        ("2020-01-01", "49.99", "29999", "unmet"),
        ("2019-12-31", 100, None, "unmet"),
        ("2019-12-31", "100.01", None, "met"),
        ("2014-12-31", 900, None, "unmet"),
    ],
)
def test_potential_unicorn_js(reg: str, usd: Any, cny: Any, status: str) -> None:
    d = mk(
        registered_on=reg,
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": usd,
            "funding.valuation_cny_wan": cny,
        },
    )
    assert chk(ev(d, "potential-unicorn-js-2025"), "valuation")["status"] == status


def seed(**over: Any) -> dict[str, Any]:
    fin = {
        2020: {"revenue": 500},
        2021: {"revenue": 1000},
        2022: {"revenue": 1500},
        2023: {
            "revenue": 2197,
            "main_revenue": 2000,
            "total_income": 2197,
            "rd_expense": "65.92",
            "rd_expense_domestic": "65.92",
        },
    }
    kw: dict[str, Any] = {
        "registered_on": "2020-03-01",
        "as_of": "2024-11-30",
        "fin": fin,
        "honours.tech_sme_registered_year": 2024,
    }
    kw.update(over)
    return mk(**kw)


def test_seed_standard_two_edges() -> None:
    r = ev(seed(), "seed-unicorn-cz-2024")  # 2197 = 1.3³ × 1000 ; 65.92 > 3% × 2197 = 65.91
    assert r.verdict == "eligible"
    assert chk(r, "qualifying_standard")["actual"] == "标准二"
    d = seed()
    row = next(r for r in d["financials"] if r["year"] == 2023)
    row["rd_expense"] = row["rd_expense_domestic"] = "65.91"
    assert ev(d, "seed-unicorn-cz-2024").verdict == "ineligible"
    # as_of 2025 shifts the windows: flagged [U]
    r = ev(seed(as_of="2025-05-31"), "seed-unicorn-cz-2024")
    assert chk(r, "qualifying_standard")["confidence"] == "U"


@pytest.mark.parametrize(
    ("reg", "cny", "verdict"),
    [
        ("2019-01-01", 10000, "eligible"),
        ("2019-01-01", 9999, "ineligible"),
        ("2018-12-31", 20000, "ineligible"),
        ("2014-01-01", "20000.01", "eligible"),
        ("2013-12-31", 90000, "ineligible"),
    ],
)
def test_seed_standard_one(reg: str, cny: Any, verdict: str) -> None:
    d = seed(
        registered_on=reg,
        **{"funding.has_institutional_investment": True, "funding.valuation_cny_wan": cny},
    )
    assert ev(d, "seed-unicorn-cz-2024").verdict == verdict


def test_seed_requires_changzhou_and_tech_enterprise() -> None:
    r = ev(seed(city="无锡"), "seed-unicorn-cz-2024")
    assert chk(r, "registered_cz")["status"] == "unmet"
    r = ev(seed(**{"honours.tech_sme_registered_year": None}), "seed-unicorn-cz-2024")
    assert (chk(r, "tech_enterprise")["status"], r.verdict) == ("manual_review", "possible")


def test_quoted_amounts_follow_the_yaml() -> None:
    """Texts quoting a threshold are built from the rule set, so a YAML edit cannot leave the
    engine's wording behind (江苏独角兽 放宽区间 7亿–10亿美元)."""
    from dataclasses import replace

    from xinzhi.eligibility import evaluate, facts_from_dict, load_policies

    from .conftest import base

    pol = load_policies()["unicorn-js-2025"]
    d = base()
    d["funding"] = {"has_institutional_investment": True, "valuation_usd_m": 800}
    d["honours"]["key_tech_breakthrough"] = None
    d["registered_on"] = "2020-01-01"
    f = facts_from_dict(d)
    note = next(c for c in evaluate(f, pol).checks if c["key"] == "valuation")["note"]
    assert note.startswith("估值在7亿–10亿美元之间")
    moved = replace(pol, params={**pol.params, "relaxed_valuation_usd_m": 600})
    note = next(c for c in evaluate(f, moved).checks if c["key"] == "valuation")["note"]
    assert note.startswith("估值在6亿–10亿美元之间")


def test_potential_unicorn_age_five_shows_both_readings() -> None:
    d = mk(
        registered_on="2020-06-01",
        **{
            "funding.has_institutional_investment": True,
            "funding.valuation_usd_m": 100,
            "funding.financing_usd_m": 5,
        },
    )
    c = chk(ev(d, "potential-unicorn-gei-2025"), "valuation")
    assert (c["status"], c["confidence"]) == ("manual_review", "U")
    assert c["readings"] == {
        "engine": "unmet",
        "alternative": "met",
        "alternative_reading": (
            "成立满5年当年同时落入“5年之内”与“5年-9年”：按5年之内（≥1亿美元）〔U〕"
        ),
    }
    assert "两种理解结论不同" in c["note"]


def test_little_giant_2026_self_developed_ip_read_both_ways() -> None:
    base_ip = {"honours.srdi_sme_valid_until": "2027-12-31", "ip.class1": 5}
    both = ev(mk(**base_ip, **{"ip.class1_self_developed": 1}), "little-giant-2026")
    c = chk(both, "class1_ip")
    assert c["status"] == "manual_review"
    assert c["readings"]["engine"] == "unmet" and c["readings"]["alternative"] == "met"
    neither = ev(
        mk(**{**base_ip, "ip.class1": 1}, **{"ip.class1_self_developed": 1}), "little-giant-2026"
    )
    assert chk(neither, "class1_ip")["status"] == "unmet"


def test_srdi_2026_title_prerequisite_read_both_ways() -> None:
    d = mk(**{"honours.innovative_sme_valid_until": "2027-12-31"})
    c = chk(ev(d, "srdi-sme-2026"), "tech_innovative_title")
    assert c["status"] == "manual_review"
    assert (c["readings"]["engine"], c["readings"]["alternative"]) == ("met", "unmet")
    d = mk(**{"honours.tech_innovative_sme_valid_until": "2027-12-31"})
    assert chk(ev(d, "srdi-sme-2026"), "tech_innovative_title")["status"] == "met"


def test_seed_standard_two_for_a_company_founded_after_the_base_year() -> None:
    """Issue 13: founded 2022 (R = 2024, Y = 2023) has no 2020 base: the engine reading says the
    3-year CAGR cannot be met, the alternative computes it over the operated years
    (2022 → 2023: 1 year, ≥ 30 %). Differing readings → manual review with both outcomes;
    agreeing readings decide (no more manual review forever)."""
    fin = {
        2022: {"revenue": 1500},
        2023: {"revenue": 2197, "rd_expense": "65.92", "rd_expense_domestic": "65.92"},
    }
    d = seed(registered_on="2022-03-01", fin=fin)
    d["financials"] = [r for r in d["financials"] if r["year"] >= 2022]
    c = chk(ev(d, "seed-unicorn-cz-2024"), "qualifying_standard")  # 2197 ≥ 1.3 × 1500
    assert (c["status"], c["readings"]["engine"], c["readings"]["alternative"]) == (
        "manual_review",
        "unmet",
        "met",
    )
    slow = seed(registered_on="2022-03-01", fin={**fin, 2022: {"revenue": 1700}})
    slow["financials"] = [r for r in slow["financials"] if r["year"] >= 2022]
    c = chk(ev(slow, "seed-unicorn-cz-2024"), "qualifying_standard")  # 2197 < 1.3 × 1700
    assert (c["status"], c["confidence"]) == ("unmet", "U")
