"""高新技术企业 (国科发火〔2016〕32号 + 工作指引): hand-computed from policies.md §2."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from xinzhi.eligibility import facts_from_dict, load_policies, what_if
from xinzhi.eligibility.engine import growth_points

from .conftest import chk, ev, ind, mk, pts

P = "hnte-2016"


def strong(fin: dict[int, dict[str, Any]] | None = None, **over: Any) -> dict[str, Any]:
    """Everything computable is good. Net assets 1000 → 1350 → 1620 (g = 0.275 → B);
    revenue 1000 → 1350 → 1822.5 (g = 0.35 → A)."""
    f: dict[int, dict[str, Any]] = {
        2022: {"revenue": 1000, "main_revenue": 900, "total_liabilities": 1000},
        2023: {"revenue": 1350, "main_revenue": 1200, "total_liabilities": 650},
        2024: {
            "revenue": "1822.5",
            "main_revenue": 1600,
            "rd_expense": 300,
            "rd_expense_domestic": 300,
            "hightech_revenue": 1500,
            "total_income": 1822.5,
            "total_liabilities": 380,
        },
    }
    for y, vals in (fin or {}).items():
        f[y].update(vals)
    kw: dict[str, Any] = {
        "conversions_3y": 15,
        "rd_management_score": 20,
        "ip.standards_participation": True,
    }
    kw.update(over)
    return mk(fin=f, **kw)


def test_check_keys_and_base_result() -> None:
    r = ev(mk(), P)
    assert [c["key"] for c in r.checks] == [
        "registered_365d",
        "core_ip",
        "hightech_field",
        "tech_staff_ratio",
        "rd_intensity",
        "rd_domestic_share",
        "hightech_revenue_share",
        "innovation_score",
        "no_major_incident",
    ]
    # ip: A 7–8 + advancement 0–8 + core support 0–8 + self-developed 1–6 + bonus 0–2 → 8–30
    assert pts(r, "ip") == (8, 30)
    assert ind(r, "ip")["band"] == "A"
    assert pts(r, "conversion") == (0, 30)  # conversions unknown
    assert pts(r, "rd_management") == (0, 20)  # expert range
    assert pts(r, "growth_revenue") == (0, 0)  # flat revenue → g = 0 → F
    assert ind(r, "growth_revenue")["band"] == "F"
    assert r.score == {"min": 8, "max": 80, "pass": 71}
    assert r.verdict == "possible"


def test_strong_enterprise_still_needs_expert_review() -> None:
    r = ev(strong(), P)
    # ip 9–30, conversion A 25–30, management 20, revenue growth A 9–10, net assets B 7–8
    assert pts(r, "ip") == (9, 30)
    assert pts(r, "conversion") == (25, 30)
    assert ind(r, "conversion")["band"] == "A"
    assert pts(r, "growth_revenue") == (9, 10)
    assert ind(r, "growth_revenue")["actual"] == Decimal("0.35")
    assert pts(r, "growth_net_assets") == (7, 8)
    assert ind(r, "growth_net_assets")["band"] == "B"
    assert r.score == {"min": 70, "max": 98, "pass": 71}
    assert chk(r, "innovation_score")["status"] == "manual_review"
    # core IP relevance and field are expert judgments: never met automatically
    assert chk(r, "core_ip")["status"] == "manual_review"
    assert chk(r, "hightech_field")["status"] == "manual_review"
    assert r.verdict == "possible"
    assert r.failing_checks == [
        chk(r, "core_ip"),
        chk(r, "hightech_field"),
        chk(r, "innovation_score"),
    ]


def test_innovation_score_met_from_72() -> None:
    # net assets 1000 → 1350 → 1822.5: g = 0.35 → A 9–10 ; min = 9 + 25 + 20 + 9 + 9 = 72
    r = ev(strong(fin={2024: {"total_liabilities": "177.5"}}), P)
    assert pts(r, "growth_net_assets") == (9, 10)
    assert r.score == {"min": 72, "max": 100, "pass": 71}
    assert chk(r, "innovation_score")["status"] == "met"


@pytest.mark.parametrize(
    ("registered", "status", "gap"),
    [
        ("2024-05-31", "met", None),  # 365 days (2024-05-31 → 2025-05-31)
        ("2024-06-01", "unmet", 1),  # 364 days
    ],
)
def test_registered_365_days(registered: str, status: str, gap: int | None) -> None:
    c = chk(ev(mk(registered_on=registered), P), "registered_365d")
    assert (c["status"], c["gap"]) == (status, gap)


@pytest.mark.parametrize(
    ("latest", "threshold"),
    [
        ("5000", Decimal("0.05")),
        ("5000.01", Decimal("0.04")),
        ("20000", Decimal("0.04")),
        ("20000.01", Decimal("0.03")),
    ],
)
def test_rd_threshold_by_latest_sales(latest: str, threshold: Decimal) -> None:
    c = chk(ev(mk(fin={2024: {"revenue": latest}}), P), "rd_intensity")
    assert c["required"] == threshold


def test_rd_intensity_gap_exact() -> None:
    d = mk(
        fin={
            2022: {"revenue": 4000, "rd_expense": "163.2", "rd_expense_domestic": "163.2"},
            2023: {"revenue": 4100, "rd_expense": "163.2", "rd_expense_domestic": "163.2"},
            2024: {"revenue": 4221, "rd_expense": "163.25", "rd_expense_domestic": "163.25"},
        }
    )
    r = ev(d, P)
    c = chk(r, "rd_intensity")
    # 5% × (4000 + 4100 + 4221) − (163.2 + 163.2 + 163.25) = 616.05 − 489.65 = 126.4
    assert (c["status"], c["gap"], c["actual"]) == ("unmet", Decimal("126.4"), Decimal("0.0397"))
    assert c["note"] == "2022–2024年研发费用还需增加126.4万元"
    # The lever targets the next window (2023–2025, 2025 projected = 2024 figures):
    # 5% × (4100 + 4221 + 4221) − (163.2 + 163.25 + 163.25) = 627.1 − 489.7 = 137.4
    lv = next(x for x in r.levers if x["key"] == "rd_intensity")
    assert (lv["change"], lv["gain"], lv["target"]) == (
        "2025年研发费用增加137.4万元（2023–2025年合计达标）",
        None,
        "rd_intensity",
    )
    assert lv["changes"] == [
        {"path": "financials[2025].rd_expense", "delta": Decimal("137.4")},
        {"path": "financials[2025].rd_expense_domestic", "delta": Decimal("137.4")},
    ]
    assert r.lever_window == {"as_of": date(2026, 5, 31), "fiscal_year": 2025, "projected": True}
    assert r.to_dict()["checks"][4]["gap"] == 126.4
    _, after = what_if(facts_from_dict(d), P, {"financials.2024.rd_expense": "+126.4"})
    assert chk(after, "rd_intensity")["status"] == "met"
    _, short = what_if(facts_from_dict(d), P, {"financials.2024.rd_expense": "+126.39"})
    assert chk(short, "rd_intensity")["status"] == "unmet"


def test_rd_gap_rounds_up_to_the_cent() -> None:
    # 5% × 3000 − 149.9951 = 0.0049 → 0.01
    c = chk(
        ev(
            mk(
                fin={
                    2022: {"rd_expense": 50, "rd_expense_domestic": 50},
                    2023: {"rd_expense": 50, "rd_expense_domestic": 50},
                    2024: {"rd_expense": "49.9951", "rd_expense_domestic": "49.9951"},
                }
            ),
            P,
        ),
        "rd_intensity",
    )
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.01"))


def test_rd_intensity_uses_actual_period_when_younger() -> None:
    r = ev(
        mk(
            registered_on="2023-03-01",
            years=[2023, 2024],
            fin={2024: {"rd_expense": 40, "rd_expense_domestic": 40}},
        ),
        P,
    )
    c = chk(r, "rd_intensity")
    # (60 + 40) / 2000 = 5% ≥ 5%
    assert (c["status"], c["actual"]) == ("met", Decimal("0.05"))
    assert "经营不足3年" in c["note"]


def test_tech_staff_ratio_gap() -> None:
    c = chk(ev(mk(employees=101, tech_staff=10), P), "tech_staff_ratio")
    assert (c["status"], c["gap"], c["note"]) == ("unmet", 1, "科技人员还需增加1人（职工总数不变）")
    assert chk(ev(mk(employees=100, tech_staff=10), P), "tech_staff_ratio")["status"] == "met"


def test_domestic_and_hightech_revenue_gaps() -> None:
    r = ev(mk(fin={2024: {"rd_expense_domestic": 0}, 2023: {"rd_expense_domestic": 20}}), P)
    c = chk(r, "rd_domestic_share")
    # new domestic R&D also raises total R&D: x = (0.6 × 180 − (60 + 20 + 0)) / 0.4 = 70
    assert (c["status"], c["gap"]) == ("unmet", 70)
    r = ev(mk(fin={2024: {"hightech_revenue": "599.995"}}), P)
    c = chk(r, "hightech_revenue_share")
    # (0.6 × 1000 − 599.995) / 0.4 = 0.0125 → 0.02 (rounded up to the cent)
    assert (c["status"], c["gap"]) == ("unmet", Decimal("0.02"))
    assert (
        chk(ev(mk(fin={2024: {"hightech_revenue": 600}}), P), "hightech_revenue_share")["status"]
        == "met"
    )


def test_core_ip_and_field() -> None:
    r = ev(mk(**{"ip.class1": 0, "ip.class1_self_developed": 0, "ip.class2": 0}), P)
    assert chk(r, "core_ip")["status"] == "unmet"
    assert pts(r, "ip") == (0, 2)  # only the standards bonus remains unknown
    assert chk(ev(mk(**{"flags.has_core_ip": False}), P), "core_ip")["status"] == "unmet"
    assert chk(ev(mk(hightech_field="纺织服装"), P), "hightech_field")["status"] == "unmet"
    c = chk(ev(mk(hightech_field="电子信息"), P), "hightech_field")
    assert c["status"] == "manual_review"


@pytest.mark.parametrize(
    ("c1", "sd", "c2", "band", "points"),
    [
        (0, 0, 5, "B", (5 + 0 + 0 + 1, 6 + 8 + 8 + 6 + 2)),
        (0, 0, 4, "C", (3 + 1, 4 + 16 + 6 + 2)),
        (0, 0, 2, "D", (1 + 1, 2 + 16 + 6 + 2)),
        (2, 0, 0, "A", (7 + 1, 8 + 16 + 3 + 2)),  # only transferred Ⅰ类 → acquisition B 1–3
    ],
)
def test_ip_count_and_acquisition(
    c1: int, sd: int, c2: int, band: str, points: tuple[int, int]
) -> None:
    r = ev(mk(**{"ip.class1": c1, "ip.class1_self_developed": sd, "ip.class2": c2}), P)
    assert ind(r, "ip")["band"] == band
    assert pts(r, "ip") == (points[0], min(30, points[1]))


@pytest.mark.parametrize(
    ("conv", "band", "points"),
    [
        (15, "A", (25, 30)),
        (14, "B", (19, 24)),
        (12, "B", (19, 24)),
        (9, "C", (13, 18)),
        (6, "D", (7, 12)),
        (3, "E", (1, 6)),
        (2, "F", (0, 0)),
        (0, "F", (0, 0)),
    ],
)
def test_conversion_bands(conv: int, band: str, points: tuple[int, int]) -> None:
    r = ev(mk(conversions_3y=conv), P)
    assert (ind(r, "conversion")["band"], pts(r, "conversion")) == (band, points)


def test_conversion_divisor_for_young_firm_is_flagged() -> None:
    r = ev(mk(registered_on="2023-03-01", years=[2023, 2024], conversions_3y=10), P)
    i = ind(r, "conversion")
    assert (i["band"], i["actual"], i["confidence"]) == ("A", Decimal(5), "R")
    assert "conversion" in r.unconfirmed


def test_conversion_lever() -> None:
    r = ev(mk(conversions_3y=13), P)  # avg 4.33 → B 19–24 ; A needs 15
    lv = next(x for x in r.levers if x["key"] == "conversion")
    assert (lv["change"], lv["gain"]) == ("近三年科技成果转化增加2项（年均达到5项）", 6)


GB = [
    (t[0], t[1], int(t[2]), int(t[3]), 2 * (1 + t[0]), 1 + t[0])
    for t in load_policies()[P].extra["growth_bands"]
]


@pytest.mark.parametrize(
    ("v", "n", "band", "points", "flag"),
    [
        (("100", "135", "182.25"), 3, "A", (9, 10), False),  # g = 0.35 exactly
        (("100", "135", "182.24"), 3, "B", (7, 8), False),
        (("100", "125", "156.25"), 3, "B", (7, 8), False),  # 0.25
        (("100", "115", "132.25"), 3, "C", (5, 6), False),  # 0.15
        (("100", "105", "110.25"), 3, "D", (3, 4), False),  # 0.05
        (("100", "105", "110.24"), 3, "E", (1, 2), False),
        (("100", "100", "100.01"), 3, "E", (1, 2), False),
        (("100", "100", "100"), 3, "F", (0, 0), False),  # g = 0 → F
        (("100", "90", "80"), 3, "F", (0, 0), False),  # negative → 0
        (("0", "100", "135"), 3, "A", (9, 10), False),  # Y1 = 0 → Y3/Y2 − 1
        (("0", "100", "134.99"), 3, "B", (7, 8), False),
        (("100", "0", "500"), 3, "F", (0, 0), False),  # Y2 = 0 → 0
        (("-100", "50", "80"), 3, "F", (0, 0), True),  # negative base → 0, flagged
        ((None, "100", "135"), 2, "A", (9, 10), True),  # 2 years: single ratio [U]
        ((None, "100", "104"), 2, "E", (1, 2), True),
        ((None, None, "100"), 1, "F", (0, 0), True),  # 1 year: 0 [U]
    ],
)
def test_growth_rules(
    v: tuple[str | None, ...], n: int, band: str, points: tuple[int, int], flag: bool
) -> None:
    vals = [None if x is None else Decimal(x) for x in v]
    got = growth_points(vals[0], vals[1], vals[2], n, GB)
    assert (got[1], got[0], got[3]) == (band, points, flag)


def test_growth_missing_data_is_ranged() -> None:
    r = ev(mk(years=[2023, 2024]), P)  # old firm, 2022 missing
    assert pts(r, "growth_revenue") == (0, 10)
    assert ind(r, "growth_revenue")["band"] is None


def test_short_history_growth_is_flagged_for_review() -> None:
    d = strong(registered_on="2023-02-01")
    d["financials"] = [r for r in d["financials"] if r["year"] >= 2023]
    r = ev(d, P)
    # revenue 1350 → 1822.5 : single ratio 0.35 → A ; flagged U
    assert (ind(r, "growth_revenue")["band"], ind(r, "growth_revenue")["confidence"]) == ("A", "U")
    c = chk(r, "innovation_score")
    assert c["status"] == "manual_review" and c["confidence"] == "U"
    assert {"growth_net_assets", "growth_revenue", "innovation_score"} <= set(r.unconfirmed)
    one = ev(mk(registered_on="2024-01-10", years=[2024]), P)
    assert ind(one, "growth_revenue")["band"] == "F"
    assert chk(one, "innovation_score")["status"] in ("manual_review", "unmet")


def test_growth_revenue_lever() -> None:
    # revenue 1000, 1100, 1200: g = ½(1.1 + 1.0909) − 1 = 0.0955 → D 3–4.
    # The lever targets the next window 2023–2025 (2025 projected = 1200): g = ½(1200/1100 + 1)
    # − 1 = 4.5% → E; D needs v3 ≥ (2·1.05·1100·1200 − 1200²) / 1100 = 1210.909 → +10.91
    r = ev(mk(fin={2022: {"revenue": 1000}, 2023: {"revenue": 1100}, 2024: {"revenue": 1200}}), P)
    assert ind(r, "growth_revenue")["band"] == "D"
    lv = next(x for x in r.levers if x["key"] == "growth_revenue")
    assert (lv["change"], lv["gain"]) == ("2025年销售收入增加10.91万元（增长率达到5%）", 2)


def test_major_incident() -> None:
    # the legacy flag has no date: whether it falls in 申请认定前一年内 is for the officer
    r = ev(mk(**{"flags.major_incident": True}), P)
    assert chk(r, "no_major_incident")["status"] == "manual_review"
    assert "无发生日期" in chk(r, "no_major_incident")["note"]
    assert (
        chk(ev(mk(**{"flags.major_incident": None}), P), "no_major_incident")["status"]
        == "manual_review"
    )


def test_hightech_share_gap_counts_the_new_income_in_the_total() -> None:
    """Issue 13: 0.6 × 总收入 − 高新收入 understates the gap. TI 10000, HT 5500:
    500 more only reaches 6000/10500 = 57.1 %; x = (0.6 × 10000 − 5500)/0.4 = 1250."""
    d = mk(
        fin={
            2024: {
                "total_income": 10000,
                "revenue": 10000,
                "main_revenue": 9000,
                "hightech_revenue": 5500,
                "rd_expense": 600,
                "rd_expense_domestic": 600,
            }
        }
    )
    c = chk(ev(d, P), "hightech_revenue_share")
    assert (c["status"], c["gap"]) == ("unmet", 1250)
    assert "x = (60%×总收入 − 高新收入)/(1 − 60%)" in c["note"]
    f = facts_from_dict(d)
    change = [
        {"path": "financials[2024].hightech_revenue", "delta": 1250},
        {"path": "financials[2024].total_income", "delta": 1250},
    ]
    _, after = what_if(f, P, change)
    assert chk(after, "hightech_revenue_share")["status"] == "met"
    short = [{**ch, "delta": Decimal("1249.99")} for ch in change]
    assert chk(what_if(f, P, short)[1], "hightech_revenue_share")["status"] == "unmet"
    _, old_gap = what_if(f, P, [{**ch, "delta": 500} for ch in change])
    assert chk(old_gap, "hightech_revenue_share")["actual"] == Decimal("0.5714")


def test_domestic_share_gap_flips_the_check_in_what_if() -> None:
    d = mk(fin={2024: {"rd_expense_domestic": 0}, 2023: {"rd_expense_domestic": 20}})
    f = facts_from_dict(d)
    both = [
        {"path": "financials[2024].rd_expense", "delta": 70},
        {"path": "financials[2024].rd_expense_domestic", "delta": 70},
    ]
    assert chk(what_if(f, P, both)[1], "rd_domestic_share")["status"] == "met"
    short = [{**ch, "delta": Decimal("69.99")} for ch in both]
    assert chk(what_if(f, P, short)[1], "rd_domestic_share")["status"] == "unmet"
