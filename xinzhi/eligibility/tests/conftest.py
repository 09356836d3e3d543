"""Shared builders: a complete, well-behaved enterprise and ways to vary it."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from xinzhi.eligibility import Result, evaluate, facts_from_dict

AS_OF = date(2025, 5, 31)  # last fiscal year Y = 2024


def base() -> dict[str, Any]:
    years = [
        {
            "year": y,
            "revenue": 1000,
            "main_revenue": 900,
            "total_income": 1000,
            "hightech_revenue": 700,
            "rd_expense": 60,
            "rd_expense_domestic": 60,
            "total_cost": 900,
            "total_assets": 2000,
            "total_liabilities": 800,
            "net_profit": 100,
            "equity_financing": 0,
            "employees": 100,
        }
        for y in (2021, 2022, 2023, 2024)
    ]
    return {
        "id": "T1",
        "name": "测试企业",
        "registered_on": "2015-01-01",
        "as_of": AS_OF.isoformat(),
        "province": "江苏",
        "city": "常州",
        "employees": 100,
        "tech_staff": 30,
        "rd_staff": 20,
        "financials": years,
        "ip": {"class1": 1, "class1_self_developed": 1, "class1_high_value": 0, "class2": 5},
        "flags": {
            "resident": True,
            "prohibited_industry": False,
            "major_incident": False,
            "serious_dishonesty": False,
            "listed": False,
            "has_core_ip": True,
            "sme": True,
            "excluded_sector": False,
            "branch_or_trading": False,
        },
        "honours": {
            "national_award_top3_5y": False,
            "provincial_rd_institution": False,
            "led_standard_5y": False,
            "sti_award_3y": False,
            "other_honour": False,
            "award_prov_top3_or_nat_top5_3y": False,
            "award_prov_plus_top3_3y": False,
            "national_award_top3_3y": False,
            "chuangke_top500_3y": False,
            "chuangke_top50_3y": False,
            "key_tech_breakthrough": False,
        },
        "funding": {"has_institutional_investment": False},
    }


def mk(
    fin: dict[int, dict[str, Any]] | None = None, years: list[int] | None = None, **over: Any
) -> dict[str, Any]:
    """Base enterprise with overrides: ``mk(tech_staff=9, **{"ip.class1": 0},
    fin={2024: {"rd_expense": 50}}, years=[2023, 2024])`` (``years`` keeps only those rows)."""
    d = copy.deepcopy(base())
    for k, v in over.items():
        if "." in k:
            sub, key = k.split(".", 1)
            d.setdefault(sub, {})[key] = v
        else:
            d[k] = v
    if years is not None:
        d["financials"] = [r for r in d["financials"] if r["year"] in years]
    for y, vals in (fin or {}).items():
        row = next((r for r in d["financials"] if r["year"] == y), None)
        if row is None:
            row = {"year": y}
            d["financials"].append(row)
        row.update(vals)
    return d


def ev(d: dict[str, Any], policy: str, as_of: date | None = None) -> Result:
    return evaluate(facts_from_dict(d), policy, as_of)


def chk(r: Result, key: str) -> dict[str, Any]:
    found = [c for c in r.checks if c["key"] == key]
    assert found, f"check {key} not in {[c['key'] for c in r.checks]}"
    return found[0]


def ind(r: Result, key: str) -> dict[str, Any]:
    found = [i for i in r.indicators if i["key"] == key]
    assert found, f"indicator {key} not in {[i['key'] for i in r.indicators]}"
    return found[0]


def pts(r: Result, key: str) -> tuple[int, int]:
    p = ind(r, key)["points"]
    return p["min"], p["max"]


@pytest.fixture
def example_path() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "examples" / "enterprises.json")
