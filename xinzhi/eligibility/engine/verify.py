"""Levers are verified before they are shown.

A lever is computed for the next application window (``as_of`` one year on, so its changes
touch the open fiscal year, never a closed one) and kept only if applying its ``changes``
(what-if) leaves no check and not the verdict worse than doing nothing in that window, and
improves its target: the unmet check it names becomes met or reviewable, or the indicator it
names gains points. When a hard gate stays unmet and no kept lever fixes it, score levers are
dropped (no score can fix a size cap) and ``blocked_by`` names the gate. Two or more kept
levers are also combined and verified together (``lever_plan``: a lever joins only if, on top
of the ones already in, nothing gets worse and its target improves).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..changes import apply_changes, project_next_window
from ..facts import EnterpriseFacts, InputError
from ..loader import Policy

__all__ = ["SCORE_CHECKS", "verify_levers"]

# Checks that only restate the score; every other unmet check is a hard gate.
SCORE_CHECKS = frozenset(
    {
        "score_pass",
        "innovation_score",
        "group_innovation",
        "group_growth",
        "group_specialisation",
        "tech_staff_nonzero",
    }
)
_RANK = {"met": 0, "manual_review": 1, "unmet": 2}
_VERDICT_RANK = {"eligible": 0, "possible": 1, "ineligible": 2}

Explained = Callable[[EnterpriseFacts, Policy, date], Any]


def _not_worse(base: Any, after: Any) -> bool:
    """No check's status, no unmet check's gap, not the verdict and not the minimum score got
    worse (a lever that widens another gate's shortfall is not shown)."""
    if _VERDICT_RANK[after.verdict] > _VERDICT_RANK[base.verdict]:
        return False
    before = {check["key"]: check for check in base.checks}
    for chk in after.checks:
        was = before.get(chk["key"])
        if was is None:
            continue
        if _RANK[chk["status"]] > _RANK[was["status"]]:
            return False
        if (
            chk["status"] == was["status"] == "unmet"
            and _number(chk["gap"])
            and _number(was["gap"])
            and chk["gap"] > was["gap"]
        ):
            return False
    return not (base.score and after.score and after.score["min"] < base.score["min"])


def _number(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _improves(base: Any, after: Any, lever: dict[str, Any]) -> bool:
    target = lever["target"]
    if lever["gain"] is None:
        was = next((check for check in base.checks if check["key"] == target), None)
        now = next((check for check in after.checks if check["key"] == target), None)
        if was is None:
            return False
        if now is None:  # the route changed (e.g. a direct route now applies)
            return _VERDICT_RANK[after.verdict] < _VERDICT_RANK[base.verdict]
        return _RANK[now["status"]] < _RANK[was["status"]]
    was_points = next(
        (ind["points"]["min"] for ind in base.indicators if ind["key"] == target), None
    )
    now_points = next(
        (ind["points"]["min"] for ind in after.indicators if ind["key"] == target), None
    )
    return was_points is not None and now_points is not None and now_points > was_points


def _merge(levers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes of several levers together: on the same fact the larger delta suffices (each
    lever states a floor such as "R&D ≥ x"), different facts add up."""
    merged: dict[str, Decimal] = {}
    for lever in levers:
        for ch in lever["changes"]:
            delta = Decimal(ch["delta"])
            merged[ch["path"]] = max(merged.get(ch["path"], delta), delta)
    return [{"path": path, "delta": delta} for path, delta in merged.items()]


def _plan(
    projected: EnterpriseFacts,
    rules: Policy,
    later: date,
    base: Any,
    kept: list[dict[str, Any]],
    explained: Explained,
) -> dict[str, Any] | None:
    """Levers combined greedily (gates first, then by points): a lever joins the plan only if,
    applied on top of the levers already in it, nothing gets worse and its target improves."""
    chosen: list[dict[str, Any]] = []
    current = base
    for lever in kept:
        try:
            after = explained(apply_changes(projected, _merge([*chosen, lever])), rules, later)
        except InputError:
            continue
        if _not_worse(current, after) and _improves(current, after, lever):
            chosen.append(lever)
            current = after
    if len(chosen) < 2:
        return None
    return {
        "keys": [lv["key"] for lv in chosen],
        "changes": _merge(chosen),
        "verdict": current.verdict,
        "score": current.score,
        "verified": True,
    }


def verify_levers(
    facts: EnterpriseFacts, rules: Policy, as_of: date, explained: Explained
) -> dict[str, Any]:
    """Verified levers of the next application window, with the blocking gates and the plan."""
    projected, later = project_next_window(facts, as_of)
    window = {"as_of": later, "fiscal_year": later.year - 1, "projected": projected is not facts}
    base = explained(projected, rules, later)
    kept: list[dict[str, Any]] = []
    for lever in base.levers:
        try:
            after = explained(apply_changes(projected, lever["changes"]), rules, later)
        except InputError:
            continue
        if _not_worse(base, after) and _improves(base, after, lever):
            kept.append(
                {
                    **lever,
                    "verified": True,
                    "window": window,
                    "after": {"verdict": after.verdict, "score": after.score},
                }
            )
    fixed = {lv["target"] for lv in kept if lv["gain"] is None}
    blocked_by = [
        {"key": check["key"], "label": check["label"]}
        for check in base.checks
        if check["status"] == "unmet"
        and check["key"] not in SCORE_CHECKS
        and check["key"] not in fixed
    ]
    if blocked_by:
        kept = [lv for lv in kept if lv["gain"] is None]
    plan = _plan(projected, rules, later, base, kept, explained) if len(kept) >= 2 else None
    return {
        "levers": kept,
        "lever_window": window,
        "blocked_by": blocked_by,
        "lever_plan": plan,
        "window_verdict": base.verdict,
    }
