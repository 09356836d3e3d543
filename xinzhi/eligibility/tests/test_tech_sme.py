"""科技型中小企业 (国科发政〔2017〕115号): hand-computed from policies.md §1."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .conftest import chk, ev, ind, mk, pts

P = "tech-sme-2017"


def test_base_scores_100_and_is_eligible() -> None:
    r = ev(mk(), P)
    assert (r.verdict, r.route, r.score) == (
        "eligible",
        "score",
        {"min": 100, "max": 100, "pass": 60},
    )
    assert [c["key"] for c in r.checks] == [
        "resident",
        "employees_cap",
        "revenue_cap",
        "assets_cap",
        "industry_allowed",
        "integrity",
        "score_pass",
        "tech_staff_nonzero",
    ]
    assert chk(r, "employees_cap")["label"] == "职工总数≤500"
    assert r.unconfirmed == []
    assert r.to_dict()["effective_from"] == "2017-05-03"


@pytest.mark.parametrize(
    ("ts", "points"),
    [
        (30, 20),
        (29, 16),
        (25, 16),
        (24, 12),
        (20, 12),
        (19, 8),
        (15, 8),
        (14, 4),
        (10, 4),
        (9, 0),
        (0, 0),
    ],
)
def test_tech_staff_bands_inclusive_lower_bounds(ts: int, points: int) -> None:
    r = ev(mk(tech_staff=ts), P)
    assert pts(r, "tech_staff") == (points, points)


@pytest.mark.parametrize(
    ("rd", "points"),
    [
        ("60", 50),
        ("59.99", 40),
        ("50", 40),
        ("40", 30),
        ("39.9999", 20),
        ("30", 20),
        ("20", 10),
        ("19.99", 0),
        ("0", 0),
    ],
)
def test_rd_sales_bands(rd: str, points: int) -> None:
    r = ev(mk(fin={2024: {"rd_expense": rd, "rd_expense_domestic": rd, "total_cost": 100000}}), P)
    assert pts(r, "rd_input") == (points, points)
    assert ind(r, "rd_input")["label"] == "研发投入（研发费用/销售收入）"


def test_rd_cost_basis_chosen_when_better() -> None:
    # 300 / 10000 = 3% of sales → 20 ; 300 / 1000 = 30% of cost → 50
    r = ev(
        mk(
            fin={
                2024: {
                    "revenue": 10000,
                    "main_revenue": 9000,
                    "rd_expense": 300,
                    "rd_expense_domestic": 300,
                    "total_cost": 1000,
                }
            }
        ),
        P,
    )
    assert pts(r, "rd_input") == (50, 50)
    assert ind(r, "rd_input")["label"] == "研发投入（研发费用/成本费用总额）"
    assert ind(r, "rd_input")["actual"] == Decimal("0.3")


@pytest.mark.parametrize(
    ("c1", "c2", "points"),
    [(1, 0, 30), (0, 5, 24), (0, 4, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)],
)
def test_sci_results(c1: int, c2: int, points: int) -> None:
    r = ev(mk(**{"ip.class1": c1, "ip.class1_self_developed": c1, "ip.class2": c2}), P)
    assert pts(r, "sci_results") == (points, points)


def test_employees_cap_edge_and_gap() -> None:
    assert chk(ev(mk(employees=500), P), "employees_cap")["status"] == "met"
    c = chk(ev(mk(employees=501), P), "employees_cap")
    assert (c["status"], c["gap"], c["note"]) == ("unmet", 1, "职工总数超出上限1人")


def test_revenue_and_assets_caps() -> None:
    assert chk(ev(mk(fin={2024: {"revenue": 20000}}), P), "revenue_cap")["status"] == "met"
    r = ev(mk(fin={2024: {"revenue": "20000.01"}}), P)
    c = chk(r, "revenue_cap")
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.01"))
    assert r.verdict == "ineligible"
    c = chk(ev(mk(fin={2024: {"total_assets": 20001, "total_liabilities": 0}}), P), "assets_cap")
    assert (c["status"], c["gap"]) == ("unmet", 1)


def test_zero_staff_score_fails_even_with_enough_points() -> None:
    r = ev(mk(tech_staff=9), P)
    assert r.score == {"min": 80, "max": 80, "pass": 60}
    c = chk(r, "tech_staff_nonzero")
    assert (c["status"], c["gap"]) == ("unmet", 1)
    assert r.verdict == "ineligible"
    assert [f["key"] for f in r.failing_checks] == ["tech_staff_nonzero"]


@pytest.mark.parametrize(
    ("honour", "value", "key"),
    [
        ("honours.hnte_valid_until", "2025-05-31", "direct_hnte"),
        ("honours.national_award_top3_5y", True, "direct_national_award"),
        ("honours.provincial_rd_institution", True, "direct_rd_institution"),
        ("rd_institution_level", "national", "direct_rd_institution"),
        ("honours.led_standard_5y", True, "direct_led_standard"),
    ],
)
def test_direct_routes_bypass_scoring(honour: str, value: object, key: str) -> None:
    r = ev(mk(tech_staff=0, **{honour: value}), P)
    assert (r.verdict, r.route) == ("eligible", "direct")
    assert chk(r, key)["status"] == "met"
    assert "tech_staff_nonzero" not in [c["key"] for c in r.checks]
    assert r.score == {"min": 80, "max": 80, "pass": 60}  # still reported


def test_direct_route_still_needs_basic_conditions() -> None:
    r = ev(mk(employees=600, tech_staff=0, **{"honours.hnte_valid_until": "2026-12-31"}), P)
    assert (r.verdict, r.route) == ("ineligible", "direct")


def test_expired_hnte_is_not_a_direct_route() -> None:
    r = ev(mk(tech_staff=0, **{"honours.hnte_valid_until": "2025-05-30"}), P)
    assert (r.verdict, r.route) == ("ineligible", "score")


def test_led_standard_route_is_flagged_unconfirmed() -> None:
    r = ev(mk(tech_staff=0, **{"honours.led_standard_5y": True}), P)
    assert chk(r, "direct_led_standard")["confidence"] == "U"
    assert r.unconfirmed == ["direct_led_standard"]


def test_unknown_direct_fact_makes_ineligible_score_route_possible() -> None:
    r = ev(mk(tech_staff=0, **{"honours.national_award_top3_5y": None}), P)
    assert (r.verdict, r.route) == ("possible", "direct")
    assert chk(r, "direct_national_award")["status"] == "manual_review"


def test_missing_facts_go_to_manual_review_never_met() -> None:
    r = ev(mk(employees=None), P)
    assert chk(r, "employees_cap")["status"] == "manual_review"
    assert pts(r, "tech_staff") == (0, 20)
    assert r.score == {"min": 80, "max": 100, "pass": 60}
    assert chk(r, "tech_staff_nonzero")["status"] == "manual_review"
    assert r.verdict == "possible"
    r = ev(mk(**{"flags.serious_dishonesty": None}), P)
    assert chk(r, "integrity")["status"] == "manual_review"
    assert r.verdict == "possible"


def test_no_figures_for_last_fiscal_year() -> None:
    r = ev(mk(years=[2021, 2022, 2023]), P)
    for key in ("revenue_cap", "assets_cap"):
        assert chk(r, key)["status"] == "manual_review"
    assert pts(r, "rd_input") == (0, 50)
    assert r.verdict == "possible"


def test_score_range_straddling_pass_line_is_possible() -> None:
    # staff 4 + rd unknown 0–50 + ip 6 → 10–60
    r = ev(
        mk(
            tech_staff=10,
            **{"ip.class1": 0, "ip.class1_self_developed": 0, "ip.class2": 1},
            fin={2024: {"rd_expense": None, "rd_expense_domestic": None}},
        ),
        P,
    )
    assert r.score == {"min": 10, "max": 60, "pass": 60}
    assert r.verdict == "possible"


def test_just_below_pass_line_and_levers() -> None:
    # staff 22% → 12 ; rd 4.5% sales → 30 ; 2 Ⅱ类 → 12 ; total 54
    r = ev(
        mk(
            tech_staff=22,
            fin={2024: {"rd_expense": 45, "rd_expense_domestic": 45, "total_cost": 1000}},
            **{"ip.class1": 0, "ip.class1_self_developed": 0, "ip.class2": 2},
        ),
        P,
    )
    assert r.score == {"min": 54, "max": 54, "pass": 60}
    c = chk(r, "score_pass")
    assert (c["status"], c["gap"]) == ("unmet", 6)
    levers = {(lv["key"], lv["change"]): lv["gain"] for lv in r.levers}
    assert levers == {
        ("sci_results", "新增1项发明专利等Ⅰ类知识产权"): 18,
        ("rd_input", "2025年研发费用增加5万元（研发费用/销售收入达到5%）"): 10,
        ("sci_results", "新增1项实用新型/外观设计/软件著作权"): 6,
        ("tech_staff", "科技人员增加3人（达到职工总数的25%，职工总数不变）"): 4,
    }
    assert [lv["gain"] for lv in r.levers] == [18, 10, 6, 4]  # biggest gain first


def test_rd_lever_uses_cost_ratio_when_cheaper() -> None:
    # sales 4.5% (30); cost 45/200 = 22.5% (30). Next band: sales 5% → +5 ; cost 25%:
    # (45 + x) / (200 + x) ≥ 0.25 → x ≥ 6.6667 → 6.67. Sales is cheaper.
    r = ev(mk(fin={2024: {"rd_expense": 45, "rd_expense_domestic": 45, "total_cost": 200}}), P)
    lv = next(x for x in r.levers if x["key"] == "rd_input")
    assert lv["change"] == "2025年研发费用增加5万元（研发费用/销售收入达到5%）"
    # with a bigger revenue the cost route wins: sales 45/2000 = 2.25% (10), cost 22.5% (30)
    r = ev(
        mk(
            fin={
                2024: {
                    "revenue": 2000,
                    "main_revenue": 1800,
                    "rd_expense": 45,
                    "rd_expense_domestic": 45,
                    "total_cost": 200,
                }
            }
        ),
        P,
    )
    lv = next(x for x in r.levers if x["key"] == "rd_input")
    assert lv["change"] == "2025年研发费用增加6.67万元（研发费用/成本费用总额达到25%）"
    assert lv["changes"] == [
        {"path": "financials[2025].rd_expense", "delta": Decimal("6.67")},
        {"path": "financials[2025].total_cost", "delta": Decimal("6.67")},
    ]
    assert lv["gain"] == 10
