"""The explained evaluation of one enterprise × policy (DESIGN §5 result shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ..facts import EnterpriseFacts
from ..loader import Policy, RulesetError, load_policies
from .core import ELIGIBLE, INELIGIBLE, POSSIBLE, VERDICTS, Ctx, Explain, missing_facts
from .registry import ENGINES
from .verify import verify_levers


class UnknownPolicyError(KeyError):
    def __init__(self, pid: str, valid: list[str]) -> None:
        self.policy_id = pid
        self.valid = valid
        super().__init__(pid)

    def __str__(self) -> str:
        return f"未知政策编号: {self.policy_id}；可选: {', '.join(self.valid)}"


def jsonable(rank: Any) -> Any:
    """Decimal → int when integral, else float; date → ISO string; recursively."""
    if isinstance(rank, Decimal):
        return int(rank) if rank == rank.to_integral_value() else float(rank)
    if isinstance(rank, date):
        return rank.isoformat()
    if isinstance(rank, dict):
        return {field_name: jsonable(item) for field_name, item in rank.items()}
    if isinstance(rank, list | tuple):
        return [jsonable(item) for item in rank]
    return rank


@dataclass(slots=True)
class Result:
    """Full explanation of one enterprise × policy evaluation (DESIGN §5 result shape)."""

    id: str
    policy: str
    policy_name: str
    verdict: str
    route: str | None
    score: dict[str, int] | None
    checks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    levers: list[dict[str, Any]]
    source: str
    effective_from: date
    effective_until: date | None
    unconfirmed: list[str]
    as_of: date
    lever_window: dict[str, Any] | None = None
    blocked_by: list[dict[str, Any]] = field(default_factory=list)
    lever_plan: dict[str, Any] | None = None
    missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def score_min(self) -> int | None:
        return None if self.score is None else self.score["min"]

    @property
    def score_max(self) -> int | None:
        return None if self.score is None else self.score["max"]

    @property
    def readiness(self) -> str:
        """符合 eligible · 待核实 to_verify (only review items open, every decisive number
        present) · 数据不全 data_missing (a decisive number absent: see ``missing``) · 不符合
        ineligible. Only eligible and to_verify are candidates."""
        if self.verdict != "possible":
            return self.verdict
        return "data_missing" if self.missing else "to_verify"

    @property
    def failing_checks(self) -> list[dict[str, Any]]:
        """Checks that are unmet or await manual review."""
        return [check for check in self.checks if check["status"] != "met"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "policy": self.policy,
            "policy_name": self.policy_name,
            "verdict": self.verdict,
            "route": self.route,
            "score": self.score,
            "checks": jsonable(self.checks),
            "indicators": jsonable(self.indicators),
            "levers": jsonable(self.levers),
            "source": self.source,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": (self.effective_until.isoformat() if self.effective_until else None),
            "unconfirmed": list(self.unconfirmed),
            "as_of": self.as_of.isoformat(),
            "lever_window": jsonable(self.lever_window),
            "blocked_by": jsonable(self.blocked_by),
            "lever_plan": jsonable(self.lever_plan),
            "missing": list(self.missing),
            "readiness": self.readiness,
            "warnings": list(self.warnings),
        }


def resolve_policy(policy: str | Policy) -> Policy:
    if isinstance(policy, Policy):
        found = policy
    else:
        policies = load_policies()
        if policy not in policies:
            raise UnknownPolicyError(policy, list(policies))
        found = policies[policy]
    if found.engine not in ENGINES:
        raise RulesetError(f"{found.id}: unknown engine {found.engine!r}")
    return found


def verdict_from_checks(
    checks: list[dict[str, Any]], score: dict[str, int] | None, route: str | None
) -> str:
    """DESIGN §5 verdict semantics, computed from the emitted checks (and the score unless the
    direct route was taken, which qualifies without scoring)."""
    statuses = {check["status"] for check in checks}
    rank = ELIGIBLE
    if "unmet" in statuses:
        rank = INELIGIBLE
    elif "manual_review" in statuses:
        rank = POSSIBLE
    if score is not None and route != "direct":
        if score["max"] < score["pass"]:
            rank = INELIGIBLE
        elif score["min"] < score["pass"]:
            rank = max(rank, POSSIBLE)
    return VERDICTS[rank]


def evaluate(
    facts: EnterpriseFacts,
    policy: str | Policy,
    as_of: date | None = None,
    *,
    levers: bool = True,
    review: bool = False,
) -> Result:
    """Evaluate one enterprise against one policy, with every clause explained and the levers
    of the next application window verified (``levers=False`` skips them)."""
    rules = resolve_policy(policy)
    result = explained(facts, rules, as_of)
    warning = rules.date_warning(result.as_of, review=review)
    if warning:
        result.warnings.append(warning)
    if facts.registered_on is not None and facts.registered_on > result.as_of:
        result.warnings.append(
            f"评估日期 {result.as_of.isoformat()} 早于注册日期 {facts.registered_on.isoformat()}，"
            "结论无意义"
        )
    if levers:
        found = verify_levers(facts, rules, result.as_of, explained)
        result.levers = found["levers"]
        result.lever_window = found["lever_window"]
        later = rules.date_warning(found["lever_window"]["as_of"], review=review)
        if later:  # e.g. the 2022 专精特新 rules are no longer in force next year
            result.lever_window["warning"] = f"下一申报窗口：{later}"
        result.blocked_by = found["blocked_by"]
        result.lever_plan = found["lever_plan"]
    else:
        result.levers = []
    return result


def explained(facts: EnterpriseFacts, rules: Policy, as_of: date | None) -> Result:
    """The explained evaluation with the engine's raw (unverified) levers."""
    ctx = Ctx(facts, as_of)
    explain = Explain(rules)
    _verdict, score_min, score_max, route = ENGINES[rules.engine](rules, ctx, explain)
    missing: list[str] = []
    for chk in explain.checks:
        chk["missing"] = (
            missing_facts(ctx, rules.checks[chk["key"]].facts)
            if chk["status"] == "manual_review"
            else []
        )
        missing.extend(entry for entry in chk["missing"] if entry not in missing)
    score = None
    if score_min is not None and score_max is not None and rules.pass_score is not None:
        score = {"min": score_min, "max": score_max, "pass": rules.pass_score}
    # gate levers (they flip an unmet check) first, then by points gained
    explain.levers.sort(key=lambda lv: (lv["gain"] is not None, -(lv["gain"] or 0)))
    return Result(
        id=facts.id,
        policy=rules.id,
        policy_name=rules.name,
        verdict=verdict_from_checks(explain.checks, score, route),
        route=route,
        score=score,
        checks=explain.checks,
        indicators=explain.indicators,
        levers=explain.levers,
        source=rules.source,
        effective_from=rules.effective_from,
        effective_until=rules.effective_until,
        unconfirmed=explain.unconfirmed_keys(),
        as_of=ctx.as_of,
        missing=missing,
    )
