"""Load the versioned rule sets (``rulesets/*.yaml``) into :class:`Policy` objects."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "RULESET_DIR",
    "CheckSpec",
    "Policy",
    "families",
    "load_policies",
    "policies_in_force",
    "policy_ids",
]

RULESET_DIR = Path(__file__).with_name("rulesets")
CONFIDENCE = ("C", "R", "U")
FACT_TEMPLATE = re.compile(r"^(financials\[Y(-[1-3])?\]\.\w+|\w+(\.\w+)?)$")
# Display order (the ladder); rule sets not listed here follow alphabetically.
ORDER = (
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
)


@dataclass(frozen=True, slots=True)
class CheckSpec:
    key: str
    label: str
    confidence: str
    # The numbers and dates the check decides on ("financials[Y-1].revenue" with Y the data
    # year): when the check awaits review and one of them is absent, it is listed as missing.
    facts: tuple[str, ...] = ()
    # The other reading of an ambiguous clause ([U]); the engine evaluates both.
    alternative: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Policy:
    """One versioned rule set. Numbers in ``params``/``indicators`` are Decimals."""

    id: str
    family: str
    family_name: str
    name: str
    engine: str
    source: str
    effective_from: date
    effective_until: date | None
    confidence: str
    pass_score: int | None
    params: dict[str, Any]
    checks: dict[str, CheckSpec]
    indicators: dict[str, dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    source_urls: tuple[str, ...] = ()
    review_until: date | None = None

    def in_force(self, on: date, *, review: bool = False) -> bool:
        """In force on ``on``; with ``review`` (复核 of existing holders) a version also applies
        until its ``review_until`` (e.g. the 2026 小巨人 复核 round used the 2022 standard)."""
        until = self.effective_until
        if review and self.review_until is not None:
            until = self.review_until
        return self.effective_from <= on and (until is None or on <= until)

    def date_warning(self, on: date, *, review: bool = False) -> str | None:
        """A warning when ``on`` lies outside the rule set's dates, else ``None``."""
        if self.in_force(on, review=review):
            return None
        until = self.review_until if review and self.review_until else self.effective_until
        span = f"{self.effective_from.isoformat()}起" + (f"至{until.isoformat()}" if until else "")
        return f"规则集 {self.id} 的适用期为{span}，评估日期 {on.isoformat()} 不在其内"

    def __repr__(self) -> str:
        return f"Policy({self.id!r})"


def _dec(v: Any) -> Any:
    """Recursively turn YAML floats into exact Decimals (via repr: 0.3 → Decimal('0.3')).
    Integers stay ``int`` (they mix exactly with Decimal and are cheaper)."""
    if isinstance(v, bool) or v is None or isinstance(v, str | date | int):
        return v
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        return {k: _dec(x) for k, x in v.items()}
    return v


class RulesetError(ValueError):
    pass


def _parse_policy(path: Path) -> Policy:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise RulesetError(f"{path.name}: not a mapping")
    pid = raw.get("id")
    if pid != path.stem:
        raise RulesetError(f"{path.name}: id {pid!r} does not match the file name")
    for req in (
        "family",
        "family_name",
        "name",
        "engine",
        "source",
        "effective_from",
        "confidence",
        "checks",
    ):
        if raw.get(req) in (None, ""):
            raise RulesetError(f"{path.name}: missing {req}")
    if raw["confidence"] not in CONFIDENCE:
        raise RulesetError(f"{path.name}: confidence must be one of {CONFIDENCE}")
    checks: dict[str, CheckSpec] = {}
    for key, spec in (raw.get("checks") or {}).items():
        if not isinstance(spec, dict) or not spec.get("label"):
            raise RulesetError(f"{path.name}: check {key} needs a label")
        conf = spec.get("confidence")
        if conf not in CONFIDENCE:
            raise RulesetError(f"{path.name}: check {key} confidence must be C/R/U")
        facts = tuple(spec.get("facts") or ())
        for fact in facts:
            if not FACT_TEMPLATE.match(str(fact)):
                raise RulesetError(f"{path.name}: check {key} fact path {fact!r} is invalid")
        checks[key] = CheckSpec(key, str(spec["label"]), conf, facts, spec.get("alternative"))
    indicators: dict[str, dict[str, Any]] = {}
    for key, spec in (raw.get("indicators") or {}).items():
        if (
            not isinstance(spec, dict)
            or not spec.get("label")
            or spec.get("confidence") not in (CONFIDENCE)
        ):
            raise RulesetError(f"{path.name}: indicator {key} needs label and confidence")
        indicators[key] = _dec(spec)
    ef, eu = raw["effective_from"], raw.get("effective_until")
    if not isinstance(ef, date) or (eu is not None and not isinstance(eu, date)):
        raise RulesetError(f"{path.name}: effective dates must be YYYY-MM-DD")
    known = {
        "id",
        "family",
        "family_name",
        "name",
        "engine",
        "source",
        "source_urls",
        "effective_from",
        "effective_until",
        "confidence",
        "pass_score",
        "params",
        "checks",
        "indicators",
        "notes",
        "data_period",
        "review_until",
    }
    extra = {k: _dec(v) for k, v in raw.items() if k not in known}
    ps = raw.get("pass_score")
    return Policy(
        id=pid,
        family=raw["family"],
        family_name=raw["family_name"],
        name=raw["name"],
        engine=raw["engine"],
        source=" ".join(str(raw["source"]).split()),
        effective_from=ef,
        effective_until=eu,
        confidence=raw["confidence"],
        pass_score=int(ps) if ps is not None else None,
        params=_dec(raw.get("params") or {}),
        checks=checks,
        indicators=indicators,
        extra=extra,
        notes=tuple(raw.get("notes") or ()),
        source_urls=tuple(raw.get("source_urls") or ()),
        review_until=raw.get("review_until"),
    )


@functools.cache
def _load(directory: str) -> dict[str, Policy]:
    # The engine name is checked against the registry when a policy is resolved
    # (engine.resolve_policy) and by tests/test_isolation.py; the loader imports no engine code.
    out: dict[str, Policy] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        p = _parse_policy(path)
        out[p.id] = p
    rank = {pid: i for i, pid in enumerate(ORDER)}
    return dict(sorted(out.items(), key=lambda kv: (rank.get(kv[0], len(ORDER)), kv[0])))


def load_policies() -> dict[str, Policy]:
    """All policies keyed by id (cached; reads ``rulesets/*.yaml`` once)."""
    return dict(_load(str(RULESET_DIR)))


def policy_ids() -> list[str]:
    return list(_load(str(RULESET_DIR)))


def families() -> dict[str, str]:
    """Title family key → Chinese title name, e.g. ``{"srdi_sme": "专精特新中小企业", …}``."""
    out: dict[str, str] = {}
    for p in _load(str(RULESET_DIR)).values():
        out.setdefault(p.family, p.family_name)
    return out


def policies_in_force(family: str, on: date, *, review: bool = False) -> list[Policy]:
    """The policy version(s) of a title family in force on a date (several may apply,
    e.g. the GEI and the Jiangsu unicorn lists). With ``review`` (复核 of holders) a version
    kept for review (``review_until``) wins over the newer one. Raises KeyError for an
    unknown family."""
    pols = _load(str(RULESET_DIR))
    if family not in {p.family for p in pols.values()}:
        raise KeyError(f"unknown family {family!r}; valid: {', '.join(families())}")
    if review:
        kept = [
            p
            for p in pols.values()
            if p.family == family
            and p.review_until is not None
            and p.in_force(on, review=True)
            and not p.in_force(on)
        ]
        if kept:
            return kept
    return [p for p in pols.values() if p.family == family and p.in_force(on)]
