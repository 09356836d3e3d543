"""Batch and single evaluation agree for random fact sets, for every policy; and the verdict
computed by the engine equals the one recomputed from the explained checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinzhi.eligibility import evaluate, evaluate_batch, facts_from_dict, policy_ids
from xinzhi.eligibility.engine import ENGINES, Ctx, resolve_policy

money = st.one_of(
    st.none(),
    st.decimals(min_value=0, max_value=60000, places=2),
    st.sampled_from([Decimal(0), Decimal(100), Decimal(1000), Decimal(5000), Decimal(20000)]),
)
opt_bool = st.one_of(st.none(), st.booleans())
small = st.one_of(st.none(), st.integers(0, 12))


@st.composite
def enterprise(draw: st.DrawFn) -> dict[str, Any]:
    as_of = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 1200)))
    reg = as_of - timedelta(days=draw(st.integers(0, 8000)))
    emp = draw(st.one_of(st.none(), st.integers(0, 700)))
    ts = None if emp is None else draw(st.one_of(st.none(), st.integers(0, emp)))
    years = []
    for y in range(as_of.year - 4, as_of.year):
        if draw(st.booleans()) or y == as_of.year - 1:
            rev = draw(money)
            rd = draw(money)
            years.append(
                {
                    "year": y,
                    "revenue": rev,
                    "rd_expense": rd,
                    "main_revenue": None
                    if rev is None
                    else (
                        rev * draw(st.sampled_from([Decimal("0.5"), Decimal("0.8"), Decimal(1)]))
                    ),
                    "rd_expense_domestic": None if rd is None else rd,
                    "total_income": rev,
                    "hightech_revenue": draw(money),
                    "total_cost": draw(money),
                    "total_assets": draw(money),
                    "total_liabilities": draw(money),
                    "net_profit": draw(money),
                    "equity_financing": draw(money),
                    "sci_activity_expense": draw(money),
                    "employees": draw(st.one_of(st.none(), st.integers(0, 700))),
                }
            )
    c1 = draw(small)
    return {
        "id": "H",
        "registered_on": reg.isoformat(),
        "as_of": as_of.isoformat(),
        "employees": emp,
        "tech_staff": ts,
        "rd_staff": None if emp is None else draw(st.one_of(st.none(), st.integers(0, emp))),
        "financials": years,
        "conversions_3y": draw(small),
        "province": draw(st.sampled_from([None, "江苏", "浙江"])),
        "city": draw(st.sampled_from([None, "常州", "无锡"])),
        "hightech_field": draw(st.sampled_from([None, "电子信息", "纺织"])),
        "rd_institution_level": draw(
            st.sampled_from([None, "national", "provincial", "municipal", "none"])
        ),
        "rd_management_score": draw(st.one_of(st.none(), st.integers(0, 20))),
        "ip": {
            "class1": c1,
            "class1_self_developed": None if c1 is None else draw(st.integers(0, c1)),
            "class2": draw(small),
            "class1_high_value": None if c1 is None else draw(st.integers(0, c1)),
            "standards_participation": draw(opt_bool),
        },
        "flags": {
            k: draw(opt_bool)
            for k in (
                "resident",
                "prohibited_industry",
                "major_incident",
                "serious_dishonesty",
                "listed",
                "has_core_ip",
                "sme",
            )
        },
        "honours": {
            "hnte_valid_until": draw(st.sampled_from([None, "2030-01-01", "2020-01-01"])),
            "national_award_top3_5y": draw(opt_bool),
            "led_standard_5y": draw(opt_bool),
            "sti_award_3y": draw(opt_bool),
            "srdi_sme_valid_until": draw(st.sampled_from([None, "2030-01-01"])),
            "innovative_sme_valid_until": draw(st.sampled_from([None, "2030-01-01"])),
            "key_tech_breakthrough": draw(opt_bool),
        },
        "incidents": draw(
            st.sampled_from(
                [
                    None,
                    [],
                    [
                        {
                            "date": (
                                as_of - timedelta(days=draw(st.integers(-30, 1500)))
                            ).isoformat(),
                            "kind": draw(st.sampled_from(["safety", "tax", "dishonesty"])),
                            "severity": draw(st.sampled_from(["major", "general"])),
                        }
                    ],
                    [{"date": None, "kind": "quality", "severity": "serious"}],
                ]
            )
        ),
        "funding": {
            "has_institutional_investment": draw(opt_bool),
            "valuation_usd_m": draw(money),
            "financing_usd_m": draw(money),
            "valuation_cny_wan": draw(money),
        },
        "srdi": {
            "niche_years": draw(small),
            "dev_score": draw(st.one_of(st.none(), st.integers(0, 100))),
            "market_share": draw(st.sampled_from([None, "0.05", "0.1"])),
            "digital_level": draw(st.one_of(st.none(), st.integers(1, 4))),
        },
    }


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(enterprise())
def test_batch_agrees_with_single(d: dict[str, Any]) -> None:
    f = facts_from_dict(d)
    batch = list(evaluate_batch([f], policy_ids(), with_missing=True))
    assert [b.policy for b in batch] == policy_ids()
    for b in batch:
        r = evaluate(f, b.policy)
        assert (b.verdict, b.score_min, b.score_max) == (r.verdict, r.score_min, r.score_max)
        assert (b.readiness, list(b.missing)) == (
            r.readiness,
            r.missing if r.verdict == "possible" else [],
        )
        P = resolve_policy(b.policy)
        engine_verdict = ENGINES[P.engine](P, Ctx(f), None)[0]
        assert ("eligible", "possible", "ineligible")[engine_verdict] == r.verdict
        if r.verdict == "eligible":
            assert all(c["status"] == "met" for c in r.checks)
        assert all(c["status"] != "met" or c["gap"] is None for c in r.checks)


def test_parallel_batch_matches_serial(example_path: str) -> None:
    from xinzhi.eligibility.io import read_input

    facts = read_input(example_path) * 50
    serial = list(evaluate_batch(facts, "all"))
    parallel = list(evaluate_batch(facts, "all", workers=2))
    assert serial == parallel
    assert len(serial) == 400 * 13
