"""可能符合 split into 待核实 (every decisive number present) and 数据不全 (which one is absent)."""

from __future__ import annotations

from xinzhi.eligibility import evaluate, facts_from_dict, policy_ids

from .conftest import chk, ev, mk


def test_enterprise_without_figures_is_never_a_candidate() -> None:
    """Issue 13: with no figures every check is manual review and the unicorn lists counted it.
    It stays 'possible' (nothing is unmet) but names the missing numbers: 数据不全."""
    f = facts_from_dict({"id": "EMPTY", "as_of": "2025-05-31", "registered_on": "2020-01-01"})
    for pid in policy_ids():
        r = evaluate(f, pid)
        assert r.readiness in ("ineligible", "data_missing"), (pid, r.verdict, r.missing)
    r = evaluate(f, "unicorn-gei-2025")
    assert r.verdict == "possible"
    assert r.missing == ["funding.valuation_usd_m", "funding.financing_usd_m"]
    assert chk(r, "valuation")["missing"] == ["funding.valuation_usd_m"]
    assert chk(r, "age")["missing"] == []


def test_review_only_items_are_to_verify() -> None:
    """高企 with every number given is at best possible (core IP, field need experts): 待核实."""
    r = ev(mk(rd_management_score=18, conversions_3y=15), "hnte-2016")
    assert r.verdict == "possible"
    assert (r.missing, r.readiness) == ([], "to_verify")
    assert all(c["missing"] == [] for c in r.checks)
    assert r.to_dict()["readiness"] == "to_verify"


def test_missing_names_the_real_year_and_skips_years_before_registration() -> None:
    d = mk(fin={2023: {"rd_expense": None, "rd_expense_domestic": None}})
    r = ev(d, "hnte-2016")
    c = chk(r, "rd_intensity")
    assert (c["status"], c["missing"]) == ("manual_review", ["financials[2023].rd_expense"])
    assert r.readiness == "data_missing"
    young = mk(
        registered_on="2023-03-01",
        years=[2023],
        fin={2023: {"rd_expense": None, "rd_expense_domestic": None}},
    )
    c = chk(ev(young, "hnte-2016"), "rd_intensity")
    assert c["missing"] == [
        "financials[2024].rd_expense",
        "financials[2024].revenue",
        "financials[2023].rd_expense",
    ]
