"""Incidents as dated events, each rule set reading its own window (issue 13).

as_of 2025-05-31:
* 科技型中小企业 第六条(四) 填报上一年及当年内 → 2024-01-01 … 2025-05-31; safety, quality,
  environment, dishonesty;
* 高企 第十一条(八) 申请认定前一年内 → 2024-05-31 … 2025-05-31; safety, quality, environment;
* 创新型/专精特新/小巨人 近三年 → 2022-05-31 … 2025-05-31; also tax and data security.
Only major/serious events count.
"""

from __future__ import annotations

from typing import Any

import pytest

from xinzhi.eligibility import InputError, facts_from_dict

from .conftest import chk, ev, mk

CHECK = {
    "tech-sme-2017": "integrity",
    "hnte-2016": "no_major_incident",
    "innovative-sme-2022": "compliance",
    "srdi-sme-2022": "compliance",
    "srdi-sme-2026": "compliance",
    "little-giant-2022": "compliance",
    "little-giant-2026": "compliance",
}
KINDS = {
    "tech-sme-2017": {"safety", "quality", "environment", "dishonesty"},
    "hnte-2016": {"safety", "quality", "environment"},
}
ALL_KINDS = ("safety", "quality", "environment", "tax", "dishonesty", "data_security")
# date → which rule sets' windows contain it (as_of 2025-05-31)
DATES = {
    "2025-05-31": {"tech-sme-2017", "hnte-2016", "srdi"},
    "2024-06-01": {"tech-sme-2017", "hnte-2016", "srdi"},
    "2024-05-30": {"tech-sme-2017", "srdi"},  # 12 months + 1 day: outside 高企
    "2024-01-01": {"tech-sme-2017", "srdi"},
    "2023-12-31": {"srdi"},  # 17 months: only 近三年
    "2022-05-31": {"srdi"},
    "2022-05-30": set(),
    "2025-06-01": set(),  # after as_of
}


def with_incidents(*incidents: dict[str, Any]) -> dict[str, Any]:
    d = mk(
        **{
            "honours.srdi_sme_valid_until": "2027-12-31",
            "honours.innovative_sme_valid_until": "2027-12-31",
        }
    )
    d["incidents"] = list(incidents)
    return d


def status(policy: str, d: dict[str, Any]) -> str:
    return chk(ev(d, policy), CHECK[policy])["status"]


@pytest.mark.parametrize("policy", list(CHECK))
@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("day", list(DATES))
def test_window_per_kind_and_rule_set(policy: str, kind: str, day: str) -> None:
    d = with_incidents({"date": day, "kind": kind, "severity": "major"})
    inside = (policy if policy in KINDS else "srdi") in DATES[day]
    counts = kind in KINDS.get(policy, set(ALL_KINDS))
    assert status(policy, d) == ("unmet" if inside and counts else "met")


@pytest.mark.parametrize("policy", list(CHECK))
def test_general_severity_does_not_count_and_undated_is_review(policy: str) -> None:
    assert (
        status(
            policy, with_incidents({"date": "2025-01-01", "kind": "safety", "severity": "general"})
        )
        == "met"
    )
    assert (
        status(policy, with_incidents({"date": None, "kind": "safety", "severity": "major"}))
        == "manual_review"
    )
    assert status(policy, with_incidents()) == "met"


def test_incident_twenty_months_ago_decides_one_rule_set_not_another() -> None:
    d = with_incidents({"date": "2023-09-30", "kind": "environment", "severity": "serious"})
    assert status("hnte-2016", d) == "met"
    assert status("tech-sme-2017", d) == "met"
    c = chk(ev(d, "srdi-sme-2022"), "compliance")
    assert c["status"] == "unmet"
    assert c["note"].startswith("2023-09-30发生严重环境事件，在2022-05-31至2025-05-31期间内")


def test_legacy_flag_still_parses() -> None:
    for policy in CHECK:
        assert status(policy, mk(**{"flags.major_incident": True})) == "manual_review"
        assert status(policy, mk(**{"flags.major_incident": False})) in ("met",)


def test_bad_incident_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"incidents\[0\]\.kind"):
        facts_from_dict(with_incidents({"date": "2024-01-01", "kind": "fire", "severity": "major"}))
