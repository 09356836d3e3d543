"""Levers: machine-readable, aimed at the next application window, verified before shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings

from xinzhi.eligibility import evaluate, facts_from_dict, policy_ids
from xinzhi.eligibility.changes import apply_changes, project_next_window

from .conftest import chk, ev, mk
from .test_property import enterprise

RANK = {"met": 0, "manual_review": 1, "unmet": 2}
VRANK = {"eligible": 0, "possible": 1, "ineligible": 2}


def _replay(facts: Any, policy: str, result: Any, lever: dict[str, Any]) -> tuple[Any, Any]:
    projected, later = project_next_window(facts, result.as_of)
    assert later == result.lever_window["as_of"]
    base = evaluate(projected, policy, later, levers=False)
    after = evaluate(apply_changes(projected, lever["changes"]), policy, later, levers=False)
    return base, after


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(enterprise())
def test_a_shown_lever_never_worsens_and_always_improves_its_target(d: dict[str, Any]) -> None:
    facts = facts_from_dict(d)
    for pid in policy_ids():
        r = evaluate(facts, pid)
        open_year = r.as_of.year
        for lever in r.levers:
            assert lever["changes"], lever
            for ch in lever["changes"]:  # never a closed fiscal year
                if ch["path"].startswith("financials["):
                    assert ch["path"].startswith(f"financials[{open_year}]"), (pid, ch)
            base, after = _replay(facts, pid, r, lever)
            assert VRANK[after.verdict] <= VRANK[base.verdict], (pid, lever)
            before = {c["key"]: c for c in base.checks}
            for c in after.checks:
                was = before.get(c["key"])
                if was is None:
                    continue
                assert RANK[c["status"]] <= RANK[was["status"]], (pid, lever, c)
                if (
                    c["status"] == was["status"] == "unmet"
                    and isinstance(c["gap"], int | Decimal)
                    and isinstance(was["gap"], int | Decimal)
                ):
                    assert c["gap"] <= was["gap"], (pid, lever, c)
            if lever["gain"] is None:
                was = next(c for c in base.checks if c["key"] == lever["target"])
                now = next((c for c in after.checks if c["key"] == lever["target"]), None)
                assert now is None or RANK[now["status"]] < RANK[was["status"]]
            else:

                def points(res: Any, key: str) -> int:
                    return next(i["points"]["min"] for i in res.indicators if i["key"] == key)

                assert points(after, lever["target"]) > points(base, lever["target"])


def test_closed_year_growth_lever_keeps_the_rd_intensity() -> None:
    """Issue 13: '2024年销售收入增加666.67万元' at 5.0 % R&D intensity turned possible into
    ineligible. Now the lever is for 2025 and adds the R&D that keeps the intensity."""
    fin = {
        y: {"revenue": rev, "rd_expense": rd, "rd_expense_domestic": rd}
        for y, rev, rd in ((2022, 1000, 50), (2023, 1100, 55), (2024, 1200, 60))
    }
    d = mk(fin=fin)
    r = ev(d, "hnte-2016")
    assert chk(r, "rd_intensity")["status"] == "met"
    lv = next(x for x in r.levers if x["key"] == "growth_revenue")
    assert lv["change"] == (
        "2025年销售收入增加10.91万元（增长率达到5%），同时研发费用增加0.55万元以保持研发强度"
    )
    assert lv["changes"] == [
        {"path": "financials[2025].revenue", "delta": Decimal("10.91")},
        {"path": "financials[2025].rd_expense", "delta": Decimal("0.55")},
        {"path": "financials[2025].rd_expense_domestic", "delta": Decimal("0.55")},
    ]
    base, after = _replay(facts_from_dict(d), "hnte-2016", r, lv)
    assert chk(after, "rd_intensity")["status"] == "met"


def test_hard_gate_suppresses_score_levers_and_names_the_gate() -> None:
    """Issue 13: 3亿 revenue (over the 科技型中小企业 2亿 cap) was offered +24/+10/+6/+4 points."""
    d = mk(
        tech_staff=22,
        fin={
            2024: {
                "revenue": 30000,
                "main_revenue": 29000,
                "total_income": 30000,
                "rd_expense": 900,
                "rd_expense_domestic": 900,
                "total_cost": 29000,
            }
        },
        **{"ip.class1": 0, "ip.class1_self_developed": 0, "ip.class2": 2},
    )
    r = ev(d, "tech-sme-2017")
    assert chk(r, "revenue_cap")["status"] == "unmet"
    assert r.levers == []
    assert r.blocked_by == [{"key": "revenue_cap", "label": "年销售收入≤2亿元"}]
    assert r.to_dict()["blocked_by"] == [{"key": "revenue_cap", "label": "年销售收入≤2亿元"}]


def test_lever_window_on_29_february() -> None:
    d = mk(as_of="2028-02-29")
    r = evaluate(facts_from_dict(d), "tech-sme-2017")
    assert r.lever_window["as_of"] == date(2029, 2, 28)


def test_gazelle_growth_lever_keeps_the_intensity_above_four_percent() -> None:
    """Issue 13: '+128万 revenue' pushed 科技活动 intensity from 4.06 % to 3.76 %, under the 4 %
    gate. Next window (Y = 2025 projected = 2024): 2022 → 2025 CAGR 20 % needs 1.728 × 1000 =
    1728 (+128); 65 / 1728 = 3.76 %, so the lever adds 0.04 × 1728 − 65 = 4.12 (+0.01, strict)."""
    fin = {
        2021: {"revenue": 1000},
        2022: {"revenue": 1000},
        2023: {"revenue": 1400},
        2024: {"revenue": 1600, "sci_activity_expense": 65},
    }
    d = mk(fin=fin)
    r = ev(d, "gazelle-js-2024")
    assert chk(r, "innovation_intensity")["status"] == "met"
    lv = next(x for x in r.levers if x["key"] == "growth_path")
    assert lv["changes"] == [
        {"path": "financials[2025].revenue", "delta": Decimal("128")},
        {"path": "financials[2025].sci_activity_expense", "delta": Decimal("4.13")},
    ]
    assert lv["change"] == "2025年营业收入增加128万元，同时科技活动费用增加4.13万元以保持占比"
    base, after = _replay(facts_from_dict(d), "gazelle-js-2024", r, lv)
    assert chk(after, "innovation_intensity")["status"] == "met"
    assert chk(after, "growth_path")["status"] == "met"


def test_lever_window_warns_when_the_rule_set_lapses() -> None:
    r = ev(mk(), "srdi-sme-2022")  # as_of 2025-05-31; next window 2026-05-31 > 2026-03-31
    assert r.lever_window["warning"] == (
        "下一申报窗口：规则集 srdi-sme-2022 的适用期为2022-08-01起至2026-03-31，"
        "评估日期 2026-05-31 不在其内"
    )
    assert "warning" not in ev(mk(), "hnte-2016").lever_window


def test_levers_are_also_verified_together() -> None:
    """R&D intensity and 高新收入 share both short: each lever fixes its own gate; together
    (lever_plan) they fix both, verified in the same window."""
    d = mk(
        fin={
            y: {"rd_expense": 40, "rd_expense_domestic": 40, "hightech_revenue": 500}
            for y in (2022, 2023, 2024)
        }
    )
    r = ev(d, "hnte-2016")
    targets = {lv["target"] for lv in r.levers}
    assert {"rd_intensity", "hightech_revenue_share"} <= targets
    plan = r.lever_plan
    assert plan is not None and plan["verified"] is True
    # a growth lever (more revenue while R&D is short) would widen the R&D gap: not shown
    assert "growth_revenue" not in targets
    assert plan["keys"] == ["rd_intensity", "hightech_revenue_share"]
    projected, later = project_next_window(facts_from_dict(d), r.as_of)
    after = evaluate(apply_changes(projected, plan["changes"]), "hnte-2016", later, levers=False)
    assert chk(after, "rd_intensity")["status"] == "met"
    assert chk(after, "hightech_revenue_share")["status"] == "met"
    assert after.verdict == plan["verdict"]
