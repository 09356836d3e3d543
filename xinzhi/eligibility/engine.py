"""Evaluation of enterprise facts against a policy.

Each policy engine is one function ``fn(P, c, X)`` that computes every check status as an int
(``MET``/``REVIEW``/``UNMET``) and every indicator as integer ``[min, max]`` points, and returns
``(verdict, score_min, score_max, route)``. ``X`` is ``None`` on the batch path; on the
explained path it is an :class:`Explain` collector that receives the checks, indicators and
levers with their numbers. Because both paths run the same decisions, the batch and the full
evaluation cannot disagree; the explained path then recomputes the verdict from the emitted
checks (DESIGN §5 semantics) and the property test compares the two.

All money is ``Decimal`` 万元 and every threshold comparison is a cross-multiplication
(``rd >= 0.05 * revenue``), so no division or rounding influences a decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from .facts import EnterpriseFacts, InputError, YearFigures
from .loader import Policy

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
        "Y",
        "age_days",
        "as_of",
        "cal_age",
        "f",
        "memo",
        "nyears",
        "reg_year",
        "y0",
        "y1",
        "y2",
        "y3",
    )

    def __init__(self, f: EnterpriseFacts, as_of: date | None = None) -> None:
        d = as_of or f.as_of
        if d is None:
            raise InputError(f.id, "as_of", "缺少申报日期 as_of（可用 --as-of 指定）")
        self.f = f
        self.as_of = d
        Y = d.year - 1
        self.Y = Y
        by = f.by_year
        self.y0 = by.get(Y, EMPTY)
        self.y1 = by.get(Y - 1, EMPTY)
        self.y2 = by.get(Y - 2, EMPTY)
        self.y3 = by.get(Y - 3, EMPTY)
        self.memo: dict[tuple[str, int], tuple[Decimal, bool]] = {}
        r = f.registered_on
        if r is None:
            self.age_days = None
            self.reg_year = None
            self.cal_age = None
            self.nyears = 3
        else:
            self.age_days = (d - r).days
            ry = self.reg_year = r.year
            self.cal_age = d.year - ry
            # fiscal years among Y-2..Y the enterprise operated in (at least 1)
            self.nyears = 3 if ry <= Y - 2 else (2 if ry == Y - 1 else 1)

    def row(self, back: int) -> YearFigures:
        """Figures of fiscal year Y − back; an all-``None`` row when not given."""
        return (self.y0, self.y1, self.y2, self.y3)[back]

    def operating(self, year: int) -> bool:
        """Did the enterprise exist during fiscal ``year`` (unknown registration → assume yes)?"""
        return self.reg_year is None or self.reg_year <= year


# --------------------------------------------------------------------------- helpers


def bst(v: bool | None) -> Status:
    """A flag that must be true."""
    return REVIEW if v is None else (MET if v else UNMET)


def nbst(v: bool | None) -> Status:
    """A flag that must be false."""
    return REVIEW if v is None else (UNMET if v else MET)


def valid_on(d: date | None, on: date) -> Status:
    """A title valid on ``on``; ``None`` means no such title."""
    return MET if d is not None and d >= on else UNMET


def ratio_ge(num: Decimal | int | None, den: Decimal | int | None, thr: Decimal) -> Status:
    if num is None or den is None or den <= 0:
        return REVIEW
    return MET if num >= thr * den else UNMET


def ratio_le(num: Decimal | None, den: Decimal | None, thr: Decimal) -> Status:
    if num is None or den is None or den <= 0:
        return REVIEW
    return MET if num <= thr * den else UNMET


def ge(v: Decimal | int | None, thr: Decimal | int) -> Status:
    return REVIEW if v is None else (MET if v >= thr else UNMET)


def le(v: Decimal | int | None, thr: Decimal | int) -> Status:
    return REVIEW if v is None else (MET if v <= thr else UNMET)


def tier_pts(num: Decimal | int, den: Decimal | int, tiers: list[list[Decimal]]) -> int:
    """Points of the first tier whose (inclusive) lower bound ``num/den`` reaches."""
    for t in tiers:
        if num >= t[0] * den:
            return int(t[1])
    return 0


def tier_pts_max(num: Decimal, den: Decimal, tiers: list[list[Decimal]]) -> int:
    """Points of the first tier whose (inclusive) upper bound ``num/den`` stays within."""
    for t in tiers:
        if num <= t[0] * den:
            return int(t[1])
    return 0


def window(c: Ctx, attr: str, n: int) -> tuple[Decimal, bool]:
    """Sum of ``attr`` over the last ``n`` fiscal years the enterprise operated; complete?"""
    key = (attr, n)
    hit = c.memo.get(key)
    if hit is not None:
        return hit
    total = ZERO
    complete = True
    for back in range(n):
        year = c.Y - back
        if not c.operating(year):
            continue
        v = getattr(c.row(back), attr)
        if v is None:
            complete = False
        else:
            total += v
    c.memo[key] = (total, complete)
    return total, complete


def window_ge(c: Ctx, attr: str, n: int, thr: Decimal) -> Status:
    """Sum over a window of a non-negative amount ≥ thr (partial sums that already reach it
    count as met)."""
    total, complete = window(c, attr, n)
    if total >= thr:
        return MET
    return UNMET if complete else REVIEW


def rd_inst_status(c: Ctx) -> Status:
    """Recognised R&D institution at provincial/ministerial level or above."""
    lvl = c.f.rd_institution_level
    pri = c.f.honours.provincial_rd_institution
    if pri or lvl in ("national", "provincial"):
        return MET
    if pri is False or lvl is not None:
        return UNMET
    return REVIEW


def money(d: Decimal | None) -> Decimal | None:
    """Display form of an amount: at most 4 decimals (1 元), trailing zeros dropped."""
    if d is None:
        return None
    q = d.quantize(Q4, ROUND_HALF_UP)
    return q.normalize() if q != q.to_integral_value() else q.quantize(ONE)


def gap_money(d: Decimal) -> Decimal:
    """Amount still needed, rounded *up* to 0.01万元 so that adding it is enough."""
    q = d.quantize(Q2, ROUND_CEILING)
    return q.normalize() if q != q.to_integral_value() else q.quantize(ONE)


def ceil_int(d: Decimal) -> int:
    return int(d.to_integral_value(ROUND_CEILING))


def ratio(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    if num is None or den is None or den == 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(Q4, ROUND_HALF_UP)


def fmt(d: Decimal | int | None) -> str:
    if d is None:
        return "未知"
    if isinstance(d, int):
        return str(d)
    m = money(d)
    return format(m, "f") if m is not None else "未知"


def pct(d: Decimal | None) -> str:
    if d is None:
        return "未知"
    s = format((d * 100).quantize(Q2, ROUND_HALF_UP).normalize(), "f")
    return s + "%"


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
        self, key: str, st: Status, actual: Any = None, required: Any = None,
        gap: Any = None, note: str | None = None, *, group: str | None = None,
        lever: str | None = None, confidence: str | None = None,
    ) -> None:
        spec = self.policy.checks[key]
        conf = confidence or spec.confidence
        if st == MET:
            gap = None
        self.checks.append({
            "key": key, "label": spec.label, "status": STATUS[st], "actual": actual,
            "required": required, "gap": gap, "confidence": conf, "note": note,
        })
        self.groups.append(group)
        if st == UNMET and lever:
            self.levers.append({"key": key, "label": spec.label, "change": lever, "gain": None})

    def ind(
        self, key: str, pts: Points, actual: Any = None, band: str | None = None,
        *, label: str | None = None, confidence: str | None = None,
    ) -> None:
        spec = self.policy.indicators[key]
        self.indicators.append({
            "key": key, "label": label or spec["label"],
            "points": {"min": pts[0], "max": pts[1]}, "max": int(spec["max"]),
            "actual": actual, "band": band, "confidence": confidence or spec["confidence"],
        })

    def lever(self, key: str, label: str, change: str, gain: int | None) -> None:
        self.levers.append({"key": key, "label": label, "change": change, "gain": gain})

    def finalize(self, route_group: str | None, alt_group: str | None,
                 alt_best: Status) -> None:
        """Keep the ungrouped checks and the chosen route's; of an alternative (any-of) group
        keep only the members with the best status. Summarise the route not taken."""
        kept: list[dict[str, Any]] = []
        dropped: list[dict[str, Any]] = []
        for chk, g in zip(self.checks, self.groups, strict=True):
            if g is None or (g == route_group and (g != alt_group
                                                   or chk["status"] == STATUS[alt_best])):
                kept.append(chk)
            else:
                dropped.append(chk)
        if dropped and kept:
            summary = "；".join(f"{d['label']}：{_ST_CN[d['status']]}" for d in dropped)
            target = next((k for k in kept if k["key"] in
                           {chk["key"] for chk, g in zip(self.checks, self.groups, strict=True)
                            if g is not None}), kept[-1])
            extra = f"未采用的路径/条件 — {summary}"
            target["note"] = f"{target['note']}；{extra}" if target["note"] else extra
        self.checks = kept

    def unconfirmed_keys(self) -> list[str]:
        """Keys of the [R]/[U] rules this result relied on."""
        keys = set(self.unconfirmed)
        keys.update(c["key"] for c in self.checks if c["confidence"] in ("R", "U"))
        keys.update(i["key"] for i in self.indicators if i["confidence"] in ("R", "U"))
        return sorted(keys)


_ST_CN = {"met": "满足", "unmet": "不满足", "manual_review": "待人工审核"}


def choose_route(basic: Status, main: Status, alt_best: Status) -> tuple[int, bool]:
    """(verdict, use_alternative). Alternative (direct) route wins when it is met or strictly
    better than the main route."""
    v_main = max(basic, main)
    v_alt = max(basic, alt_best)
    if alt_best == MET or v_alt < v_main:
        return v_alt, True
    return v_main, False


def score_status(smin: int, smax: int, pass_: int) -> Status:
    return MET if smin >= pass_ else (UNMET if smax < pass_ else REVIEW)


# --------------------------------------------------------------------------- 科技型中小企业


def _tech_sme_rd_points(rd: Decimal | None, rev: Decimal | None, cost: Decimal | None,
                        spec: dict[str, Any]) -> tuple[int | None, int | None]:
    ps = None if rd is None or rev is None or rev <= 0 else tier_pts(rd, rev, spec["tiers_sales"])
    pc = None if rd is None or cost is None or cost <= 0 else tier_pts(rd, cost,
                                                                        spec["tiers_cost"])
    return ps, pc


def ev_tech_sme(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    y0 = c.y0
    fl = f.flags
    emp = f.employees
    rev = y0.revenue
    assets = y0.total_assets
    s_res = bst(fl.resident)
    s_emp = le(emp, pr["employees_max"])
    s_rev = le(rev, pr["revenue_max"])
    s_ast = le(assets, pr["assets_max"])
    s_ind = nbst(fl.prohibited_industry)
    s_int = max(nbst(fl.major_incident), nbst(fl.serious_dishonesty))
    basic = max(s_res, s_emp, s_rev, s_ast, s_ind, s_int)
    ind = P.indicators
    # A 科技人员
    ts = f.tech_staff
    if emp is None or ts is None or emp <= 0:
        a: Points = (0, 20)
    else:
        p = tier_pts(ts, emp, ind["tech_staff"]["tiers"])
        a = (p, p)
    # B 研发投入 (enterprise picks the better ratio)
    rd = y0.rd_expense
    cost = y0.total_cost
    ps, pc = _tech_sme_rd_points(rd, rev, cost, ind["rd_input"])
    if ps is None and pc is None:
        b: Points = (0, 50)
    elif ps is None or pc is None:
        known = ps if ps is not None else pc
        assert known is not None
        b = (known, 50)
    else:
        b = (max(ps, pc), max(ps, pc))
    # C 科技成果
    sr = ind["sci_results"]
    c1, c2 = f.ip.class1, f.ip.class2
    c2p = 0 if c2 is None else tier_pts(c2, 1, sr["class2_tiers"])
    if c1 is not None and c1 >= 1:
        cc: Points = (30, 30)
    elif c1 is None:
        cc = (c2p, 30)
    else:
        cc = (c2p, c2p) if c2 is not None else (0, 24)
    smin = a[0] + b[0] + cc[0]
    smax = a[1] + b[1] + cc[1]
    s_score = score_status(smin, smax, P.pass_score or 0)
    s_nz = MET if a[0] > 0 else (UNMET if a[1] == 0 else REVIEW)
    main = max(s_score, s_nz)
    hon = f.honours
    d_hnte = valid_on(hon.hnte_valid_until, c.as_of)
    d_award = bst(hon.national_award_top3_5y)
    d_inst = rd_inst_status(c)
    d_std = bst(hon.led_standard_5y)
    dbest = min(d_hnte, d_award, d_inst, d_std)
    verdict, direct = choose_route(basic, main, dbest)
    route = "direct" if direct else "score"
    if X is not None:
        X.check("resident", s_res, fl.resident, True)
        emp_over = emp - int(pr["employees_max"]) if s_emp == UNMET and emp is not None else None
        X.check("employees_cap", s_emp, emp, pr["employees_max"], emp_over,
                f"职工总数超出上限{emp_over}人" if emp_over is not None else
                ("缺少职工总数" if emp is None else None))
        rev_over = money(rev - pr["revenue_max"]) if s_rev == UNMET and rev is not None else None
        X.check("revenue_cap", s_rev, money(rev), pr["revenue_max"], rev_over,
                f"销售收入超出上限{fmt(rev_over)}万元" if rev_over is not None else
                ("缺少上一会计年度销售收入" if rev is None else None))
        ast_over = (money(assets - pr["assets_max"]) if s_ast == UNMET and assets is not None
                    else None)
        X.check("assets_cap", s_ast, money(assets), pr["assets_max"], ast_over,
                f"资产总额超出上限{fmt(ast_over)}万元" if ast_over is not None else
                ("缺少上一会计年度资产总额" if assets is None else None))
        X.check("industry_allowed", s_ind, None if fl.prohibited_industry is None
                else not fl.prohibited_industry, True)
        X.check("integrity", s_int, None if s_int == REVIEW else s_int == MET, True,
                note="未提供信用核查结果，需人工核查" if s_int == REVIEW else None)
        pass_ = P.pass_score or 60
        X.check("score_pass", s_score, {"min": smin, "max": smax}, pass_,
                pass_ - smax if s_score == UNMET else None,
                f"综合得分{smin}–{smax}分" + (f"，最高分还差{pass_ - smax}分"
                                            if s_score == UNMET else ""), group="score")
        X.check("tech_staff_nonzero", s_nz, a[0] if a[0] == a[1] else None, ">0",
                None if s_nz != UNMET or emp is None or ts is None
                else ceil_int(Decimal("0.10") * emp) - ts,
                f"科技人员还需增加{ceil_int(Decimal('0.10') * emp) - ts}人（职工总数不变）"
                if s_nz == UNMET and emp is not None and ts is not None else None,
                group="score")
        X.check("direct_hnte", d_hnte, hon.hnte_valid_until, f"≥{c.as_of.isoformat()}",
                group="direct")
        X.check("direct_national_award", d_award, hon.national_award_top3_5y, True,
                group="direct")
        X.check("direct_rd_institution", d_inst, f.rd_institution_level
                or hon.provincial_rd_institution, "provincial", group="direct")
        X.check("direct_led_standard", d_std, hon.led_standard_5y, True, group="direct",
                note="\"主导\"的名次口径未确认〔U〕" if d_std == MET else None,
                confidence="U" if d_std == MET else None)
        X.finalize("direct" if direct else "score", "direct", dbest)
        ts_ratio = ratio(ts, emp)
        X.ind("tech_staff", a, ts_ratio)
        basis = None
        if ps is not None or pc is not None:
            basis = "sales" if (pc is None or (ps is not None and ps >= pc)) else "cost"
        rd_label = {"sales": "研发投入（研发费用/销售收入）",
                    "cost": "研发投入（研发费用/成本费用总额）", None: "研发投入"}[basis]
        X.ind("rd_input", b, ratio(rd, rev if basis == "sales" else cost) if basis else None,
              label=rd_label)
        X.ind("sci_results", cc, {"class1": c1, "class2": c2})
        _tech_sme_levers(P, X, a, b, cc, emp, ts, rd, rev, cost, c1, c2)
    return verdict, smin, smax, route


def _next_tier(tiers: list[list[Decimal]], current: int) -> list[Decimal] | None:
    better = [t for t in tiers if int(t[1]) > current]
    return better[-1] if better else None


def _tech_sme_levers(P: Policy, X: Explain, a: Points, b: Points, cc: Points, emp: int | None,
                     ts: int | None, rd: Decimal | None, rev: Decimal | None,
                     cost: Decimal | None, c1: int | None, c2: int | None) -> None:
    ind = P.indicators
    if b[0] == b[1] and rd is not None:
        options: list[tuple[Decimal, str, int]] = []
        t = _next_tier(ind["rd_input"]["tiers_sales"], b[0])
        if t is not None and rev is not None and rev > 0:
            need = gap_money(t[0] * rev - rd)
            options.append((need, f"研发费用/销售收入达到{pct(t[0])}", int(t[1])))
        t = _next_tier(ind["rd_input"]["tiers_cost"], b[0])
        if t is not None and cost is not None and cost > 0:
            # R&D is itself part of 成本费用总额: (rd + x) / (cost + x) ≥ t
            need = gap_money((t[0] * cost - rd) / (ONE - t[0]))
            options.append((need, f"研发费用/成本费用总额达到{pct(t[0])}", int(t[1])))
        if options:
            need, how, pts = min(options, key=lambda o: o[0])
            X.lever("rd_input", "研发投入提高一档", f"研发费用增加{fmt(need)}万元（{how}）",
                    pts - b[0])
    if a[0] == a[1] and emp and ts is not None:
        t = _next_tier(ind["tech_staff"]["tiers"], a[0])
        if t is not None:
            need_n = ceil_int(t[0] * emp) - ts
            X.lever("tech_staff", "科技人员提高一档",
                    f"科技人员增加{need_n}人（达到职工总数的{pct(t[0])}，职工总数不变）",
                    int(t[1]) - a[0])
    if cc[0] == cc[1] and cc[0] < 30 and c1 == 0:
        X.lever("sci_results", "取得第一项Ⅰ类知识产权", "新增1项发明专利等Ⅰ类知识产权",
                30 - cc[0])
        if c2 is not None and c2 < 4:
            nxt = tier_pts(c2 + 1, 1, ind["sci_results"]["class2_tiers"])
            X.lever("sci_results", "增加Ⅱ类知识产权", "新增1项实用新型/外观设计/软件著作权",
                    nxt - cc[0])


# --------------------------------------------------------------------------- 高新技术企业


def growth_points(
    v1: Decimal | None, v2: Decimal | None, v3: Decimal | None, nyears: int,
    bands: list[Any], want_rate: bool = True,
) -> tuple[Points, str | None, Decimal | None, bool, str | None]:
    """高企成长性 one rate. Returns (points, band, rate, interpretation_flag, note).

    v1, v2, v3 are the values of years Y−2, Y−1, Y. ``nyears`` is how many of them the
    enterprise operated (3, 2 or 1)."""
    if nyears >= 3:
        if v1 is None or v2 is None or v3 is None:
            return (0, 10), None, None, False, "缺少近三年数据"
        if v2 == 0:
            return (0, 0), "F", None, False, "第二年末数值为0，按规定计0分"
        if v1 == 0:
            base, top, single = v2, v3, True
            note = "第一年末数值为0，按后两年计算"
        else:
            if v1 < 0 or v2 < 0:
                return (0, 0), "F", None, True, "基期数值为负，保守计0分，需人工复核〔U〕"
            # g = ½(v2/v1 + v3/v2) − 1 ;  g ≥ t ⇔ v2² + v1·v3 ≥ 2(1+t)·v1·v2  (v1, v2 > 0)
            lhs = v2 * v2 + v1 * v3
            prod = v1 * v2
            rate = (((v2 / v1 + v3 / v2) / TWO - ONE).quantize(Q4, ROUND_HALF_UP)
                    if want_rate else None)
            for t in bands:
                if lhs >= t[4] * prod:
                    return (t[2], t[3]), t[1], rate, False, None
            if lhs > TWO * prod:
                return (1, 2), "E", rate, False, None
            return (0, 0), "F", rate, False, None
        flag = False
    elif nyears == 2:
        if v2 is None or v3 is None:
            return (0, 10), None, None, True, "缺少近两年数据"
        base, top, single = v2, v3, True
        note = "经营不足3年，按两年单一比率计算（我方解释〔U〕），需人工复核"
        flag = True
    else:
        return (0, 0), "F", None, True, "经营不足2年，无法计算增长率，计0分（我方解释〔U〕）"
    assert single
    if base <= 0:
        return (0, 0), "F", None, True, (note + "；基期数值≤0，保守计0分〔U〕")
    rate = (top / base - ONE).quantize(Q4, ROUND_HALF_UP) if want_rate else None
    for t in bands:
        if top >= t[5] * base:
            return (t[2], t[3]), t[1], rate, flag, note
    if top > base:
        return (1, 2), "E", rate, flag, note
    return (0, 0), "F", rate, flag, note


def _hnte_rd_threshold(P: Policy, rev_latest: Decimal) -> Decimal:
    for cap, thr in P.params["rd_thresholds"]:
        if cap is None or rev_latest <= cap:
            return thr  # type: ignore[no-any-return]
    raise AssertionError("rd_thresholds needs a final open tier")


_KCACHE: dict[int, dict[str, Any]] = {}


def _hnte_consts(P: Policy) -> dict[str, Any]:
    k = _KCACHE.get(id(P))
    if k is None:
        ipspec = P.indicators["ip"]
        k = {
            "cb": {b[0]: (int(b[1]), int(b[2])) for b in ipspec["count_bands"]},
            "adv": tuple(int(x) for x in ipspec["tech_advancement"]),
            "core": tuple(int(x) for x in ipspec["core_support"]),
            "acq_self": tuple(int(x) for x in ipspec["acquisition_self"]),
            "acq_tr": tuple(int(x) for x in ipspec["acquisition_transferred"]),
            "std": tuple(int(x) for x in ipspec["standards_bonus"]),
            "fields": frozenset(P.params["fields"]),
            "conv": [(int(t[0]), t[1], int(t[2]), int(t[3]))
                     for t in P.indicators["conversion"]["bands"]],
            "gb": [(t[0], t[1], int(t[2]), int(t[3]), TWO * (ONE + t[0]), ONE + t[0])
                   for t in P.extra["growth_bands"]],
        }
        _KCACHE[id(P)] = k
    return k


def ev_hnte(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    ind = P.indicators
    K = _hnte_consts(P)
    y0 = c.y0
    ip = f.ip
    c1, c2 = ip.class1, ip.class2
    # 1 registered ≥ 365 days
    s_reg = ge(c.age_days, pr["min_days"])
    # 2 core IP (relevance needs expert judgment)
    no_ip = c1 == 0 and c2 == 0
    s_core = UNMET if (f.flags.has_core_ip is False or no_ip) else REVIEW
    # 3 field
    hf = f.hightech_field
    s_field = REVIEW if hf is None or hf in K["fields"] else UNMET
    # 4 tech staff ratio
    emp, ts = f.employees, f.tech_staff
    s_staff = ratio_ge(ts, emp, pr["tech_staff_ratio"])
    # 5 R&D intensity over the operated part of the last 3 fiscal years
    nyears = c.nyears
    years = (0, 1, 2)[:nyears]
    rows = (y0, c.y1, c.y2)[:nyears]
    rd_sum = rev_sum = dom_sum = ZERO
    rd_ok = dom_ok = True
    for r in rows:
        if r.rd_expense is None or r.revenue is None:
            rd_ok = dom_ok = False
            continue
        rd_sum += r.rd_expense
        rev_sum += r.revenue
        if r.rd_expense_domestic is None:
            dom_ok = False
        else:
            dom_sum += r.rd_expense_domestic
    rev_latest = y0.revenue
    thr = None if rev_latest is None else _hnte_rd_threshold(P, rev_latest)
    if not rd_ok or thr is None or rev_sum <= 0:
        s_rd = REVIEW
    else:
        s_rd = MET if rd_sum >= thr * rev_sum else UNMET
    if not dom_ok or not rd_ok or rd_sum <= 0:
        s_dom = REVIEW
    else:
        s_dom = MET if dom_sum >= pr["domestic_share"] * rd_sum else UNMET
    # 6 high-tech revenue share (latest year)
    htr, ti = y0.hightech_revenue, y0.total_income
    s_ht = ratio_ge(htr, ti, pr["hightech_share"])
    # 8 incident
    s_inc = nbst(f.flags.major_incident)
    # 7 innovation score
    cb = K["cb"]
    if c1 is not None and c1 >= 1:
        band: str | None = "A"
    elif c2 is not None and (c1 == 0 or c2 >= 5):
        band = "B" if c2 >= 5 else "C" if c2 >= 3 else "D" if c2 >= 1 else "E"
    else:
        band = None
    if band is not None and (c1 is not None or band == "B"):
        cnt = cb[band] if c1 is not None else (cb["B"][0], cb["A"][1])
        if c1 is None:
            band = None
    else:
        lo = cb[band][0] if band else 0
        cnt = (lo, cb["A"][1])
    if no_ip:
        adv = core = acq = (0, 0)
    elif c1 is None and c2 is None:
        adv = core = (0, 8)
        acq = (0, 6)
    else:
        adv = K["adv"]
        core = K["core"]
        sd = ip.class1_self_developed
        if sd is not None and sd >= 1:
            acq = K["acq_self"]
        elif c1 is not None and c1 >= 1 and sd == 0 and c2 == 0:
            acq = K["acq_tr"]
        else:
            acq = (1, K["acq_self"][1])
    spp = ip.standards_participation
    if spp or f.honours.led_standard_5y:
        std = K["std"]
    elif spp is False:
        std = (0, 0)
    else:
        std = (0, K["std"][1])
    ip_pts = (min(30, cnt[0] + adv[0] + core[0] + acq[0] + std[0]),
              min(30, cnt[1] + adv[1] + core[1] + acq[1] + std[1]))
    # conversion
    conv = f.conversions_3y
    divisor = nyears
    cv = ind["conversion"]
    if conv is None:
        conv_pts: Points = (0, 30)
        conv_band: str | None = None
    else:
        conv_pts = (0, 0)
        conv_band = "F"
        for t in K["conv"]:
            if conv >= t[0] * divisor:
                conv_pts, conv_band = (t[2], t[3]), t[1]
                break
    # R&D management: expert range unless given
    ms = f.rd_management_score
    mgmt = (0, 20) if ms is None else (ms, ms)
    # growth
    gb = K["gb"]
    na = [r.net_assets if r is not None and r.net_assets is not None
          else (r.net_assets_value() if r is not None else None) for r in (c.y2, c.y1, y0)]
    rv = [r.revenue for r in (c.y2, c.y1, y0)]
    explain = X is not None
    g_na = growth_points(na[0], na[1], na[2], nyears, gb, explain)
    g_rv = growth_points(rv[0], rv[1], rv[2], nyears, gb, explain)
    tmin = ip_pts[0] + conv_pts[0] + mgmt[0] + g_na[0][0] + g_rv[0][0]
    tmax = ip_pts[1] + conv_pts[1] + mgmt[1] + g_na[0][1] + g_rv[0][1]
    pass_ = P.pass_score or 71
    s_inn = score_status(tmin, tmax, pass_)
    interp = g_na[3] or g_rv[3]
    if interp and s_inn == MET:
        s_inn = REVIEW
    verdict = max(s_reg, s_core, s_field, s_staff, s_rd, s_dom, s_ht, s_inn, s_inc)
    if X is not None:
        X.check("registered_365d", s_reg, c.age_days, int(pr["min_days"]),
                None if c.age_days is None or s_reg != UNMET else int(pr["min_days"]) - c.age_days,
                f"还需{int(pr['min_days']) - c.age_days}天" if s_reg == UNMET and c.age_days
                is not None else ("缺少注册日期" if c.age_days is None else None))
        X.check("core_ip", s_core, {"class1": c1, "class2": c2, "has_core_ip": f.flags.has_core_ip},
                True, note="无知识产权，不能认定" if no_ip else
                "企业声明无核心知识产权" if f.flags.has_core_ip is False else
                "知识产权对主要产品的核心支持作用需专家判断")
        X.check("hightech_field", s_field, hf, "八大领域之一",
                note=("缺少技术领域" if hf is None else
                      f"{hf}不属于《国家重点支持的高新技术领域》八大领域" if s_field == UNMET
                      else "核心技术是否属于该领域需专家判断"))
        staff_gap = (ceil_int(pr["tech_staff_ratio"] * emp) - ts
                     if s_staff == UNMET and emp is not None and ts is not None else None)
        X.check("tech_staff_ratio", s_staff, ratio(ts, emp), pr["tech_staff_ratio"], staff_gap,
                f"科技人员还需增加{staff_gap}人（职工总数不变）" if staff_gap else
                ("缺少职工总数或科技人员数" if s_staff == REVIEW else None),
                lever=f"科技人员增加{staff_gap}人" if staff_gap else None)
        rd_gap = gap_money(thr * rev_sum - rd_sum) if s_rd == UNMET and thr is not None else None
        period = f"{c.Y - years[-1]}–{c.Y}年" if len(years) > 1 else f"{c.Y}年"
        X.check("rd_intensity", s_rd, ratio(rd_sum, rev_sum) if rd_ok else None, thr, rd_gap,
                f"{period}研发费用还需增加{fmt(rd_gap)}万元" if rd_gap is not None else
                (f"按{period}计算（经营不足3年按实际经营期）" if len(years) < 3 and rd_ok
                 else "缺少近三年销售收入或研发费用" if not rd_ok else None),
                lever=f"{period}研发费用合计增加{fmt(rd_gap)}万元" if rd_gap is not None else None)
        dom_gap = (gap_money(pr["domestic_share"] * rd_sum - dom_sum)
                   if s_dom == UNMET else None)
        X.check("rd_domestic_share", s_dom, ratio(dom_sum, rd_sum) if dom_ok else None,
                pr["domestic_share"], dom_gap,
                f"境内研发费用还需增加{fmt(dom_gap)}万元" if dom_gap is not None else
                ("缺少境内研发费用" if s_dom == REVIEW else None),
                lever=f"境内研发费用增加{fmt(dom_gap)}万元" if dom_gap is not None else None)
        ht_gap = (gap_money(pr["hightech_share"] * ti - htr)
                  if s_ht == UNMET and ti is not None and htr is not None else None)
        X.check("hightech_revenue_share", s_ht, ratio(htr, ti), pr["hightech_share"], ht_gap,
                f"高新技术产品（服务）收入还需增加{fmt(ht_gap)}万元" if ht_gap is not None else
                ("缺少上一年度高新技术产品收入或总收入" if s_ht == REVIEW else None),
                lever=(f"高新技术产品（服务）收入增加{fmt(ht_gap)}万元"
                       if ht_gap is not None else None))
        inn_note = f"创新能力得分{tmin}–{tmax}分"
        if interp:
            inn_note += "；成长性按我方解释计算〔U〕，需人工复核"
        X.check("innovation_score", s_inn, {"min": tmin, "max": tmax}, pass_,
                pass_ - tmax if s_inn == UNMET else None, inn_note,
                confidence="U" if interp else None)
        X.check("no_major_incident", s_inc, None if f.flags.major_incident is None
                else not f.flags.major_incident, True)
        X.finalize(None, None, MET)
        X.ind("ip", ip_pts, {"class1": c1, "class2": c2,
                             "class1_self_developed": ip.class1_self_developed}, band)
        conv_conf = cv["short_divisor_confidence"] if divisor < 3 and conv is not None else None
        X.ind("conversion", conv_pts, None if conv is None else
              (Decimal(conv) / divisor).quantize(Q2, ROUND_HALF_UP), conv_band,
              label=("科技成果转化能力（按实际经营年数平均）" if divisor < 3 else None),
              confidence=conv_conf)
        X.ind("rd_management", mgmt, ms)
        gconf = str(P.extra.get("growth_short_confidence", "U"))
        X.ind("growth_net_assets", g_na[0], g_na[2], g_na[1],
              confidence=gconf if g_na[3] else None)
        X.ind("growth_revenue", g_rv[0], g_rv[2], g_rv[1],
              confidence=gconf if g_rv[3] else None)
        if conv is not None and conv_pts[0] < 25:
            better = [t for t in K["conv"] if t[2] > conv_pts[0]][-1]
            need = better[0] * divisor - conv
            X.lever("conversion", "科技成果转化提高一档",
                    f"近三年科技成果转化增加{need}项（年均达到{better[0]}项）",
                    better[2] - conv_pts[0])
        if c1 == 0 and band is not None:
            X.lever("ip", "取得第一项Ⅰ类知识产权",
                    "新增1项发明专利等Ⅰ类知识产权（知识产权数量升至A档）",
                    cb["A"][0] - cb[band][0])
        if (g_rv[1] in ("B", "C", "D", "E", "F") and not g_rv[3] and nyears >= 3
                and rv[0] and rv[1] and rv[0] > 0 and rv[1] > 0 and rv[2] is not None):
            nxt = [t for t in gb if t[2] > g_rv[0][0]]
            if nxt:
                t = nxt[-1]
                v1, v2, v3 = rv[0], rv[1], rv[2]
                need_v3 = (t[4] * v1 * v2 - v2 * v2) / v1
                X.lever("growth_revenue", "销售收入增长率提高一档",
                        f"{c.Y}年销售收入增加{fmt(gap_money(need_v3 - v3))}万元"
                        f"（增长率达到{pct(t[0])}）", t[2] - g_rv[0][0])
    return verdict, tmin, tmax, "score"


# --------------------------------------------------------------------------- 创新型中小企业


def _ip_pick(pts: dict[str, int], hv: int, sd: int, c1: int, c2: int) -> int:
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
    lo = _ip_pick(pts, hv or 0, sd or 0, c1 or 0, c2 or 0)
    if c1 is not None and hv is not None and sd is not None and c2 is not None:
        return lo, lo
    c1_hi = 1 if c1 is None else c1
    if c1_hi >= 1:
        hi = _ip_pick(pts, 1 if hv is None else hv, 1 if sd is None else sd, c1_hi,
                      1 if c2 is None else c2)
    else:
        hi = _ip_pick(pts, 0, 0, 0, 1 if c2 is None else c2)
    return lo, hi


def ev_innovative_sme(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    ind = P.indicators
    fl = f.flags
    y0, y1 = c.y0, c.y1
    s_sme = bst(fl.sme)
    s_comp = max(nbst(fl.serious_dishonesty), nbst(fl.prohibited_industry),
                 nbst(fl.major_incident))
    basic = max(s_sme, s_comp)
    p_ip = ip_tier(f.ip, ind["ip"]["points"])
    rd, rev = y0.rd_expense, y0.revenue
    p_rd: Points
    if rd is None or rev is None or rev <= 0:
        p_rd = (0, 20)
    else:
        x = tier_pts(rd, rev, ind["rd_ratio"]["tiers"])
        p_rd = (x, x)
    m0, m1 = y0.main_revenue, y1.main_revenue
    if m0 is None or m1 is None or m1 <= 0:
        p_gr: Points = (0, 20)
    else:
        x = tier_pts(m0 - m1, m1, ind["main_revenue_growth"]["tiers"])
        p_gr = (x, x)
    liab, assets = y0.total_liabilities, y0.total_assets
    if liab is None or assets is None or assets <= 0:
        p_debt: Points = (0, 10)
    else:
        x = tier_pts_max(liab, assets, ind["debt_ratio"]["tiers_max"])
        p_debt = (x, x)
    se = f.srdi.strategic_emerging
    fp = ind["product_field"]["points"]
    p_field = ((int(fp["other"]), int(fp["strategic"])) if se is None else
               (int(fp["strategic"]),) * 2 if se else (int(fp["other"]),) * 2)
    if m0 is None or rev is None or rev <= 0:
        p_share: Points = (0, 20)
    else:
        x = tier_pts(m0, rev, ind["main_business_share"]["tiers"])
        p_share = (x, x)
    g_inn = (p_ip[0] + p_rd[0], p_ip[1] + p_rd[1])
    g_gro = (p_gr[0] + p_debt[0], p_gr[1] + p_debt[1])
    g_spe = (p_field[0] + p_share[0], p_field[1] + p_share[1])
    smin = g_inn[0] + g_gro[0] + g_spe[0]
    smax = g_inn[1] + g_gro[1] + g_spe[1]
    gm = pr["group_min"]
    s_score = score_status(smin, smax, P.pass_score or 60)
    s_gi = score_status(g_inn[0], g_inn[1], int(gm["innovation"]))
    s_gg = score_status(g_gro[0], g_gro[1], int(gm["growth"]))
    s_gs = score_status(g_spe[0], g_spe[1], int(gm["specialisation"]))
    main = max(s_score, s_gi, s_gg, s_gs)
    hon = f.honours
    d_award = bst(hon.sti_award_3y)
    d_hon = (MET if valid_on(hon.hnte_valid_until, c.as_of) == MET else bst(hon.other_honour))
    d_inst = rd_inst_status(c)
    d_eq = window_ge(c, "equity_financing", 3, pr["equity_3y_direct"])
    dbest = min(d_award, d_hon, d_inst, d_eq)
    verdict, direct = choose_route(basic, main, dbest)
    if X is not None:
        X.check("sme", s_sme, fl.sme, True)
        X.check("compliance", s_comp, None if s_comp == REVIEW else s_comp == MET, True,
                note="未提供信用合规核查结果，需人工核查" if s_comp == REVIEW else None)
        ps = P.pass_score or 60
        X.check("score_pass", s_score, {"min": smin, "max": smax}, ps,
                ps - smax if s_score == UNMET else None, f"评价得分{smin}–{smax}分",
                group="score")
        for key, g, name in (("group_innovation", g_inn, "innovation"),
                             ("group_growth", g_gro, "growth"),
                             ("group_specialisation", g_spe, "specialisation")):
            st = score_status(g[0], g[1], int(gm[name]))
            X.check(key, st, {"min": g[0], "max": g[1]}, int(gm[name]),
                    int(gm[name]) - g[1] if st == UNMET else None, group="score")
        X.check("direct_award", d_award, hon.sti_award_3y, True, group="direct")
        X.check("direct_honour", d_hon, {"hnte_valid_until": hon.hnte_valid_until,
                                         "other_honour": hon.other_honour}, True, group="direct")
        X.check("direct_rd_institution", d_inst, f.rd_institution_level
                or hon.provincial_rd_institution, "provincial", group="direct")
        eq3, _ = window(c, "equity_financing", 3)
        X.check("direct_equity", d_eq, money(eq3), pr["equity_3y_direct"],
                money(pr["equity_3y_direct"] - eq3) if d_eq == UNMET else None, group="direct")
        X.finalize("direct" if direct else "score", "direct", dbest)
        X.ind("ip", p_ip, {"class1": f.ip.class1, "class1_high_value": f.ip.class1_high_value,
                           "class1_self_developed": f.ip.class1_self_developed,
                           "class2": f.ip.class2})
        X.ind("rd_ratio", p_rd, ratio(rd, rev))
        X.ind("main_revenue_growth", p_gr, None if m0 is None or m1 is None or m1 <= 0
              else ratio(m0 - m1, m1))
        X.ind("debt_ratio", p_debt, ratio(liab, assets))
        X.ind("product_field", p_field, se)
        X.ind("main_business_share", p_share, ratio(m0, rev))
        if p_rd[0] == p_rd[1] and rd is not None and rev is not None:
            t = _next_tier(ind["rd_ratio"]["tiers"], p_rd[0])
            if t is not None:
                X.lever("rd_ratio", "研发费用占比提高一档",
                        f"研发费用增加{fmt(gap_money(t[0] * rev - rd))}万元（达到营业收入的"
                        f"{pct(t[0])}）", int(t[1]) - p_rd[0])
        if f.ip.class1 == 0:
            X.lever("ip", "取得第一项Ⅰ类知识产权", "新增1项自主研发的发明专利",
                    int(ind["ip"]["points"]["self_developed"]) - p_ip[0])
    return verdict, smin, smax, "direct" if direct else "score"


# --------------------------------------------------------------------------- 专精特新 2022


_GF: dict[int, list[tuple[Decimal, int]]] = {}


def _growth_factors(tiers: list[list[Any]]) -> list[tuple[Decimal, int]]:
    """[(2·(1 + t), points)] for average-growth tiers, computed once per tier list."""
    got = _GF.get(id(tiers))
    if got is None:
        got = _GF[id(tiers)] = [(TWO * (ONE + t[0]), int(t[1])) for t in tiers]
    return got


def avg_growth_ge(v1: Decimal, v2: Decimal, v3: Decimal, t: Decimal) -> bool:
    """½(v2/v1 + v3/v2) − 1 ≥ t, for v1, v2 > 0, without division."""
    return v2 * v2 + v1 * v3 >= TWO * (ONE + t) * v1 * v2


def avg_growth(v1: Decimal | None, v2: Decimal | None, v3: Decimal | None) -> Decimal | None:
    if v1 is None or v2 is None or v3 is None or v1 <= 0 or v2 <= 0:
        return None
    return ((v2 / v1 + v3 / v2) / TWO - ONE).quantize(Q4, ROUND_HALF_UP)


def common_gate(c: Ctx) -> tuple[Status, Status]:
    fl = c.f.flags
    return bst(fl.sme), max(nbst(fl.serious_dishonesty), nbst(fl.prohibited_industry),
                            nbst(fl.major_incident))


def ev_srdi_sme_2022(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    ind = P.indicators
    y0 = c.y0
    s_sme, s_comp = common_gate(c)
    s_title = valid_on(f.honours.innovative_sme_valid_until, c.as_of)
    sd = f.srdi
    s_niche = ge(sd.niche_years, pr["niche_years_min"])
    rd, rev = y0.rd_expense, y0.revenue
    s_rda = ge(rd, pr["rd_min"])
    s_rdr = ratio_ge(rd, rev, pr["rd_ratio_min"])
    if rev is not None and rev >= pr["revenue_min"]:
        s_scale = MET
    else:
        eq2, eq2_complete = window(c, "equity_financing", 2)
        if eq2 >= pr["equity_2y_alt"]:
            s_scale = MET
        else:
            s_scale = UNMET if rev is not None and eq2_complete else REVIEW
    basic = max(s_sme, s_comp, s_title, s_niche, s_rda, s_rdr, s_scale)
    # 13 indicators
    pts: dict[str, Points] = {}
    m = [r.main_revenue for r in (c.y2, c.y1, y0)]
    m0 = m[2]
    pts["main_share"] = ((0, 5) if m0 is None or rev is None or rev <= 0 else
                         (tier_pts(m0, rev, ind["main_share"]["tiers"]),) * 2)
    if m[0] is None or m[1] is None or m0 is None or m[0] <= 0 or m[1] <= 0:
        pts["main_growth_2y"] = (0, 10)
    else:
        # ½(m1/m0 + m2/m1) − 1 ≥ t  ⇔  m1² + m0·m2 ≥ 2(1 + t)·m0·m1
        lhs = m[1] * m[1] + m[0] * m0
        prod = m[0] * m[1]
        x = 0
        for k2, p2 in _growth_factors(ind["main_growth_2y"]["tiers"]):
            if lhs >= k2 * prod:
                x = p2
                break
        pts["main_growth_2y"] = (x, x)
    ny = sd.niche_years
    pts["niche_years_score"] = (0, 5) if ny is None else (min(ny // 2, 5),) * 2
    pf = sd.product_field
    pfp = ind["product_field"]["points"]
    pts["product_field"] = (0, 5) if pf is None else (int(pfp[pf]),) * 2
    dl = sd.digital_level
    pts["digital_level"] = ((0, 5) if dl is None else
                            ((5, 5) if dl >= 3 else (3, 3) if dl == 2 else (0, 0)))
    qi = sd.quality_items
    pts["quality_mgmt"] = (0, 5) if qi is None else (min(3 * qi, 5),) * 2
    npf = y0.net_profit
    pts["net_margin"] = ((0, 10) if npf is None or rev is None or rev <= 0 else
                         (tier_pts(npf, rev, ind["net_margin"]["tiers"]),) * 2)
    liab, assets = y0.total_liabilities, y0.total_assets
    pts["debt_ratio"] = ((0, 5) if liab is None or assets is None or assets <= 0 else
                         (tier_pts_max(liab, assets, ind["debt_ratio"]["tiers_max"]),) * 2)
    lf = sd.local_feature_score
    pts["local_feature"] = (0, 15) if lf is None else (lf, lf)
    pts["ip"] = ip_tier(f.ip, ind["ip"]["points"])
    if rd is None:
        pts["rd_spend"] = (0, 10)
    else:
        x = 0
        for t in ind["rd_spend"]["tiers"]:
            if rd >= t[0] or (rev is not None and rev > 0 and rd >= t[1] * rev):
                x = int(t[2])
                break
        pts["rd_spend"] = (x, x) if rev is not None or x == 10 else (x, 10)
    rds, emp = f.rd_staff, f.employees
    pts["rd_staff_ratio"] = ((0, 5) if rds is None or emp is None or emp <= 0 else
                             (tier_pts(rds, emp, ind["rd_staff_ratio"]["tiers"]),) * 2)
    lvl = f.rd_institution_level
    rip = ind["rd_institution"]["points"]
    if lvl is not None:
        pts["rd_institution"] = (int(rip[lvl]),) * 2
    elif f.honours.provincial_rd_institution:
        pts["rd_institution"] = (int(rip["provincial"]), int(rip["national"]))
    else:
        pts["rd_institution"] = (0, int(rip["national"]))
    smin = smax = 0
    for lo, hi in pts.values():
        smin += lo
        smax += hi
    ps = P.pass_score or 60
    s_score = score_status(smin, smax, ps)
    hon = f.honours
    d_award = bst(hon.award_prov_top3_or_nat_top5_3y)
    d_rdavg = window_ge(c, "rd_expense", 2, TWO * pr["direct_rd_avg_2y"])
    d_eq = window_ge(c, "equity_financing", 2, pr["direct_equity_2y"])
    d_ck = bst(hon.chuangke_top500_3y)
    dbest = min(d_award, d_rdavg, d_eq, d_ck)
    verdict, direct = choose_route(basic, s_score, dbest)
    if X is not None:
        X.check("sme", s_sme, f.flags.sme, True)
        X.check("compliance", s_comp, None if s_comp == REVIEW else s_comp == MET, True,
                note="未提供信用合规核查结果，需人工核查" if s_comp == REVIEW else None)
        X.check("innovative_sme_title", s_title, f.honours.innovative_sme_valid_until,
                f"≥{c.as_of.isoformat()}")
        X.check("niche_years", s_niche, ny, int(pr["niche_years_min"]),
                int(pr["niche_years_min"]) - ny if s_niche == UNMET and ny is not None else None)
        rda_gap = gap_money(pr["rd_min"] - rd) if s_rda == UNMET and rd is not None else None
        X.check("rd_amount", s_rda, money(rd), pr["rd_min"], rda_gap,
                f"研发费用还需增加{fmt(rda_gap)}万元" if rda_gap is not None else None,
                lever=f"研发费用增加{fmt(rda_gap)}万元" if rda_gap is not None else None)
        rdr_gap = (gap_money(pr["rd_ratio_min"] * rev - rd)
                   if s_rdr == UNMET and rd is not None and rev is not None else None)
        X.check("rd_ratio", s_rdr, ratio(rd, rev), pr["rd_ratio_min"], rdr_gap,
                f"研发费用还需增加{fmt(rdr_gap)}万元" if rdr_gap is not None else None,
                lever=f"研发费用增加{fmt(rdr_gap)}万元" if rdr_gap is not None else None)
        eq2, _ = window(c, "equity_financing", 2)
        X.check("scale", s_scale, {"revenue": money(rev), "equity_financing_2y": money(eq2)},
                {"revenue": pr["revenue_min"], "equity_financing_2y": pr["equity_2y_alt"]},
                gap_money(pr["revenue_min"] - rev) if s_scale == UNMET and rev is not None
                else None)
        X.check("score_pass", s_score, {"min": smin, "max": smax}, ps,
                ps - smax if s_score == UNMET else None, f"评价得分{smin}–{smax}分",
                group="score")
        X.check("direct_award", d_award, hon.award_prov_top3_or_nat_top5_3y, True,
                group="direct")
        rd2, _ = window(c, "rd_expense", 2)
        X.check("direct_rd_avg", d_rdavg, money(rd2 / TWO), pr["direct_rd_avg_2y"],
                group="direct")
        X.check("direct_equity", d_eq, money(eq2), pr["direct_equity_2y"], group="direct")
        X.check("direct_chuangke", d_ck, hon.chuangke_top500_3y, True, group="direct")
        X.finalize("direct" if direct else "score", "direct", dbest)
        actual: dict[str, Any] = {
            "main_share": ratio(m0, rev), "main_growth_2y": avg_growth(m[0], m[1], m0),
            "niche_years_score": ny, "product_field": pf, "digital_level": dl,
            "quality_mgmt": qi, "net_margin": ratio(npf, rev), "debt_ratio": ratio(liab, assets),
            "local_feature": lf, "ip": {"class1": f.ip.class1, "class2": f.ip.class2},
            "rd_spend": money(rd), "rd_staff_ratio": ratio(rds, emp), "rd_institution": lvl,
        }
        for key, p in pts.items():
            conf = "U" if key == "main_growth_2y" else None
            X.ind(key, p, actual[key], confidence=conf)
        if rd is not None and pts["rd_spend"][0] < 10:
            nxt = [t for t in ind["rd_spend"]["tiers"] if int(t[2]) > pts["rd_spend"][0]][-1]
            need = nxt[0] - rd
            if rev is not None and rev > 0:
                need = min(need, nxt[1] * rev - rd)
            X.lever("rd_spend", "研发投入提高一档", f"研发费用增加{fmt(gap_money(need))}万元",
                    int(nxt[2]) - pts["rd_spend"][0])
    return verdict, smin, smax, "direct" if direct else "score"


# --------------------------------------------------------------------------- 专精特新 2026


def _rd_each(c: Ctx, n: int, amount: Decimal | None, share: Decimal | None
             ) -> tuple[Status, Status, Decimal, Decimal]:
    """R&D each year ≥ amount / ≥ share × revenue; gaps summed over the years."""
    s_amt = s_rat = MET
    gap_a = gap_r = ZERO
    for back in range(n):
        r = c.row(back)
        rd = r.rd_expense
        rev = r.revenue
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


def ev_srdi_sme_2026(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    y0 = c.y0
    hon = f.honours
    sd = f.srdi
    s_sme, s_comp = common_gate(c)
    s_title = min(valid_on(hon.tech_innovative_sme_valid_until, c.as_of),
                  valid_on(hon.innovative_sme_valid_until, c.as_of))
    if X is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, pr["niche_years_min"])
    rev = y0.revenue
    if rev is not None and rev >= pr["revenue_min"]:
        s_scale = MET
    else:
        eq2, eq2_complete = window(c, "equity_financing", 2)
        if eq2 >= pr["equity_2y_alt"]:
            s_scale = MET
        else:
            s_scale = UNMET if rev is not None and eq2_complete else REVIEW
    m0 = y0.main_revenue
    s_main = ratio_ge(m0, rev, pr["main_share_min"])
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, pr["debt_ratio_max"])
    s_rda, s_rdr, gap_a, gap_r = _rd_each(c, 2, pr["rd_min_each"], pr["rd_ratio_each"])
    c1 = f.ip.class1
    exempt = hon.award_prov_plus_top3_3y is True or rd_inst_status(c) == MET
    s_ip = MET if exempt else ge(c1, pr["class1_min"])
    s_mkt = REVIEW
    s_dev = ge(sd.dev_score, pr["dev_score_min"])
    verdict = max(s_sme, s_comp, s_title, s_niche, s_scale, s_main, s_debt, s_rda, s_rdr, s_ip,
                  s_mkt, s_dev)
    if X is not None:
        X.check("sme", s_sme, f.flags.sme, True)
        X.check("compliance", s_comp, None if s_comp == REVIEW else s_comp == MET, True)
        X.check("tech_innovative_title", s_title, hon.tech_innovative_sme_valid_until
                or hon.innovative_sme_valid_until, f"≥{c.as_of.isoformat()}",
                note="2022年标准创新型中小企业称号视同（我方解释）"
                if s_title == MET and valid_on(hon.tech_innovative_sme_valid_until, c.as_of)
                == UNMET else None)
        X.check("niche_years", s_niche, sd.niche_years, int(pr["niche_years_min"]))
        eq2, _ = window(c, "equity_financing", 2)
        X.check("scale", s_scale, {"revenue": money(rev), "equity_financing_2y": money(eq2)},
                {"revenue": pr["revenue_min"], "equity_financing_2y": pr["equity_2y_alt"]},
                gap_money(pr["revenue_min"] - rev) if s_scale == UNMET and rev is not None
                else None)
        X.check("main_share", s_main, ratio(m0, rev), pr["main_share_min"],
                gap_money(pr["main_share_min"] * rev - m0) if s_main == UNMET else None)  # type: ignore[operator]
        X.check("debt_ratio", s_debt, ratio(liab, assets), pr["debt_ratio_max"],
                gap_money(liab - pr["debt_ratio_max"] * assets) if s_debt == UNMET else None,  # type: ignore[operator]
                "负债还需减少（万元）" if s_debt == UNMET else None)
        X.check("rd_amount_2y", s_rda, [money(c.y1.rd_expense),
                                        money(y0.rd_expense)], pr["rd_min_each"],
                gap_money(gap_a) if s_rda == UNMET else None,
                f"两年研发费用合计还需增加{fmt(gap_money(gap_a))}万元" if s_rda == UNMET else None,
                lever=f"研发费用增加{fmt(gap_money(gap_a))}万元")
        X.check("rd_ratio_2y", s_rdr, [ratio(c.y1.rd_expense, c.y1.revenue),
                                       ratio(y0.rd_expense, rev)], pr["rd_ratio_each"],
                gap_money(gap_r) if s_rdr == UNMET else None,
                f"两年研发费用合计还需增加{fmt(gap_money(gap_r))}万元" if s_rdr == UNMET else None,
                lever=f"研发费用增加{fmt(gap_money(gap_r))}万元")
        X.check("class1_ip", s_ip, c1, int(pr["class1_min"]),
                int(pr["class1_min"]) - c1 if s_ip == UNMET and c1 is not None else None,
                "以奖励或省级以上研发机构豁免" if exempt else
                "与主导产品的相关性及实际应用需核实" if s_ip == MET else None,
                lever="新增1项与主导产品相关的发明专利")
        X.check("market_position", s_mkt, {"share": sd.market_share, "rank": sd.market_rank},
                "较为靠前", note="未给出量化标准，需人工判断")
        X.check("dev_score", s_dev, sd.dev_score, int(pr["dev_score_min"]),
                int(pr["dev_score_min"]) - sd.dev_score if s_dev == UNMET else None,  # type: ignore[operator]
                "平台计算的发展评价得分未提供" if sd.dev_score is None else None)
        X.finalize(None, None, MET)
    return verdict, None, None, None


# --------------------------------------------------------------------------- 小巨人 2022


def ev_little_giant_2022(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    y0, y1 = c.y0, c.y1
    hon = f.honours
    sd = f.srdi
    s_sme, s_comp = common_gate(c)
    s_title = valid_on(hon.srdi_sme_valid_until, c.as_of)
    if X is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, pr["niche_years_min"])
    rev = y0.revenue
    m = [r.main_revenue for r in (c.y2, y1, y0)]
    s_main = ratio_ge(m[2], rev, pr["main_share_min"])
    if m[0] is None or m[1] is None or m[2] is None or m[0] <= 0 or m[1] <= 0:
        s_mg = REVIEW
    else:
        s_mg = MET if avg_growth_ge(m[0], m[1], m[2], pr["main_growth_min"]) else UNMET
    s_info = bst(sd.info_system)
    s_cert = bst(sd.mgmt_certification)
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, pr["debt_ratio_max"])
    s_share = ge(sd.market_share, pr["market_share_min"])
    s_brand = bst(sd.own_brand)
    # 新: general route
    rd_gap = None
    if rev is None:
        s_rd = REVIEW
        rd_rule = ""
    else:
        s_rd = REVIEW
        rd_rule = ""
        for floor, share in pr["rd_tiers"]:
            if rev >= floor:
                _, s_rd, _, g = _rd_each(c, 2, None, share)
                rd_gap = g
                rd_rule = f"营业收入≥{fmt(floor)}万元：近2年研发费用占比均≥{pct(share)}"
                break
        else:
            eq2 = window_ge(c, "equity_financing", 2, pr["small_equity_2y"])
            rd2 = window_ge(c, "rd_expense", 2, pr["small_rd_2y"])
            stf = ratio_ge(f.rd_staff, f.employees, pr["small_rd_staff_ratio"])
            s_rd = max(eq2, rd2, stf)
            rd_rule = "营业收入<5000万元：股权融资≥8000万元、研发≥3000万元、研发人员≥50%"
    lvl = f.rd_institution_level
    s_inst = (MET if (lvl is not None and lvl != "none") or hon.provincial_rd_institution
              else UNMET if lvl == "none" else REVIEW)
    c1 = f.ip.class1
    s_ip = ge(c1, pr["class1_min"])
    general = max(s_rd, s_inst, s_ip)
    d1 = bst(hon.national_award_top3_3y)
    d2 = bst(hon.chuangke_top50_3y)
    dbest = min(d1, d2)
    s_chain = UNMET if sd.chain_key_link is False else REVIEW
    s_field = UNMET if sd.six_basics_field is False else REVIEW
    basic = max(s_sme, s_comp, s_title, s_niche, s_main, s_mg, s_info, s_cert, s_debt, s_share,
                s_brand, s_chain, s_field)
    verdict, direct = choose_route(basic, general, dbest)
    if X is not None:
        X.check("sme", s_sme, f.flags.sme, True)
        X.check("compliance", s_comp, None if s_comp == REVIEW else s_comp == MET, True)
        X.check("srdi_title", s_title, hon.srdi_sme_valid_until, f"≥{c.as_of.isoformat()}")
        X.check("niche_years", s_niche, sd.niche_years, int(pr["niche_years_min"]))
        X.check("main_share", s_main, ratio(m[2], rev), pr["main_share_min"],
                gap_money(pr["main_share_min"] * rev - m[2]) if s_main == UNMET else None)  # type: ignore[operator]
        X.check("main_growth_2y", s_mg, avg_growth(m[0], m[1], m[2]), pr["main_growth_min"],
                note="两年增长率算术平均（我方解释〔U〕）", confidence="U")
        X.check("info_system", s_info, sd.info_system, True)
        X.check("certification", s_cert, sd.mgmt_certification, True)
        X.check("debt_ratio", s_debt, ratio(liab, assets), pr["debt_ratio_max"])
        X.check("market_share", s_share, sd.market_share, pr["market_share_min"],
                note="\"较高知名度\"需人工核实" if s_share == MET else None)
        X.check("own_brand", s_brand, sd.own_brand, True)
        X.check("rd_intensity_2y", s_rd, None if rev is None else money(rev), rd_rule,
                gap_money(rd_gap) if s_rd == UNMET and rd_gap else None,
                f"两年研发费用合计还需增加{fmt(gap_money(rd_gap))}万元"
                if s_rd == UNMET and rd_gap else None, group="general",
                lever=f"研发费用增加{fmt(gap_money(rd_gap))}万元" if rd_gap else None)
        X.check("rd_institution", s_inst, lvl, "已建研发机构", group="general")
        X.check("class1_ip", s_ip, c1, int(pr["class1_min"]),
                int(pr["class1_min"]) - c1 if s_ip == UNMET and c1 is not None else None,
                "需核实与主导产品相关并实际应用" if s_ip == MET else None, group="general",
                lever="新增Ⅰ类知识产权（发明专利）")
        X.check("direct_national_award", d1, hon.national_award_top3_3y, True, group="direct")
        X.check("direct_chuangke", d2, hon.chuangke_top50_3y, True, group="direct")
        X.check("chain_key_link", s_chain, sd.chain_key_link, True, note="需人工判断")
        X.check("product_field", s_field, sd.six_basics_field, True, note="需人工判断")
        X.finalize("direct" if direct else "general", "direct", dbest)
    return verdict, None, None, "direct" if direct else None


# --------------------------------------------------------------------------- 小巨人 2026


def ev_little_giant_2026(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    y0 = c.y0
    hon = f.honours
    sd = f.srdi
    s_sme, s_comp = common_gate(c)
    s_title = valid_on(hon.srdi_sme_valid_until, c.as_of)
    if X is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, pr["niche_years_min"])
    rev = y0.revenue
    s_rev = ge(rev, pr["revenue_min"])
    m0 = y0.main_revenue
    s_main = ratio_ge(m0, rev, pr["main_share_min"])
    r2 = c.y2.revenue
    cagr_f = (ONE + pr["revenue_cagr_2y"]) ** 2
    s_cagr = REVIEW if rev is None or r2 is None or r2 <= 0 else (
        MET if rev >= cagr_f * r2 else UNMET)
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, pr["debt_ratio_max"])
    rd2, rd2_complete = window(c, "rd_expense", 2)
    s_rdt = MET if rd2 >= pr["rd_total_2y"] else (UNMET if rd2_complete else REVIEW)
    _, s_rdr, _, gap_r = _rd_each(c, 2, None, pr["rd_ratio_each"])
    sdv = f.ip.class1_self_developed
    s_ip = MET if hon.national_award_top3_3y else ge(sdv, pr["class1_min"])
    ms, mr = sd.market_share, sd.market_rank
    if (ms is not None and ms >= pr["market_share_min"]) or (
            mr is not None and mr <= pr["market_rank_max"]):
        s_mkt = MET
    else:
        s_mkt = REVIEW if ms is None and mr is None else UNMET
    s_field = UNMET if sd.six_basics_field is False and sd.chain_key_link is False else REVIEW
    s_dev = ge(sd.dev_score, pr["dev_score_min"])
    verdict = max(s_sme, s_comp, s_title, s_niche, s_rev, s_main, s_cagr, s_debt, s_rdt, s_rdr,
                  s_ip, s_mkt, s_field, s_dev)
    if X is not None:
        X.check("sme", s_sme, f.flags.sme, True)
        X.check("compliance", s_comp, None if s_comp == REVIEW else s_comp == MET, True)
        X.check("srdi_title", s_title, hon.srdi_sme_valid_until, f"≥{c.as_of.isoformat()}")
        X.check("niche_years", s_niche, sd.niche_years, int(pr["niche_years_min"]))
        rev_gap = gap_money(pr["revenue_min"] - rev) if s_rev == UNMET else None  # type: ignore[operator]
        X.check("revenue", s_rev, money(rev), pr["revenue_min"], rev_gap,
                f"营业收入还需增加{fmt(rev_gap)}万元" if rev_gap is not None else None)
        X.check("main_share", s_main, ratio(m0, rev), pr["main_share_min"],
                gap_money(pr["main_share_min"] * rev - m0) if s_main == UNMET else None)  # type: ignore[operator]
        X.check("revenue_cagr_2y", s_cagr, None if s_cagr == REVIEW else
                ratio(rev - r2, r2), pr["revenue_cagr_2y"],  # type: ignore[operator]
                gap_money(cagr_f * r2 - rev) if s_cagr == UNMET else None,  # type: ignore[operator]
                "按(上年/前两年)^(1/2)−1计算（我方解释〔U〕）；actual为两年累计增长率",
                confidence="U")
        X.check("debt_ratio", s_debt, ratio(liab, assets), pr["debt_ratio_max"])
        rdt_gap = gap_money(pr["rd_total_2y"] - rd2) if s_rdt == UNMET else None
        X.check("rd_total_2y", s_rdt, money(rd2), pr["rd_total_2y"], rdt_gap,
                f"近2年研发费用合计还需增加{fmt(rdt_gap)}万元" if rdt_gap is not None else None,
                lever=f"研发费用增加{fmt(rdt_gap)}万元" if rdt_gap is not None else None)
        X.check("rd_ratio_2y", s_rdr, [ratio(c.y1.rd_expense, c.y1.revenue),
                                       ratio(y0.rd_expense, rev)], pr["rd_ratio_each"],
                gap_money(gap_r) if s_rdr == UNMET else None,
                lever=f"研发费用增加{fmt(gap_money(gap_r))}万元")
        X.check("class1_ip", s_ip, sdv, int(pr["class1_min"]),
                int(pr["class1_min"]) - sdv if s_ip == UNMET and sdv is not None else None,
                "国家级科技奖励豁免" if hon.national_award_top3_3y else
                "权利人排名前三需核实" if s_ip == MET else None)
        X.check("market_share", s_mkt, {"share": ms, "rank": mr},
                {"share": pr["market_share_min"], "rank": pr["market_rank_max"]})
        X.check("product_field", s_field, {"six_basics": sd.six_basics_field,
                                           "chain_key_link": sd.chain_key_link}, True,
                note="需人工判断")
        X.check("dev_score", s_dev, sd.dev_score, int(pr["dev_score_min"]),
                int(pr["dev_score_min"]) - sd.dev_score if s_dev == UNMET else None)  # type: ignore[operator]
        X.finalize(None, None, MET)
    return verdict, None, None, None


# --------------------------------------------------------------------------- 瞪羚 / 独角兽


def _region(v: str | None, want: str) -> Status:
    if v is None:
        return REVIEW
    return MET if v.strip().rstrip("省市") == want else UNMET


def conj(*sts: Status) -> Status:
    return max(sts)


def _no_big_fall(c: Ctx) -> Status:
    revs = [c.row(b).revenue for b in (3, 2, 1, 0)]
    if any(v is None for v in revs):
        return REVIEW
    return MET if all(revs[i + 1] >= revs[i] for i in range(3)) else REVIEW  # type: ignore[operator]


def ev_gazelle(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    y0 = c.y0
    Y = c.Y
    fl = f.flags
    s_js = _region(f.province, "江苏")
    s_cr = nbst(fl.serious_dishonesty)
    s_sec = nbst(fl.excluded_sector)
    s_ent = nbst(fl.branch_or_trading)
    if X is None and UNMET in (s_js, s_cr, s_sec, s_ent):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    rev = y0.revenue
    sci = y0.sci_activity_expense
    rd = y0.rd_expense
    thr = pr["intensity_min"]
    if rev is None or rev <= 0:
        s_int = REVIEW
    elif sci is not None:
        s_int = MET if sci > thr * rev else UNMET
    else:
        s_int = MET if rd is not None and rd > thr * rev else REVIEW
    ry = c.reg_year

    def reg_ge(offset: Decimal) -> Status:
        return REVIEW if ry is None else (MET if ry >= Y - int(offset) else UNMET)

    r0, r1, r3 = rev, c.y1.revenue, c.y3.revenue
    k_rev = (ONE + pr["revenue_cagr_min"]) ** 3
    p1 = conj(reg_ge(pr["reg_offset_growth"]), ge(r3, pr["base_revenue_min"]),
              REVIEW if r0 is None or r3 is None else (MET if r0 >= k_rev * r3 else UNMET),
              REVIEW if r0 is None or r1 is None else (MET if r0 > r1 else UNMET))
    p2 = p3 = p4 = UNMET
    if p1 != MET or X is not None:  # any-of: the batch path stops at the first met path
        e0 = y0.employees
        if e0 is None:
            e0 = f.employees
        e1, e3 = c.y1.employees, c.y3.employees
        k_emp = (ONE + pr["employees_cagr_min"]) ** 3
        p2 = conj(reg_ge(pr["reg_offset_growth"]), ge(e3, pr["base_employees_min"]),
                  REVIEW if e0 is None or e3 is None else (MET if e0 >= k_emp * e3 else UNMET),
                  REVIEW if e0 is None or e1 is None else (MET if e0 > e1 else UNMET))
        # paths 3–4 need a large revenue; only then look at the 3-year trend
        s3 = conj(reg_ge(pr["reg_offset_fast"]), ge(r0, pr["fast_revenue_min"]))
        s4 = conj(reg_ge(pr["reg_offset_scale"]), ge(r0, pr["scale_revenue_min"]))
        if s3 != UNMET or s4 != UNMET:
            fall = _no_big_fall(c)
            p3, p4 = conj(s3, fall), conj(s4, fall)
    s_path = min(p1, p2, p3, p4)
    verdict = max(s_js, s_cr, s_sec, s_ent, s_int, s_path)
    if X is not None:
        X.check("registered_js", s_js, f.province, "江苏")
        X.check("credit", s_cr, None if fl.serious_dishonesty is None
                else not fl.serious_dishonesty, True)
        X.check("sector_allowed", s_sec, None if fl.excluded_sector is None
                else not fl.excluded_sector, True)
        X.check("entity_allowed", s_ent, None if fl.branch_or_trading is None
                else not fl.branch_or_trading, True)
        int_gap = (gap_money(thr * rev - (sci if sci is not None else rd)) + Decimal("0.01")
                   if s_int == UNMET and rev is not None and sci is not None else None)
        X.check("innovation_intensity", s_int, ratio(sci if sci is not None else rd, rev),
                f">{pct(thr)}", int_gap,
                "以研发费用作为科技活动费用下限估算" if sci is None and s_int == MET else
                "缺少科技活动费用支出" if sci is None else
                f"科技活动费用还需增加{fmt(int_gap)}万元" if int_gap is not None else None)
        names = ("营收增长路径", "人员增长路径", "5年内营收≥5亿元路径", "10年内营收≥10亿元路径")
        detail = "；".join(f"{n}：{_ST_CN[STATUS[s]]}" for n, s in zip(
            names, (p1, p2, p3, p4), strict=True))
        best = names[(p1, p2, p3, p4).index(s_path)]
        p1_gap = (gap_money(k_rev * r3 - r0)
                  if p1 == UNMET and s_path == UNMET and r0 is not None and r3 is not None
                  and r3 >= pr["base_revenue_min"] and r0 < k_rev * r3 else None)
        X.check("growth_path", s_path, best if s_path != UNMET else None,
                "任一路径", p1_gap,
                detail + (f"；营收增长路径：{Y}年营业收入还需增加{fmt(p1_gap)}万元"
                          f"（{Y - 3}–{Y}年复合增长率达到{pct(pr['revenue_cagr_min'])}）"
                          if p1_gap is not None else ""),
                lever=f"{Y}年营业收入增加{fmt(p1_gap)}万元" if p1_gap is not None else None)
        X.finalize(None, None, MET)
        X.unconfirmed.add("year_windows")
    return verdict, None, None, None


def _inv_checks(f: EnterpriseFacts) -> tuple[Status, Status]:
    return bst(f.funding.has_institutional_investment), nbst(f.flags.listed)


def ev_unicorn_gei(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    fu = f.funding
    s_cn = bst(f.flags.resident)
    s_age = le(c.cal_age, pr["max_age_years"])
    s_inv, s_nl = _inv_checks(f)
    s_val = ge(fu.valuation_usd_m, pr["valuation_usd_m"])
    s_fin = ge(fu.financing_usd_m, pr["financing_usd_m"])
    verdict = max(s_cn, s_age, s_inv, s_nl, s_val, s_fin)
    if X is not None:
        X.check("registered_cn", s_cn, f.flags.resident, True)
        X.check("age", s_age, c.cal_age, int(pr["max_age_years"]),
                note=f"按成立年份计算（{c.reg_year}年成立）" if c.reg_year else "缺少成立日期")
        X.check("investment", s_inv, fu.has_institutional_investment, True)
        X.check("not_listed", s_nl, None if f.flags.listed is None else not f.flags.listed, True)
        _money_check(X, "valuation", s_val, fu.valuation_usd_m, pr["valuation_usd_m"], "百万美元",
                     "估值")
        _money_check(X, "financing", s_fin, fu.financing_usd_m, pr["financing_usd_m"], "百万美元",
                     "累计融资")
        X.finalize(None, None, MET)
    return verdict, None, None, None


def _money_check(X: Explain, key: str, st: Status, actual: Decimal | None, req: Decimal,
                 unit: str, what: str) -> None:
    g = gap_money(req - actual) if st == UNMET and actual is not None else None
    X.check(key, st, money(actual), req, g,
            f"{what}还差{fmt(g)}{unit}" if g is not None else
            (f"缺少{what}数据（{unit}）" if actual is None else None))


def ev_potential_unicorn_gei(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    fu = f.funding
    s_cn = bst(f.flags.resident)
    s_age = le(c.cal_age, pr["max_age_years"])
    s_inv, s_nl = _inv_checks(f)
    young, older = pr["young"], pr["older"]
    if c.cal_age is None:
        req_v, req_f = None, None

        def two(v: Decimal | None, a: Decimal, b: Decimal) -> Status:
            if v is None:
                return REVIEW
            return MET if v >= b else (UNMET if v < a else REVIEW)
        s_val = two(fu.valuation_usd_m, young["valuation_usd_m"], older["valuation_usd_m"])
        s_fin = two(fu.financing_usd_m, young["financing_usd_m"], older["financing_usd_m"])
    else:
        tier = young if c.cal_age < pr["young_age_below"] else older
        req_v, req_f = tier["valuation_usd_m"], tier["financing_usd_m"]
        s_val = ge(fu.valuation_usd_m, req_v)
        s_fin = ge(fu.financing_usd_m, req_f)
    verdict = max(s_cn, s_age, s_inv, s_nl, s_val, s_fin)
    if X is not None:
        X.check("registered_cn", s_cn, f.flags.resident, True)
        X.check("age", s_age, c.cal_age, int(pr["max_age_years"]),
                note=f"按成立年份计算（{c.reg_year}年成立）" if c.reg_year else "缺少成立日期")
        X.check("investment", s_inv, fu.has_institutional_investment, True)
        X.check("not_listed", s_nl, None if f.flags.listed is None else not f.flags.listed, True)
        if req_v is None:
            X.check("valuation", s_val, money(fu.valuation_usd_m), "按成立年限确定",
                    note="缺少成立日期")
            X.check("financing", s_fin, money(fu.financing_usd_m), "按成立年限确定",
                    note="缺少成立日期")
        else:
            _money_check(X, "valuation", s_val, fu.valuation_usd_m, req_v, "百万美元", "估值")
            _money_check(X, "financing", s_fin, fu.financing_usd_m, req_f, "百万美元",
                         "累计融资")
        X.finalize(None, None, MET)
    return verdict, None, None, None


def ev_unicorn_js(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    fu = f.funding
    s_js = _region(f.province, "江苏")
    s_cr = nbst(f.flags.serious_dishonesty)
    s_est = ge(c.reg_year, pr["established_from_year"])
    if X is None and UNMET in (s_js, s_cr, s_est):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_inv, s_nl = _inv_checks(f)
    v = fu.valuation_usd_m
    kt = f.honours.key_tech_breakthrough
    if v is None:
        s_val = REVIEW
    elif v > pr["valuation_usd_m"]:
        s_val = MET
    elif v >= pr["relaxed_valuation_usd_m"]:
        s_val = UNMET if kt is False else REVIEW
    else:
        s_val = UNMET
    verdict = max(s_js, s_cr, s_est, s_inv, s_nl, s_val)
    if X is not None:
        X.check("registered_js", s_js, f.province, "江苏")
        X.check("credit", s_cr, None if f.flags.serious_dishonesty is None
                else not f.flags.serious_dishonesty, True)
        X.check("established", s_est, c.reg_year, int(pr["established_from_year"]))
        X.check("investment", s_inv, fu.has_institutional_investment, True)
        X.check("not_listed", s_nl, None if f.flags.listed is None else not f.flags.listed, True)
        g = (gap_money(pr["relaxed_valuation_usd_m"] - v)
             if s_val == UNMET and v is not None and v < pr["relaxed_valuation_usd_m"] else None)
        X.check("valuation", s_val, money(v), f">{fmt(pr['valuation_usd_m'])}", g,
                "估值在7亿–10亿美元之间，需认定关键核心技术突破等放宽情形" if s_val == REVIEW
                and v is not None else (f"估值距放宽线还差{fmt(g)}百万美元" if g is not None
                                        else None))
        X.finalize(None, None, MET)
    return verdict, None, None, None


def ev_potential_unicorn_js(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    fu = f.funding
    s_js = _region(f.province, "江苏")
    s_cr = nbst(f.flags.serious_dishonesty)
    s_inv, s_nl = _inv_checks(f)
    ry = c.reg_year
    vu, vc = fu.valuation_usd_m, fu.valuation_cny_wan
    if ry is None:
        s_val = REVIEW
        rule = "缺少成立日期"
    elif ry >= pr["young_from_year"]:
        rule = f"{int(pr['young_from_year'])}年及以后成立：≥{fmt(pr['young_valuation_usd_m'])}百万美元或≥{fmt(pr['young_valuation_cny_wan'])}万元"  # noqa: E501
        if (vu is not None and vu >= pr["young_valuation_usd_m"]) or (
                vc is not None and vc >= pr["young_valuation_cny_wan"]):
            s_val = MET
        else:
            s_val = REVIEW if vu is None and vc is None else (
                UNMET if vu is not None and vc is not None else REVIEW)
    elif ry >= pr["older_from_year"]:
        rule = f"{int(pr['older_from_year'])}–{int(pr['young_from_year']) - 1}年成立：>{fmt(pr['older_valuation_usd_m'])}百万美元"  # noqa: E501
        s_val = REVIEW if vu is None else (MET if vu > pr["older_valuation_usd_m"] else UNMET)
    else:
        s_val = UNMET
        rule = f"{int(pr['older_from_year'])}年以前成立，不在范围内"
    verdict = max(s_js, s_cr, s_inv, s_nl, s_val)
    if X is not None:
        X.check("registered_js", s_js, f.province, "江苏")
        X.check("credit", s_cr, None if f.flags.serious_dishonesty is None
                else not f.flags.serious_dishonesty, True)
        X.check("investment", s_inv, fu.has_institutional_investment, True)
        X.check("not_listed", s_nl, None if f.flags.listed is None else not f.flags.listed, True)
        X.check("valuation", s_val, {"usd_m": money(vu), "cny_wan": money(vc),
                                     "registered_year": ry}, rule)
        X.finalize(None, None, MET)
    return verdict, None, None, None


def ev_seed_unicorn(P: Policy, c: Ctx, X: Explain | None) -> EvalOut:
    f = c.f
    pr = P.params
    fu = f.funding
    hon = f.honours
    R = c.as_of.year
    Y = R - 1
    s_cz = _region(f.city, "常州")
    s_cr = nbst(f.flags.serious_dishonesty)
    if X is None and (s_cz == UNMET or s_cr == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    tsy = hon.tech_sme_registered_year
    s_tech = (MET if valid_on(hon.hnte_valid_until, c.as_of) == MET
              or (tsy is not None and tsy >= Y) else REVIEW)
    ry = c.reg_year
    young_from = R - int(pr["young_years"])
    older_from = R - int(pr["older_years"])
    # 标准一
    s_inv, s_nl = _inv_checks(f)
    vc = fu.valuation_cny_wan
    if ry is None:
        s_v1 = REVIEW
    elif ry >= young_from:
        s_v1 = ge(vc, pr["young_valuation_cny_wan"])
    elif ry >= older_from:
        s_v1 = REVIEW if vc is None else (MET if vc > pr["older_valuation_cny_wan"] else UNMET)
    else:
        s_v1 = UNMET
    s1 = conj(s_inv, s_nl, s_v1)
    # 标准二
    rev, rd = c.y0.revenue, c.y0.rd_expense
    r1, r3 = c.y1.revenue, c.y3.revenue
    k = (ONE + pr["revenue_cagr_3y"]) ** 3
    s2 = conj(
        REVIEW if ry is None else (MET if ry >= young_from else UNMET),
        nbst(fu.has_institutional_investment),
        ge(rev, pr["revenue_min"]),
        REVIEW if rev is None or rd is None or rev <= 0 else (
            MET if rd > pr["rd_ratio_min"] * rev else UNMET),
        REVIEW if rev is None or r3 is None or r3 <= 0 else (MET if rev >= k * r3 else UNMET),
        REVIEW if rev is None or r1 is None else (MET if rev > r1 else UNMET),
    )
    s_std = min(s1, s2)
    verdict = max(s_cz, s_cr, s_tech, s_std)
    if X is not None:
        shifted = int(pr["round_year"]) != R
        X.check("registered_cz", s_cz, f.city, "常州")
        X.check("credit", s_cr, None if f.flags.serious_dishonesty is None
                else not f.flags.serious_dishonesty, True)
        X.check("tech_enterprise", s_tech, {"hnte_valid_until": hon.hnte_valid_until,
                                            "tech_sme_registered_year": tsy}, True,
                note=None if s_tech == MET else
                "未持有高企证书或当年科技型中小企业入库编号，需人工认定")
        detail = (f"标准一（已获投资）：{_ST_CN[STATUS[s1]]}；标准二（未获投资、高成长）："
                  f"{_ST_CN[STATUS[s2]]}；评价年度{R}，数据年度{Y}，"
                  f"年份窗口：{young_from}年及以后 / {older_from}–{young_from - 1}年")
        if shifted:
            detail += "；年份窗口按评价年度平移（2025年及以后轮次未确认〔U〕）"
        g = None
        if s_std == UNMET and s1 == UNMET and s_v1 == UNMET and vc is not None and ry is not None \
                and ry >= young_from:
            g = gap_money(pr["young_valuation_cny_wan"] - vc)
            detail += f"；标准一估值还差{fmt(g)}万元"
        X.check("qualifying_standard", s_std, "标准一" if s_std == s1 else "标准二",
                "标准一或标准二", g, detail, confidence="U" if shifted else None)
        X.finalize(None, None, MET)
    return verdict, None, None, None


ENGINES: dict[str, Callable[[Policy, Ctx, Explain | None], EvalOut]] = {
    "tech_sme": ev_tech_sme,
    "hnte": ev_hnte,
    "innovative_sme": ev_innovative_sme,
    "srdi_sme_2022": ev_srdi_sme_2022,
    "srdi_sme_2026": ev_srdi_sme_2026,
    "little_giant_2022": ev_little_giant_2022,
    "little_giant_2026": ev_little_giant_2026,
    "gazelle": ev_gazelle,
    "unicorn_gei": ev_unicorn_gei,
    "potential_unicorn_gei": ev_potential_unicorn_gei,
    "unicorn_js": ev_unicorn_js,
    "potential_unicorn_js": ev_potential_unicorn_js,
    "seed_unicorn": ev_seed_unicorn,
}


# --------------------------------------------------------------------------- results and API


class UnknownPolicyError(KeyError):
    def __init__(self, pid: str, valid: list[str]) -> None:
        self.policy_id = pid
        self.valid = valid
        super().__init__(pid)

    def __str__(self) -> str:
        return f"未知政策编号: {self.policy_id}；可选: {', '.join(self.valid)}"


def jsonable(v: Any) -> Any:
    """Decimal → int when integral, else float; date → ISO string; recursively."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [jsonable(x) for x in v]
    return v


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

    @property
    def score_min(self) -> int | None:
        return None if self.score is None else self.score["min"]

    @property
    def score_max(self) -> int | None:
        return None if self.score is None else self.score["max"]

    @property
    def failing_checks(self) -> list[dict[str, Any]]:
        """Checks that are unmet or await manual review."""
        return [c for c in self.checks if c["status"] != "met"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "policy": self.policy, "policy_name": self.policy_name,
            "verdict": self.verdict, "route": self.route, "score": self.score,
            "checks": jsonable(self.checks), "indicators": jsonable(self.indicators),
            "levers": jsonable(self.levers), "source": self.source,
            "effective_from": self.effective_from.isoformat(),
            "effective_until": (self.effective_until.isoformat()
                                if self.effective_until else None),
            "unconfirmed": list(self.unconfirmed), "as_of": self.as_of.isoformat(),
        }


def resolve_policy(p: str | Policy) -> Policy:
    if isinstance(p, Policy):
        return p
    from .loader import load_policies

    pols = load_policies()
    if p not in pols:
        raise UnknownPolicyError(p, list(pols))
    return pols[p]


def verdict_from_checks(checks: list[dict[str, Any]], score: dict[str, int] | None,
                        route: str | None) -> str:
    """DESIGN §5 verdict semantics, computed from the emitted checks (and the score unless the
    direct route was taken, which qualifies without scoring)."""
    statuses = {c["status"] for c in checks}
    v = ELIGIBLE
    if "unmet" in statuses:
        v = INELIGIBLE
    elif "manual_review" in statuses:
        v = POSSIBLE
    if score is not None and route != "direct":
        if score["max"] < score["pass"]:
            v = INELIGIBLE
        elif score["min"] < score["pass"]:
            v = max(v, POSSIBLE)
    return VERDICTS[v]


def evaluate(facts: EnterpriseFacts, policy: str | Policy, as_of: date | None = None) -> Result:
    """Evaluate one enterprise against one policy, with every clause explained."""
    P = resolve_policy(policy)
    c = Ctx(facts, as_of)
    X = Explain(P)
    _v, smin, smax, route = ENGINES[P.engine](P, c, X)
    score = None
    if smin is not None and smax is not None and P.pass_score is not None:
        score = {"min": smin, "max": smax, "pass": P.pass_score}
    # gate levers (they flip an unmet check) first, then by points gained
    X.levers.sort(key=lambda lv: (lv["gain"] is not None, -(lv["gain"] or 0)))
    return Result(
        id=facts.id, policy=P.id, policy_name=P.name,
        verdict=verdict_from_checks(X.checks, score, route), route=route, score=score,
        checks=X.checks, indicators=X.indicators, levers=X.levers, source=P.source,
        effective_from=P.effective_from, effective_until=P.effective_until,
        unconfirmed=X.unconfirmed_keys(), as_of=c.as_of,
    )
