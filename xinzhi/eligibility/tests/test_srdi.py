"""创新型 / 专精特新 / 小巨人 (2022 and 2026): hand-computed from policies.md §5."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from .conftest import chk, ev, mk, pts


def test_innovative_base_scores() -> None:
    r = ev(mk(), "innovative-sme-2022")
    # ip self-developed Ⅰ类 15 ; rd 6% 20 ; main growth 0% → 5 ; debt 40% → 10 ;
    # product field unknown 5–10 ; main share 90% → 20
    assert [
        pts(r, k)
        for k in (
            "ip",
            "rd_ratio",
            "main_revenue_growth",
            "debt_ratio",
            "product_field",
            "main_business_share",
        )
    ] == [(15, 15), (20, 20), (5, 5), (10, 10), (5, 10), (20, 20)]
    assert r.score == {"min": 75, "max": 80, "pass": 60}
    assert chk(r, "group_growth")["status"] == "met"  # exactly 15
    assert (r.verdict, r.route) == ("eligible", "score")
    assert set(r.unconfirmed) == {"sme", "compliance"}


def test_innovative_group_minimum_fails() -> None:
    r = ev(mk(fin={2024: {"main_revenue": "899.99"}}), "innovative-sme-2022")
    assert pts(r, "main_revenue_growth") == (0, 0)
    c = chk(r, "group_growth")
    assert (c["status"], c["gap"]) == ("unmet", 5)
    assert chk(r, "score_pass")["status"] == "met"
    assert r.verdict == "ineligible"


@pytest.mark.parametrize(
    ("liab", "points", "confidence"),
    [
        # exactly 55 % / 75 %: better tier (engine) or worse tier (alternative) → a range, [U]
        ("1100", (5, 10), "U"),
        ("1099.99", (10, 10), "C"),
        ("1100.01", (5, 5), "C"),
        ("1500", (0, 5), "U"),
        ("1500.01", (0, 0), "C"),
    ],
)
def test_innovative_debt_ratio_edges(liab: str, points: tuple[int, int], confidence: str) -> None:
    r = ev(mk(fin={2024: {"total_liabilities": liab}}), "innovative-sme-2022")
    assert pts(r, "debt_ratio") == points
    assert next(i for i in r.indicators if i["key"] == "debt_ratio")["confidence"] == confidence


@pytest.mark.parametrize(
    ("eq", "route", "verdict"),
    [
        ({2022: 200, 2023: 200, 2024: 100}, "direct", "eligible"),  # exactly 500
        ({2022: 200, 2023: 200, 2024: "99.99"}, "score", "ineligible"),
        ({2021: 400, 2022: 0, 2023: 0, 2024: 0}, "score", "ineligible"),  # outside 3 years
    ],
)
def test_innovative_direct_equity(eq: dict[int, Any], route: str, verdict: str) -> None:
    fin: dict[int, dict[str, Any]] = {y: {"equity_financing": v} for y, v in eq.items()}
    fin.setdefault(2024, {})["main_revenue"] = "899.99"  # score route fails its growth group
    r = ev(mk(fin=fin), "innovative-sme-2022")
    assert (r.route, r.verdict) == (route, verdict)


@pytest.mark.parametrize(
    ("ip", "points"),
    [
        ({"ip.class1_high_value": 1}, (20, 20)),
        ({"ip.class1_self_developed": 0}, (10, 10)),
        ({"ip.class1": 0, "ip.class1_self_developed": 0}, (5, 5)),
        ({"ip.class1": 0, "ip.class1_self_developed": 0, "ip.class2": 0}, (0, 0)),
        (
            {"ip.class1": None, "ip.class1_self_developed": None, "ip.class1_high_value": None},
            (5, 20),
        ),
    ],
)
def test_innovative_ip_tiers(ip: dict[str, Any], points: tuple[int, int]) -> None:
    assert pts(ev(mk(**ip), "innovative-sme-2022"), "ip") == points


def srdi(**over: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "honours.innovative_sme_valid_until": "2026-12-31",
        "srdi.niche_years": 4,
        "srdi.product_field": "short_board",
        "srdi.digital_level": 3,
        "srdi.quality_items": 2,
        "srdi.local_feature_score": 10,
        "rd_institution_level": "municipal",
        "fin": {y: {"rd_expense": 100, "rd_expense_domestic": 100} for y in (2023, 2024)},
    }
    kw.update(over)
    return mk(**kw)


def test_srdi_2022_scores_13_indicators() -> None:
    r = ev(srdi(), "srdi-sme-2022")
    expect = {
        "main_share": 5,
        "main_growth_2y": 2,
        "niche_years_score": 2,
        "product_field": 5,
        "digital_level": 5,
        "quality_mgmt": 5,
        "net_margin": 10,
        "debt_ratio": 5,
        "local_feature": 10,
        "ip": 8,
        "rd_spend": 10,
        "rd_staff_ratio": 5,
        "rd_institution": 4,
    }
    assert {i["key"]: i["points"]["min"] for i in r.indicators} == expect
    assert r.score == {"min": 76, "max": 76, "pass": 60}
    assert r.verdict == "eligible"
    assert "main_growth_2y" in r.unconfirmed


def test_srdi_2022_gates_and_gaps() -> None:
    c = chk(
        ev(srdi(fin={2024: {"rd_expense": "99.99", "rd_expense_domestic": 0}}), "srdi-sme-2022"),
        "rd_amount",
    )
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.01"))
    assert c["note"] == "研发费用还需增加0.01万元"
    c = chk(
        ev(
            srdi(
                fin={
                    2024: {
                        "revenue": 3400,
                        "main_revenue": 3000,
                        "rd_expense": 100,
                        "rd_expense_domestic": 100,
                        "hightech_revenue": 100,
                        "total_income": 3400,
                    }
                }
            ),
            "srdi-sme-2022",
        ),
        "rd_ratio",
    )
    assert (c["status"], c["gap"]) == ("unmet", 2)  # 3% × 3400 − 100
    assert (
        chk(
            ev(srdi(**{"honours.innovative_sme_valid_until": None}), "srdi-sme-2022"),
            "innovative_sme_title",
        )["status"]
        == "unmet"
    )
    assert (
        chk(ev(srdi(**{"srdi.niche_years": 1}), "srdi-sme-2022"), "niche_years")["status"]
        == "unmet"
    )


@pytest.mark.parametrize(
    ("rev", "eq", "status"),
    [("1000", 0, "met"), ("999.99", 2000, "met"), ("999.99", "1999.99", "unmet")],
)
def test_srdi_2022_scale_alternatives(rev: str, eq: Any, status: str) -> None:
    d = srdi(
        fin={
            2024: {
                "revenue": rev,
                "main_revenue": 900,
                "total_income": rev,
                "rd_expense": 100,
                "rd_expense_domestic": 100,
                "equity_financing": eq,
            }
        }
    )
    assert chk(ev(d, "srdi-sme-2022"), "scale")["status"] == status


def test_srdi_2022_direct_rd_average() -> None:
    d = srdi(
        **{
            "srdi.local_feature_score": 0,
            "srdi.digital_level": 1,
            "srdi.quality_items": 0,
            "srdi.product_field": "other",
            "srdi.niche_years": 2,
        },
        fin={
            2023: {
                "rd_expense": 1000,
                "rd_expense_domestic": 1000,
                "revenue": 20000,
                "main_revenue": 9000,
                "total_income": 20000,
            },
            2024: {
                "rd_expense": 1000,
                "rd_expense_domestic": 1000,
                "revenue": 20000,
                "main_revenue": 9000,
                "total_income": 20000,
                "net_profit": 0,
                "total_liabilities": 1900,
            },
        },
    )
    r = ev(d, "srdi-sme-2022")
    assert r.score is not None and r.score["max"] < 60
    assert (r.route, r.verdict) == ("direct", "eligible")
    assert chk(r, "direct_rd_avg")["status"] == "met"


def test_srdi_2026_market_position_always_reviewed() -> None:
    d = srdi(
        **{
            "honours.tech_innovative_sme_valid_until": "2027-01-01",
            "srdi.niche_years": 3,
            "srdi.dev_score": 50,
        },
        fin={
            2023: {"rd_expense": 100, "rd_expense_domestic": 100},
            2024: {
                "revenue": 1500,
                "main_revenue": 1200,
                "total_income": 1500,
                "rd_expense": 100,
                "rd_expense_domestic": 100,
            },
        },
    )
    r = ev(d, "srdi-sme-2026")
    assert [c["key"] for c in r.failing_checks] == ["market_position"]
    assert r.verdict == "possible"
    assert r.score is None and r.route is None
    assert r.to_dict()["effective_from"] == "2026-04-01"
    r = ev(dict(d, srdi={**d["srdi"], "dev_score": 49}), "srdi-sme-2026")
    assert chk(r, "dev_score")["gap"] == 1
    assert r.verdict == "ineligible"


def test_srdi_2026_rd_each_year_gap() -> None:
    r = ev(
        srdi(
            fin={
                2023: {"rd_expense": 90, "rd_expense_domestic": 90},
                2024: {"rd_expense": 95, "rd_expense_domestic": 95},
            }
        ),
        "srdi-sme-2026",
    )
    c = chk(r, "rd_amount_2y")
    assert (c["status"], c["gap"]) == ("unmet", 15)
    c = chk(r, "main_share")  # 900 / 1000 = 90% ≥ 80%
    assert c["status"] == "met"


def giant(**over: Any) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "honours.srdi_sme_valid_until": "2027-01-01",
        "srdi.niche_years": 5,
        "srdi.info_system": True,
        "srdi.mgmt_certification": True,
        "srdi.market_share": "0.10",
        "srdi.own_brand": True,
        "rd_institution_level": "municipal",
        "ip.class1": 2,
        "ip.class1_self_developed": 2,
        "fin": {
            2022: {"main_revenue": 800},
            2023: {"main_revenue": 850},
            2024: {"main_revenue": 900},
        },
    }
    kw.update(over)
    return mk(**kw)


def test_little_giant_2022_small_firm_route() -> None:
    r = ev(giant(), "little-giant-2022")
    # revenue 1000 < 5000: needs equity ≥ 8000 over 2 years etc. → unmet
    assert chk(r, "rd_intensity_2y")["status"] == "unmet"
    assert chk(r, "main_growth_2y")["status"] == "met"  # ½(850/800 + 900/850) − 1 ≥ 5%
    assert r.verdict == "ineligible"
    r = ev(giant(**{"honours.national_award_top3_3y": True}), "little-giant-2022")
    assert r.route == "direct"
    assert r.verdict == "possible"  # chain role and product field need manual review
    assert [c["key"] for c in r.failing_checks] == ["chain_key_link", "product_field"]


@pytest.mark.parametrize(
    ("rev", "rd", "status", "gap"),
    [
        ("10000", "300", "met", None),
        ("10000", "299.99", "unmet", Decimal("0.02")),  # 0.01 short in each year
        # 5000–1亿 → 6% each year: 2 × (0.06 × 9999.99 − 300) = 599.9988 → 600 (rounded up)
        ("9999.99", "300", "unmet", Decimal(600)),
    ],
)
def test_little_giant_2022_rd_tiers(rev: str, rd: str, status: str, gap: Decimal | None) -> None:
    fin = {
        y: {
            "revenue": rev,
            "main_revenue": 9000,
            "total_income": rev,
            "rd_expense": rd,
            "rd_expense_domestic": rd,
        }
        for y in (2023, 2024)
    }
    fin[2022] = {"revenue": 9000, "main_revenue": 8000}
    c = chk(ev(giant(fin=fin), "little-giant-2022"), "rd_intensity_2y")
    assert (c["status"], c["gap"]) == (status, gap)


@pytest.mark.parametrize(
    ("r2024", "status", "gap"), [("11025", "met", None), ("11024.99", "unmet", Decimal("0.01"))]
)
def test_little_giant_2026_revenue_cagr(r2024: str, status: str, gap: Decimal | None) -> None:
    # 2023 on the geometric path (10500): CAGR and the mean of annual rates agree
    fin = {
        2022: {"revenue": 10000, "main_revenue": 9500},
        2023: {"revenue": 10500, "main_revenue": 9800},
        2024: {"revenue": r2024, "main_revenue": 10000},
    }
    c = chk(ev(giant(fin=fin), "little-giant-2026"), "revenue_cagr_2y")
    assert (c["status"], c["gap"], c["confidence"]) == (status, gap, "U")


def test_little_giant_2026_growth_readings_differ() -> None:
    # 10000 → 8000 → 11000: CAGR 4.9 % (unmet) but mean of rates ½(−20 % + 37.5 %) = 8.75 % (met)
    fin = {
        2022: {"revenue": 10000, "main_revenue": 9500},
        2023: {"revenue": 8000, "main_revenue": 7800},
        2024: {"revenue": 11000, "main_revenue": 10000},
    }
    c = chk(ev(giant(fin=fin), "little-giant-2026"), "revenue_cagr_2y")
    assert c["status"] == "manual_review"
    assert (c["readings"]["engine"], c["readings"]["alternative"]) == ("unmet", "met")


def test_little_giant_2026_ip_and_market() -> None:
    r = ev(giant(**{"ip.class1": 3, "ip.class1_self_developed": 3}), "little-giant-2026")
    c = chk(r, "class1_ip")
    assert (c["status"], c["gap"]) == ("unmet", 1)
    # 4 Ⅰ类 of which 3 自主研发: the two readings of "自主研发" differ → manual review
    r = ev(giant(**{"ip.class1": 4, "ip.class1_self_developed": 3}), "little-giant-2026")
    assert chk(r, "class1_ip")["status"] == "manual_review"
    r = ev(
        giant(
            **{
                "ip.class1_self_developed": 0,
                "honours.national_award_top3_3y": True,
                "srdi.market_share": "0.05",
                "srdi.market_rank": 3,
            }
        ),
        "little-giant-2026",
    )
    assert chk(r, "class1_ip")["status"] == "met"
    assert chk(r, "market_share")["status"] == "met"


def test_main_share_gap_counts_the_new_main_revenue_in_the_total() -> None:
    """Issue 13: (t·rev − main)/(1 − t), not t·rev − main (~5× understated at t = 80 %).
    2026 专精特新: revenue 2000, main 1500 → (0.8 × 2000 − 1500)/0.2 = 500 (old formula: 100)."""
    from xinzhi.eligibility import facts_from_dict, what_if

    d = mk(
        fin={2024: {"revenue": 2000, "main_revenue": 1500}},
        **{"honours.tech_innovative_sme_valid_until": "2027-12-31"},
    )
    pol = "srdi-sme-2026"
    c = chk(ev(d, pol), "main_share")
    assert (c["status"], c["gap"]) == ("unmet", 500)
    assert "x = (80%×营业收入 − 主营)/(1 − 80%)" in c["note"]
    change = [
        {"path": "financials[2024].main_revenue", "delta": 500},
        {"path": "financials[2024].revenue", "delta": 500},
    ]
    f = facts_from_dict(d)
    assert chk(what_if(f, pol, change)[1], "main_share")["status"] == "met"
    short = [{**ch, "delta": Decimal("499.99")} for ch in change]
    assert chk(what_if(f, pol, short)[1], "main_share")["status"] == "unmet"
