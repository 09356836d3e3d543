"""Shared primitives of the policy engines: the per-enterprise context, status helpers, exact
money and ratio arithmetic, and the explanation collector.

Statuses are ints (``MET``/``REVIEW``/``UNMET``) so that ``max`` combines an all-of and ``min``
an any-of. All money is ``Decimal`` 万元 and every threshold comparison is a
cross-multiplication (``rd >= 0.05 * revenue``), so no division or rounding influences a decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from ..facts import EnterpriseFacts, InputError, YearFigures
from ..loader import Policy, RulesetError

MET, REVIEW, UNMET = 0, 1, 2
STATUS = ("met", "manual_review", "unmet")
ELIGIBLE, POSSIBLE, INELIGIBLE = 0, 1, 2
VERDICTS = ("eligible", "possible", "ineligible")
ZERO = Decimal(0)
ONE = Decimal(1)
TWO = Decimal(2)
Q4 = Decimal("0.0001")
Q2 = Decimal("0.01")

Status = int
EMPTY = YearFigures(year=0)  # stands in for a fiscal year with no figures
Points = tuple[int, int]
EvalOut = tuple[int, int | None, int | None, str | None]


# --------------------------------------------------------------------------- context


class Ctx:
    """Per-enterprise evaluation context, computed once and shared by all policies."""

    __slots__ = (
        "age_days",
        "as_of",
        "cal_age",
        "facts",
        "fiscal_year",
        "memo",
        "nyears",
        "reg_year",
        "y0",
        "y1",
        "y2",
        "y3",
    )

    def __init__(self, facts: EnterpriseFacts, as_of: date | None = None) -> None:
        given = as_of or facts.as_of
        if given is None:
            raise InputError(facts.id, "as_of", "缺少申报日期 as_of（可用 --as-of 指定）")
        self.facts = facts
        self.as_of = given
        fiscal_year = given.year - 1
        self.fiscal_year = fiscal_year
        by = facts.by_year
        self.y0 = by.get(fiscal_year, EMPTY)
        self.y1 = by.get(fiscal_year - 1, EMPTY)
        self.y2 = by.get(fiscal_year - 2, EMPTY)
        self.y3 = by.get(fiscal_year - 3, EMPTY)
        self.memo: dict[tuple[str, int], tuple[Decimal, bool]] = {}
        registered = facts.registered_on
        if registered is None:
            self.age_days = None
            self.reg_year = None
            self.cal_age = None
            self.nyears = 3
        else:
            self.age_days = (given - registered).days
            ry = self.reg_year = registered.year
            self.cal_age = given.year - ry
            # fiscal years among Y-2..Y the enterprise operated in (at least 1)
            self.nyears = 3 if ry <= fiscal_year - 2 else (2 if ry == fiscal_year - 1 else 1)

    def row(self, back: int) -> YearFigures:
        """Figures of fiscal year Y − back; an all-``None`` row when not given."""
        return (self.y0, self.y1, self.y2, self.y3)[back]

    def operating(self, year: int) -> bool:
        """Did the enterprise exist during fiscal ``year`` (unknown registration → assume yes)?"""
        return self.reg_year is None or self.reg_year <= year


# --------------------------------------------------------------------------- helpers


def bst(item: bool | None) -> Status:
    """A flag that must be true."""
    return REVIEW if item is None else (MET if item else UNMET)


def nbst(item: bool | None) -> Status:
    """A flag that must be false."""
    return REVIEW if item is None else (UNMET if item else MET)


def valid_on(given: date | None, on: date) -> Status:
    """A title valid on ``on``; ``None`` means no such title."""
    return MET if given is not None and given >= on else UNMET


def ratio_ge(num: Decimal | int | None, den: Decimal | int | None, thr: Decimal) -> Status:
    if num is None or den is None or den <= 0:
        return REVIEW
    return MET if num >= thr * den else UNMET


def ratio_le(num: Decimal | None, den: Decimal | None, thr: Decimal) -> Status:
    if num is None or den is None or den <= 0:
        return REVIEW
    return MET if num <= thr * den else UNMET


def ge(item: Decimal | int | None, thr: Decimal | int) -> Status:
    return REVIEW if item is None else (MET if item >= thr else UNMET)


def le(item: Decimal | int | None, thr: Decimal | int) -> Status:
    return REVIEW if item is None else (MET if item <= thr else UNMET)


def tier_pts(num: Decimal | int, den: Decimal | int, tiers: list[list[Decimal]]) -> int:
    """Points of the first tier whose (inclusive) lower bound ``num/den`` reaches."""
    for tier in tiers:
        if num >= tier[0] * den:
            return int(tier[1])
    return 0


def tier_pts_max(num: Decimal, den: Decimal, tiers: list[list[Decimal]]) -> int:
    """Points of the first tier whose (inclusive) upper bound ``num/den`` stays within."""
    for tier in tiers:
        if num <= tier[0] * den:
            return int(tier[1])
    return 0


def tier_pts_max_strict(num: Decimal, den: Decimal, tiers: list[list[Decimal]]) -> int:
    """As :func:`tier_pts_max` with exclusive bounds (a ratio exactly on a bound falls to the
    worse tier): the alternative reading of "…以下"."""
    for tier in tiers:
        if num < tier[0] * den:
            return int(tier[1])
    return 0


def window(ctx: Ctx, attr: str, span: int) -> tuple[Decimal, bool]:
    """Sum of ``attr`` over the last ``n`` fiscal years the enterprise operated; complete?"""
    key = (attr, span)
    hit = ctx.memo.get(key)
    if hit is not None:
        return hit
    total = ZERO
    complete = True
    for back in range(span):
        year = ctx.fiscal_year - back
        if not ctx.operating(year):
            continue
        item = getattr(ctx.row(back), attr)
        if item is None:
            complete = False
        else:
            total += item
    ctx.memo[key] = (total, complete)
    return total, complete


def window_ge(ctx: Ctx, attr: str, span: int, thr: Decimal) -> Status:
    """Sum over a window of a non-negative amount ≥ thr (partial sums that already reach it
    count as met)."""
    total, complete = window(ctx, attr, span)
    if total >= thr:
        return MET
    return UNMET if complete else REVIEW


def rd_inst_status(ctx: Ctx) -> Status:
    """Recognised R&D institution at provincial/ministerial level or above."""
    lvl = ctx.facts.rd_institution_level
    pri = ctx.facts.honours.provincial_rd_institution
    if pri or lvl in ("national", "provincial"):
        return MET
    if pri is False or lvl is not None:
        return UNMET
    return REVIEW


def money(given: Decimal | None) -> Decimal | None:
    """Display form of an amount: at most 4 decimals (1 元), trailing zeros dropped."""
    if given is None:
        return None
    rounded = given.quantize(Q4, ROUND_HALF_UP)
    return rounded.normalize() if rounded != rounded.to_integral_value() else rounded.quantize(ONE)


def gap_money(given: Decimal) -> Decimal:
    """Amount still needed, rounded *up* to 0.01万元 so that adding it is enough."""
    rounded = given.quantize(Q2, ROUND_CEILING)
    return rounded.normalize() if rounded != rounded.to_integral_value() else rounded.quantize(ONE)


def ceil_int(given: Decimal) -> int:
    return int(given.to_integral_value(ROUND_CEILING))


def ratio(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    if num is None or den is None or den == 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Q4, ROUND_HALF_UP)


def fmt(given: Decimal | int | None) -> str:
    if given is None:
        return "未知"
    if isinstance(given, int):
        return str(given)
    shown = money(given)
    return format(shown, "f") if shown is not None else "未知"


Change = dict[str, Any]


def year_path(year: int, name: str) -> str:
    """Fact path of a fiscal-year figure, e.g. ``financials[2025].rd_expense``."""
    return f"financials[{year}].{name}"


def add(path: str, delta: Decimal | int) -> Change:
    """A relative change of one fact (what-if / lever)."""
    return {"path": path, "delta": delta}


def yi(amount_wan: Decimal | int) -> str:
    """万元 → 亿元 text for labels quoted from the YAML (50000 → "5")."""
    return fmt(Decimal(amount_wan) / 10000)


def pct(given: Decimal | None) -> str:
    if given is None:
        return "未知"
    text = format((given * 100).quantize(Q2, ROUND_HALF_UP).normalize(), "f")
    return text + "%"


# --------------------------------------------------------------------------- explanation


@dataclass(slots=True)
class Explain:
    policy: Policy
    checks: list[dict[str, Any]] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    levers: list[dict[str, Any]] = field(default_factory=list)
    groups: list[str | None] = field(default_factory=list)
    unconfirmed: set[str] = field(default_factory=set)

    def check(
        self,
        key: str,
        st: Status,
        actual: Any = None,
        required: Any = None,
        gap: Any = None,
        note: str | None = None,
        *,
        group: str | None = None,
        lever: str | None = None,
        changes: list[Change] | None = None,
        confidence: str | None = None,
        readings: tuple[Status, Status] | None = None,
    ) -> None:
        """``readings`` = (this engine's reading, the YAML ``alternative``) of an ambiguous
        clause when both were evaluated; differing outcomes make ``st`` manual review."""
        spec = self.policy.checks[key]
        conf = confidence or spec.confidence
        if readings is not None:
            conf = "U"
            if readings[0] != readings[1]:
                both = (
                    f"两种理解结论不同：本引擎理解{STATUS_CN[STATUS[readings[0]]]}；"
                    f"另一理解（{spec.alternative}）{STATUS_CN[STATUS[readings[1]]]}，需人工确认"
                )
                note = f"{note}；{both}" if note else both
        if st == MET:
            gap = None
        self.checks.append(
            {
                "key": key,
                "label": spec.label,
                "status": STATUS[st],
                "actual": actual,
                "required": required,
                "gap": gap,
                "confidence": conf,
                "note": note,
            }
        )
        if readings is not None:
            self.checks[-1]["readings"] = {
                "engine": STATUS[readings[0]],
                "alternative": STATUS[readings[1]],
                "alternative_reading": spec.alternative,
            }
        self.groups.append(group)
        if st == UNMET and lever and changes:
            self.levers.append(
                {
                    "key": key,
                    "label": spec.label,
                    "change": lever,
                    "gain": None,
                    "target": key,
                    "changes": changes,
                }
            )

    def ind(
        self,
        key: str,
        pts: Points,
        actual: Any = None,
        band: str | None = None,
        *,
        label: str | None = None,
        confidence: str | None = None,
    ) -> None:
        spec = self.policy.indicators[key]
        self.indicators.append(
            {
                "key": key,
                "label": label or spec["label"],
                "points": {"min": pts[0], "max": pts[1]},
                "max": int(spec["max"]),
                "actual": actual,
                "band": band,
                "confidence": confidence or spec["confidence"],
            }
        )

    def lever(
        self, key: str, label: str, change: str, gain: int | None, changes: list[Change]
    ) -> None:
        """A score lever: ``changes`` raise indicator ``key`` by ``gain`` points."""
        self.levers.append(
            {
                "key": key,
                "label": label,
                "change": change,
                "gain": gain,
                "target": key,
                "changes": changes,
            }
        )

    def finalize(self, route_group: str | None, alt_group: str | None, alt_best: Status) -> None:
        """Keep the ungrouped checks and the chosen route's; of an alternative (any-of) group
        keep only the members with the best status. Summarise the route not taken."""
        kept: list[dict[str, Any]] = []
        dropped: list[dict[str, Any]] = []
        for chk, route_of in zip(self.checks, self.groups, strict=True):
            if route_of is None or (
                route_of == route_group
                and (route_of != alt_group or chk["status"] == STATUS[alt_best])
            ):
                kept.append(chk)
            else:
                dropped.append(chk)
        if dropped and kept:
            summary = "；".join(
                f"{given['label']}：{STATUS_CN[given['status']]}" for given in dropped
            )
            target = next(
                (
                    kept_check
                    for kept_check in kept
                    if kept_check["key"]
                    in {
                        chk["key"]
                        for chk, route_of in zip(self.checks, self.groups, strict=True)
                        if route_of is not None
                    }
                ),
                kept[-1],
            )
            extra = f"未采用的路径/条件 — {summary}"
            target["note"] = f"{target['note']}；{extra}" if target["note"] else extra
        self.checks = kept

    def unconfirmed_keys(self) -> list[str]:
        """Keys of the [R]/[U] rules this result relied on."""
        keys = set(self.unconfirmed)
        keys.update(chk["key"] for chk in self.checks if chk["confidence"] in ("R", "U"))
        keys.update(entry["key"] for entry in self.indicators if entry["confidence"] in ("R", "U"))
        return sorted(keys)


STATUS_CN = {"met": "满足", "unmet": "不满足", "manual_review": "待人工审核"}


def choose_route(basic: Status, main: Status, alt_best: Status) -> tuple[int, bool]:
    """(verdict, use_alternative). Alternative (direct) route wins when it is met or strictly
    better than the main route."""
    v_main = max(basic, main)
    v_alt = max(basic, alt_best)
    if alt_best == MET or v_alt < v_main:
        return v_alt, True
    return v_main, False


def either_reading(engine_reading: Status, alternative: Status) -> Status:
    """An ambiguous clause read both ways: the same outcome decides, different outcomes go to
    manual review (never a silent hard fail)."""
    return engine_reading if engine_reading == alternative else REVIEW


def pass_mark(policy: Policy) -> int:
    """The rule set's pass mark (``pass_score`` in the YAML); a scoring policy without one is a
    rule-set error, not a silent default."""
    if policy.pass_score is None:
        raise RulesetError(f"{policy.id}: pass_score missing")
    return policy.pass_score


def indicator_max(policy: Policy, key: str) -> int:
    """Maximum points of an indicator (``indicators.<key>.max`` in the YAML)."""
    return int(policy.indicators[key]["max"])


def score_status(smin: int, smax: int, pass_: int) -> Status:
    return MET if smin >= pass_ else (UNMET if smax < pass_ else REVIEW)


# ---------------------------------------------------------------- shared by several families


def next_tier(tiers: list[list[Decimal]], current: int) -> list[Decimal] | None:
    better = [tier for tier in tiers if int(tier[1]) > current]
    return better[-1] if better else None


def ip_pick(pts: dict[str, int], hv: int, sd: int, c1: int, c2: int) -> int:
    if hv >= 1:
        return pts["high_value"]
    if sd >= 1:
        return pts["self_developed"]
    if c1 >= 1:
        return pts["class1"]
    if c2 >= 1:
        return pts["class2"]
    return 0


def ip_tier(ip: Any, pts: dict[str, int]) -> Points:
    """高价值Ⅰ类 > 自主研发Ⅰ类 > Ⅰ类 > Ⅱ类 > none, with unknown counts ranged."""
    c1, hv, sd, c2 = ip.class1, ip.class1_high_value, ip.class1_self_developed, ip.class2
    lo = ip_pick(pts, hv or 0, sd or 0, c1 or 0, c2 or 0)
    if c1 is not None and hv is not None and sd is not None and c2 is not None:
        return lo, lo
    c1_hi = 1 if c1 is None else c1
    if c1_hi >= 1:
        hi = ip_pick(
            pts, 1 if hv is None else hv, 1 if sd is None else sd, c1_hi, 1 if c2 is None else c2
        )
    else:
        hi = ip_pick(pts, 0, 0, 0, 1 if c2 is None else c2)
    return lo, hi


GROWTH_FACTOR_CACHE: dict[int, list[tuple[Decimal, int]]] = {}


def growth_factors(tiers: list[list[Any]]) -> list[tuple[Decimal, int]]:
    """[(2·(1 + t), points)] for average-growth tiers, computed once per tier list."""
    got = GROWTH_FACTOR_CACHE.get(id(tiers))
    if got is None:
        got = GROWTH_FACTOR_CACHE[id(tiers)] = [
            (TWO * (ONE + tier[0]), int(tier[1])) for tier in tiers
        ]
    return got


def avg_growth_ge(v1: Decimal, v2: Decimal, v3: Decimal, tier: Decimal) -> bool:
    """½(v2/v1 + v3/v2) − 1 ≥ t, for v1, v2 > 0, without division."""
    return v2 * v2 + v1 * v3 >= TWO * (ONE + tier) * v1 * v2


def avg_growth(v1: Decimal | None, v2: Decimal | None, v3: Decimal | None) -> Decimal | None:
    if v1 is None or v2 is None or v3 is None or v1 <= 0 or v2 <= 0:
        return None
    return ((v2 / v1 + v3 / v2) / TWO - ONE).quantize(Q4, ROUND_HALF_UP)


def common_gate(ctx: Ctx, policy: Policy) -> tuple[Status, Status]:
    fl = ctx.facts.flags
    return bst(fl.sme), max(
        nbst(fl.serious_dishonesty), nbst(fl.prohibited_industry), incident_status(ctx, policy)[0]
    )


INCIDENT_KIND_CN = {
    "safety": "安全",
    "quality": "质量",
    "environment": "环境",
    "tax": "税务",
    "dishonesty": "失信",
    "data_security": "数据安全",
}
INCIDENT_SEVERITY_CN = {"major": "重大", "serious": "严重", "general": "一般"}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def incident_window_start(as_of: date, period: str) -> date:
    """First day of the rule set's incident window (the window ends on ``as_of``)."""
    if period == "previous_and_current_year":
        return date(as_of.year - 1, 1, 1)
    if period == "one_year":
        return years_before(as_of, 1)
    if period == "three_years":
        return years_before(as_of, 3)
    raise RulesetError(f"unknown incident period {period!r}")


def incident_status(ctx: Ctx, policy: Policy) -> tuple[Status, str | None]:
    """Dated incidents against this rule set's own window (YAML ``incident_window``). Without
    an ``incidents`` list the legacy ``flags.major_incident`` decides: false → met, true (date
    unknown) or unknown → manual review."""
    spec = policy.extra["incident_window"]
    incidents = ctx.facts.incidents
    if incidents is None:
        flag = ctx.facts.flags.major_incident
        if flag is None:
            return REVIEW, "未提供事故、违法或失信事件记录，需人工核查"
        if flag:
            return (
                REVIEW,
                "已报告重大事故/违法事件但无发生日期，无法判断是否在本办法的期间内，需人工核查",
            )
        return MET, None
    start = incident_window_start(ctx.as_of, spec["period"])
    relevant = [
        entry
        for entry in incidents
        if entry.kind in spec["kinds"] and entry.severity in spec["severities"]
    ]
    for incident in relevant:
        if incident.date is not None and start <= incident.date <= ctx.as_of:
            return UNMET, (
                f"{incident.date.isoformat()}发生{INCIDENT_SEVERITY_CN[incident.severity]}"
                f"{INCIDENT_KIND_CN[incident.kind]}事件，在{start.isoformat()}至"
                f"{ctx.as_of.isoformat()}期间内（{spec['text']}）"
            )
    if any(entry.date is None for entry in relevant):
        return REVIEW, "有未注明日期的事故/违法事件，需核实是否在本办法的期间内"
    return MET, None


def rd_each_year(
    ctx: Ctx, span: int, amount: Decimal | None, share: Decimal | None
) -> tuple[Status, Status, Decimal, Decimal]:
    """R&D each year ≥ amount / ≥ share × revenue; gaps summed over the years."""
    s_amt = s_rat = MET
    gap_a = gap_r = ZERO
    for back in range(span):
        registered = ctx.row(back)
        rd = registered.rd_expense
        rev = registered.revenue
        if amount is not None:
            if rd is None:
                s_amt = max(s_amt, REVIEW)
            elif rd < amount:
                s_amt = UNMET
                gap_a += amount - rd
        if share is not None:
            st = ratio_ge(rd, rev, share)
            s_rat = max(s_rat, st)
            if st == UNMET:
                gap_r += share * rev - rd  # type: ignore[operator]
    return s_amt, s_rat, gap_a, gap_r


def rd_changes(
    ctx: Ctx, amount: Decimal | None = None, share: Decimal | None = None
) -> list[Change] | None:
    """The R&D change of the evaluated fiscal year that meets ``rd ≥ amount`` and
    ``rd ≥ share × revenue`` (a lever changes only that year; earlier years are closed)."""
    row = ctx.y0
    rd = row.rd_expense
    if rd is None:
        return None
    need = ZERO
    if amount is not None:
        need = max(need, amount - rd)
    if share is not None and row.revenue is not None:
        need = max(need, share * row.revenue - rd)
    if need <= 0:
        return None
    return [add(year_path(ctx.fiscal_year, "rd_expense"), gap_money(need))]


def rd_lever_text(ctx: Ctx, changes: list[Change] | None) -> str | None:
    if not changes:
        return None
    return f"{ctx.fiscal_year}年研发费用增加{fmt(changes[0]['delta'])}万元"


def share_gap(part: Decimal, whole: Decimal, threshold: Decimal) -> Decimal:
    """Exact gap of a share whose numerator is part of its denominator: adding x to both,
    (part + x) / (whole + x) ≥ t  ⇔  x ≥ (t·whole − part) / (1 − t)."""
    return gap_money((threshold * whole - part) / (ONE - threshold))


def main_share_check(
    explain: Explain,
    ctx: Ctx,
    status: Status,
    main: Decimal | None,
    revenue: Decimal | None,
    threshold: Decimal,
) -> None:
    """主营业务收入占营业收入比重 ≥ t, with the exact gap (new 主营 also raises 营业收入)."""
    gap = (
        share_gap(main, revenue, threshold)
        if status == UNMET and main is not None and revenue is not None
        else None
    )
    year = ctx.fiscal_year
    explain.check(
        "main_share",
        status,
        ratio(main, revenue),
        threshold,
        gap,
        f"主营业务收入还需增加{fmt(gap)}万元（新增主营收入同时计入营业收入："
        f"x = ({pct(threshold)}×营业收入 − 主营)/(1 − {pct(threshold)})）"
        if gap is not None
        else ("缺少主营业务收入或营业收入" if status == REVIEW else None),
        lever=f"{year}年主营业务收入增加{fmt(gap)}万元（营业收入同增）"
        if gap is not None
        else None,
        changes=[add(year_path(year, "main_revenue"), gap), add(year_path(year, "revenue"), gap)]
        if gap is not None
        else None,
    )


def missing_facts(ctx: Ctx, templates: tuple[str, ...]) -> list[str]:
    """Paths (with real years) of the facts among ``templates`` that are absent; years the
    enterprise did not yet exist in are not missing."""
    out: list[str] = []
    facts = ctx.facts
    for template in templates:
        if template.startswith("financials[Y"):
            back = int(template[len("financials[Y") : template.index("]")] or 0)
            year = ctx.fiscal_year + back  # back is 0 or negative
            if not ctx.operating(year):
                continue
            name = template[template.index("].") + 2 :]
            value = getattr(facts.by_year.get(year, EMPTY), name)
            path = f"financials[{year}].{name}"
        elif "." in template:
            group, name = template.split(".", 1)
            value = getattr(getattr(facts, group), name)
            path = template
        else:
            value = getattr(facts, template)
            path = template
        if value is None and path not in out:
            out.append(path)
    return out


def region_status(item: str | None, want: str) -> Status:
    if item is None:
        return REVIEW
    return MET if item.strip().rstrip("省市") == want else UNMET


def conj(*sts: Status) -> Status:
    return max(sts)


def investment_checks(facts: EnterpriseFacts) -> tuple[Status, Status]:
    return bst(facts.funding.has_institutional_investment), nbst(facts.flags.listed)


def money_check(
    explain: Explain,
    key: str,
    st: Status,
    actual: Decimal | None,
    req: Decimal,
    unit: str,
    what: str,
    readings: tuple[Status, Status] | None = None,
) -> None:
    route_of = gap_money(req - actual) if st == UNMET and actual is not None else None
    explain.check(
        key,
        st,
        money(actual),
        req,
        route_of,
        f"{what}还差{fmt(route_of)}{unit}"
        if route_of is not None
        else (f"缺少{what}数据（{unit}）" if actual is None else None),
        readings=readings,
    )
