"""Reward rules as data (奖补政策规则): load the YAML rule sets and compute amounts in words.

Pure Python like the eligibility engine: no Django, so a rule set can be checked and an amount
explained without a database. The database copy (models.RewardPolicy/RewardItem) is loaded from
these files by `services.policy_load` and may then be edited by the admin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

RULESET_DIR = Path(__file__).with_name("rulesets")
AMOUNT_KINDS = ("fixed", "tiered", "percentage")
LEVEL_LABELS = {
    "national": "国家级",
    "provincial": "省级",
    "municipal": "市级",
    "district": "区级",
}
BASE_LABELS = {"grant": "资助金额", "rd_expense": "研发费用", "upper_grant": "上级资助"}
CENT = Decimal("0.01")


class RuleError(ValueError):
    """A rule set that cannot be used, with the reason in Chinese."""


def yuan_words(amount: Decimal) -> str:
    """200000 → '20万元', 3000 → '3,000元', 2500.5 → '2,500.50元'."""
    amount = Decimal(amount)
    if amount >= 10000 and amount % 100 == 0:
        wan = amount / 10000
        text = format(wan.normalize(), "f") if wan != wan.to_integral() else f"{int(wan)}"
        return f"{text}万元"
    if amount == amount.to_integral():
        return f"{int(amount):,}元"
    return f"{amount:,.2f}元"


@dataclass(frozen=True)
class AmountRule:
    """How much an entitlement is worth: fixed, tiered by level, or a capped percentage."""

    kind: str
    yuan: Decimal | None = None  # fixed
    tiers: dict[str, Decimal] = field(default_factory=dict)  # tiered: level → 元
    base: str | None = None  # percentage: a fact name ("grant", "rd_expense", "upper_grant")
    rate: Decimal | None = None  # percentage, as a decimal (0.5 = 50%)
    cap_yuan: Decimal | None = None  # percentage (and optionally any kind): upper limit

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str) -> AmountRule:
        kind = data.get("kind")
        if kind not in AMOUNT_KINDS:
            raise RuleError(f"{where}：金额规则类型“{kind}”无效，应为 fixed、tiered 或 percentage")

        def money(key: str) -> Decimal | None:
            value = data.get(key)
            if value is None:
                return None
            number = Decimal(str(value))
            if number < 0:
                raise RuleError(f"{where}：{key} 不能为负数")
            return number

        rule = cls(
            kind=kind,
            yuan=money("yuan"),
            tiers={str(k): Decimal(str(v)) for k, v in (data.get("tiers") or {}).items()},
            base=data.get("base"),
            rate=money("rate"),
            cap_yuan=money("cap_yuan"),
        )
        if kind == "fixed" and rule.yuan is None:
            raise RuleError(f"{where}：固定金额规则缺少 yuan")
        if kind == "tiered" and not rule.tiers:
            raise RuleError(f"{where}：分档规则缺少 tiers")
        if kind == "percentage" and (rule.base not in BASE_LABELS or rule.rate is None):
            raise RuleError(f"{where}：比例规则需要 base（{'、'.join(BASE_LABELS)}）和 rate")
        return rule

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.yuan is not None:
            data["yuan"] = str(self.yuan)
        if self.tiers:
            data["tiers"] = {k: str(v) for k, v in self.tiers.items()}
        if self.base:
            data["base"] = self.base
        if self.rate is not None:
            data["rate"] = str(self.rate)
        if self.cap_yuan is not None:
            data["cap_yuan"] = str(self.cap_yuan)
        return data

    def compute(self, facts: dict[str, Any]) -> tuple[Decimal | None, str]:
        """(amount in 元, how it was computed in words); amount None when a fact is missing."""
        if self.kind == "fixed":
            amount, words = self.yuan, f"奖励{yuan_words(self.yuan)}"
        elif self.kind == "tiered":
            level = facts.get("level") or ""
            label = LEVEL_LABELS.get(level, level or "未注明级别")
            if level not in self.tiers:
                return None, f"{label}不在奖励分档内（{self._tier_words()}）"
            amount = self.tiers[level]
            words = f"按{label}标准奖励{yuan_words(amount)}"
        else:
            base_value = facts.get(self.base)
            label = BASE_LABELS[self.base]
            if base_value is None:
                return None, f"缺少{label}，无法按比例计算"
            base_value = Decimal(base_value)
            amount = (base_value * self.rate).quantize(CENT, ROUND_HALF_UP)
            percent = format((self.rate * 100).normalize(), "f")
            words = f"按{label}{yuan_words(base_value)}的{percent}%计{yuan_words(amount)}"
        if self.cap_yuan is not None and amount > self.cap_yuan:
            words += f"，超过上限{yuan_words(self.cap_yuan)}，按上限{yuan_words(self.cap_yuan)}兑现"
            amount = self.cap_yuan
        return amount, words

    def _tier_words(self) -> str:
        # Highest level first, whatever order the stored JSON kept (PostgreSQL's jsonb sorts keys).
        order = list(LEVEL_LABELS)
        tiers = sorted(
            self.tiers.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])
        )
        return "、".join(f"{LEVEL_LABELS.get(k, k)}{yuan_words(v)}" for k, v in tiers)

    def describe(self) -> str:
        """The rule in words, for the policy page."""
        if self.kind == "fixed":
            text = f"定额{yuan_words(self.yuan)}"
        elif self.kind == "tiered":
            text = f"按级别分档：{self._tier_words()}"
        else:
            percent = format((self.rate * 100).normalize(), "f")
            text = f"按{BASE_LABELS[self.base]}的{percent}%"
        if self.cap_yuan is not None:
            text += f"，最高不超过{yuan_words(self.cap_yuan)}"
        return text


@dataclass(frozen=True)
class ItemSpec:
    """One reward item (奖补事项) of a policy: trigger, amount, exclusions, budget line."""

    code: str
    name: str
    trigger: dict[str, Any]
    amount: AmountRule
    budget_line: str
    exclusive_group: str = ""  # 就高不重复: items in one group pay only the highest
    once_key: str = ""  # once per enterprise per title: never paid twice across years
    note: str = ""


@dataclass(frozen=True)
class PolicySpec:
    """A reward policy document (奖补政策) with its items and the budget of each year."""

    code: str
    name: str
    document_no: str
    issuer: str
    published_on: dt.date | None
    effective_from: dt.date
    effective_to: dt.date | None
    is_example: bool
    note: str
    budget_lines: dict[str, str]  # code → name
    budgets: dict[int, dict[str, Decimal]]  # year → line code → 万元
    items: list[ItemSpec]
    source: str = ""


def _date(value: Any, *, where: str, required: bool = False) -> dt.date | None:
    if value is None:
        if required:
            raise RuleError(f"{where}：缺少日期")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise RuleError(f"{where}：日期“{value}”格式应为 YYYY-MM-DD") from exc


def parse_policy(text: str, *, trigger_kinds: set[str] | None = None) -> PolicySpec:
    """Parse one rule set; every problem is a RuleError naming the item and the key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"规则文件不是有效的 YAML：{exc}") from exc
    if not isinstance(data, dict):
        raise RuleError("规则文件应为一个映射（政策名称、文号、事项……）")
    for key in ("code", "name", "effective_from", "items"):
        if key not in data:
            raise RuleError(f"规则文件缺少 {key}")
    lines = {str(line["code"]): str(line["name"]) for line in data.get("budget_lines") or []}
    items = []
    seen: set[str] = set()
    for raw in data["items"]:
        code = str(raw.get("code", ""))
        where = f"事项 {code or '（无编码）'}"
        if not code or code in seen:
            raise RuleError(f"{where}：编码为空或重复")
        seen.add(code)
        trigger = dict(raw.get("trigger") or {})
        if not trigger.get("kind"):
            raise RuleError(f"{where}：缺少触发条件 trigger.kind")
        if trigger_kinds is not None and trigger["kind"] not in trigger_kinds:
            raise RuleError(
                f"{where}：触发条件“{trigger['kind']}”尚未实现（可用：{'、'.join(sorted(trigger_kinds))}）"
            )
        line = str(raw.get("budget_line", ""))
        if line not in lines:
            raise RuleError(f"{where}：预算科目“{line}”未在 budget_lines 中定义")
        items.append(
            ItemSpec(
                code=code,
                name=str(raw.get("name") or code),
                trigger=trigger,
                amount=AmountRule.from_dict(raw.get("amount") or {}, where=where),
                budget_line=line,
                exclusive_group=str(raw.get("exclusive_group") or ""),
                once_key=str(raw.get("once_key") or ""),
                note=str(raw.get("note") or ""),
            )
        )
    budgets = {
        int(year): {str(k): Decimal(str(v)) for k, v in (values or {}).items()}
        for year, values in (data.get("budgets") or {}).items()
    }
    for year, values in budgets.items():
        for line in values:
            if line not in lines:
                raise RuleError(f"{year}年预算：科目“{line}”未在 budget_lines 中定义")
    return PolicySpec(
        code=str(data["code"]),
        name=str(data["name"]),
        document_no=str(data.get("document_no") or ""),
        issuer=str(data.get("issuer") or ""),
        published_on=_date(data.get("published_on"), where="发布日期"),
        effective_from=_date(data["effective_from"], where="生效日期", required=True),
        effective_to=_date(data.get("effective_to"), where="失效日期"),
        is_example=bool(data.get("example", False)),
        note=str(data.get("note") or ""),
        budget_lines=lines,
        budgets=budgets,
        items=items,
        source=text,
    )


def load_file(path: Path, *, trigger_kinds: set[str] | None = None) -> PolicySpec:
    return parse_policy(path.read_text(encoding="utf-8"), trigger_kinds=trigger_kinds)


def bundled_files() -> list[Path]:
    return sorted(RULESET_DIR.glob("*.yaml"))
