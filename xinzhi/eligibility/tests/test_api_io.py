"""Loader, version selection, fact validation, what-if and tabular input."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xinzhi.eligibility import (
    InputError,
    evaluate,
    facts_from_dict,
    families,
    load_policies,
    policies_in_force,
    policy_ids,
    what_if,
)
from xinzhi.eligibility.io import COLUMN_HELP, COLUMNS, read_input

from .conftest import chk, mk

IDS = [
    "tech-sme-2017",
    "hnte-2016",
    "innovative-sme-2022",
    "srdi-sme-2022",
    "srdi-sme-2026",
    "little-giant-2022",
    "little-giant-2026",
    "gazelle-js-2024",
    "unicorn-gei-2025",
    "potential-unicorn-gei-2025",
    "unicorn-js-2025",
    "potential-unicorn-js-2025",
    "seed-unicorn-cz-2024",
]
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_policy_ids_exact() -> None:
    assert policy_ids() == IDS
    pols = load_policies()
    assert all(p.source and p.confidence in "CRU" for p in pols.values())
    assert load_policies() is not load_policies()  # a copy; the cache itself is private
    assert families()["srdi_sme"] == "专精特新中小企业"
    assert set(families()) == {
        "tech_sme",
        "hnte",
        "innovative_sme",
        "srdi_sme",
        "little_giant",
        "gazelle",
        "unicorn",
        "potential_unicorn",
        "seed_unicorn",
    }


@pytest.mark.parametrize(
    ("family", "on", "ids"),
    [
        ("srdi_sme", date(2026, 3, 31), ["srdi-sme-2022"]),
        ("srdi_sme", date(2026, 4, 1), ["srdi-sme-2026"]),
        ("little_giant", date(2026, 4, 1), ["little-giant-2026"]),
        ("unicorn", date(2025, 6, 1), ["unicorn-gei-2025", "unicorn-js-2025"]),
        ("unicorn", date(2024, 6, 1), []),
        ("tech_sme", date(2026, 11, 1), ["tech-sme-2017"]),
        ("innovative_sme", date(2026, 11, 1), ["innovative-sme-2022"]),
    ],
)
def test_policies_in_force(family: str, on: date, ids: list[str]) -> None:
    assert [p.id for p in policies_in_force(family, on)] == ids


def test_unknown_family_and_policy() -> None:
    with pytest.raises(KeyError):
        policies_in_force("nope", date(2025, 1, 1))
    with pytest.raises(KeyError) as e:
        evaluate(facts_from_dict(mk()), "nope-2099")
    assert "tech-sme-2017" in str(e.value)


@pytest.mark.parametrize(
    ("over", "field", "fragment"),
    [
        ({"id": None}, "id", "缺少企业 id"),
        ({"tech_staff": 101}, "tech_staff", "大于职工总数"),
        ({"registered_on": "2020-13-01"}, "registered_on", "无法解析的日期"),
        ({"employees": -1}, "employees", "不能为负数"),
        ({"bogus": 1}, "bogus", "未知字段"),
        ({"ip.class1_self_developed": 3}, "ip.class1_self_developed", "大于Ⅰ类知识产权总数"),
        ({"flags.resident": "maybe"}, "flags.resident", "true/false"),
        ({"srdi.market_share": 12}, "srdi.market_share", "0–1"),
    ],
)
def test_facts_validation(over: dict[str, Any], field: str, fragment: str) -> None:
    with pytest.raises(InputError) as e:
        facts_from_dict(mk(**over))
    assert e.value.field == field
    assert fragment in e.value.message
    if over.get("id", "x") is not None:
        assert e.value.enterprise_id == "T1"


def test_negative_money_names_year_and_field() -> None:
    with pytest.raises(InputError) as e:
        facts_from_dict(mk(fin={2024: {"revenue": -5}}))
    assert (e.value.enterprise_id, e.value.field) == ("T1", "financials[2024].revenue")
    facts_from_dict(mk(fin={2024: {"net_profit": -5, "net_assets": -1}}))  # may be negative


def test_missing_as_of() -> None:
    f = facts_from_dict(mk(as_of=None))
    with pytest.raises(InputError) as e:
        evaluate(f, "tech-sme-2017")
    assert e.value.field == "as_of"
    assert evaluate(f, "tech-sme-2017", date(2025, 5, 31)).verdict == "eligible"


def test_as_of_override_moves_last_fiscal_year() -> None:
    f = facts_from_dict(mk())
    r = evaluate(f, "tech-sme-2017", date(2026, 1, 1))  # Y = 2025: no figures
    assert chk(r, "revenue_cap")["status"] == "manual_review"
    assert r.as_of == date(2026, 1, 1)


def test_what_if_relative_and_absolute() -> None:
    f = facts_from_dict(mk(tech_staff=9))
    before, after = what_if(f, "tech-sme-2017", {"tech_staff": "+1"})
    assert (before.verdict, after.verdict) == ("ineligible", "eligible")
    with pytest.raises(InputError):
        what_if(f, "tech-sme-2017", {"tech_staff": 500})


def test_templates_match_columns_and_parse() -> None:
    assert set(COLUMN_HELP) == set(COLUMNS)
    with (EXAMPLES / "template.csv").open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == list(COLUMNS)
    a = read_input(EXAMPLES / "template.csv")
    b = read_input(EXAMPLES / "template.xlsx")
    j = read_input(EXAMPLES / "enterprises.json")
    assert [f.id for f in a] == [f.id for f in b] == ["E01", "E02"]
    assert a == b == j[:2]


def test_examples_have_demo_firms() -> None:
    data = json.loads((EXAMPLES / "enterprises.json").read_text(encoding="utf-8"))
    names = {e["name"] for e in data["enterprises"]}
    for n in (
        "常州优磁科技有限公司",
        "领先光学技术（江苏）有限公司",
        "奕威汽车电子科技（常州）有限公司",
        "国信新能源科技（常州）有限公司",
        "常州赛璞睿生科技有限公司",
        "江苏君华特种高分子材料股份有限公司",
    ):
        assert n in names
    assert any("合成" in note for note in data["notes"])
    assert len(read_input(EXAMPLES / "enterprises.json")) == 8


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def test_csv_grouping_and_errors(tmp_path: Path) -> None:
    p = write_csv(
        tmp_path / "a.csv",
        ["id", "name", "employees", "tech_staff", "year", "revenue"],
        [["A", "甲", 10, 3, 2023, 100], ["A", "", "", "", 2024, 120], ["B", "乙", 5, 1, 2024, 50]],
    )
    fs = read_input(p)
    assert [(f.id, [y.year for y in f.financials]) for f in fs] == [
        ("A", [2023, 2024]),
        ("B", [2024]),
    ]
    cases = [
        (["id", "colour"], [["A", "red"]], "colour", "未知列"),
        (["id", "year", "revenue"], [["", 2024, 1]], "id", "第2行缺少企业 id"),
        (["id", "year", "revenue"], [["A", 2024, -1]], "financials[2024].revenue", "负数"),
        (["id", "name"], [["A", "甲"], ["A", "乙"]], "name", "不一致"),
        (["id", "registered_on"], [["A", "2020/01/01"]], "registered_on", "日期"),
    ]
    for header, rows, field, frag in cases:
        with pytest.raises(InputError) as e:
            read_input(write_csv(tmp_path / "x.csv", header, rows))
        assert e.value.field == field and frag in e.value.message


def test_policies_in_force_for_review() -> None:
    from datetime import date

    from xinzhi.eligibility import policies_in_force

    on = date(2026, 6, 1)
    assert [p.id for p in policies_in_force("little_giant", on)] == ["little-giant-2026"]
    assert [p.id for p in policies_in_force("little_giant", on, review=True)] == [
        "little-giant-2022"
    ]
    # no review version for 专精特新: the version in force
    assert [p.id for p in policies_in_force("srdi_sme", on, review=True)] == ["srdi-sme-2026"]
    assert [p.id for p in policies_in_force("little_giant", date(2027, 1, 1), review=True)] == [
        "little-giant-2026"
    ]
