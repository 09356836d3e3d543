"""江苏省瞪羚企业."""

from __future__ import annotations

from decimal import Decimal

from ..loader import Policy
from .core import (
    INELIGIBLE,
    MET,
    ONE,
    REVIEW,
    STATUS,
    STATUS_CN,
    UNMET,
    Ctx,
    EvalOut,
    Explain,
    Status,
    add,
    conj,
    fmt,
    gap_money,
    ge,
    nbst,
    pct,
    ratio,
    region_status,
    year_path,
    yi,
)

# --------------------------------------------------------------------------- 瞪羚 / 独角兽


def _no_big_fall(ctx: Ctx) -> Status:
    revs = [ctx.row(back).revenue for back in (3, 2, 1, 0)]
    if any(value is None for value in revs):
        return REVIEW
    return MET if all(revs[index + 1] >= revs[index] for index in range(3)) else REVIEW  # type: ignore[operator]


def ev_gazelle(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    y0 = ctx.y0
    fiscal_year = ctx.fiscal_year
    fl = facts.flags
    s_js = region_status(facts.province, "江苏")
    s_cr = nbst(fl.serious_dishonesty)
    s_sec = nbst(fl.excluded_sector)
    s_ent = nbst(fl.branch_or_trading)
    if explain is None and UNMET in (s_js, s_cr, s_sec, s_ent):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    rev = y0.revenue
    sci = y0.sci_activity_expense
    rd = y0.rd_expense
    thr = params["intensity_min"]
    if rev is None or rev <= 0:
        s_int = REVIEW
    elif sci is not None:
        s_int = MET if sci > thr * rev else UNMET
    else:
        s_int = MET if rd is not None and rd > thr * rev else REVIEW
    ry = ctx.reg_year

    def reg_ge(offset: Decimal) -> Status:
        return REVIEW if ry is None else (MET if ry >= fiscal_year - int(offset) else UNMET)

    r0, r1, r3 = rev, ctx.y1.revenue, ctx.y3.revenue
    k_rev = (ONE + params["revenue_cagr_min"]) ** 3
    p1 = conj(
        reg_ge(params["reg_offset_growth"]),
        ge(r3, params["base_revenue_min"]),
        REVIEW if r0 is None or r3 is None else (MET if r0 >= k_rev * r3 else UNMET),
        REVIEW if r0 is None or r1 is None else (MET if r0 > r1 else UNMET),
    )
    p2 = p3 = p4 = UNMET
    if p1 != MET or explain is not None:  # any-of: the batch path stops at the first met path
        e0 = y0.employees
        if e0 is None:
            e0 = facts.employees
        e1, e3 = ctx.y1.employees, ctx.y3.employees
        k_emp = (ONE + params["employees_cagr_min"]) ** 3
        p2 = conj(
            reg_ge(params["reg_offset_growth"]),
            ge(e3, params["base_employees_min"]),
            REVIEW if e0 is None or e3 is None else (MET if e0 >= k_emp * e3 else UNMET),
            REVIEW if e0 is None or e1 is None else (MET if e0 > e1 else UNMET),
        )
        # paths 3–4 need a large revenue; only then look at the 3-year trend
        s3 = conj(reg_ge(params["reg_offset_fast"]), ge(r0, params["fast_revenue_min"]))
        s4 = conj(reg_ge(params["reg_offset_scale"]), ge(r0, params["scale_revenue_min"]))
        if s3 != UNMET or s4 != UNMET:
            fall = _no_big_fall(ctx)
            p3, p4 = conj(s3, fall), conj(s4, fall)
    s_path = min(p1, p2, p3, p4)
    verdict = max(s_js, s_cr, s_sec, s_ent, s_int, s_path)
    if explain is not None:
        explain.check("registered_js", s_js, facts.province, "江苏")
        explain.check(
            "credit",
            s_cr,
            None if fl.serious_dishonesty is None else not fl.serious_dishonesty,
            True,
        )
        explain.check(
            "sector_allowed",
            s_sec,
            None if fl.excluded_sector is None else not fl.excluded_sector,
            True,
        )
        explain.check(
            "entity_allowed",
            s_ent,
            None if fl.branch_or_trading is None else not fl.branch_or_trading,
            True,
        )
        int_gap = (
            gap_money(thr * rev - (sci if sci is not None else rd)) + Decimal("0.01")
            if s_int == UNMET and rev is not None and sci is not None
            else None
        )
        int_changes = (
            [add(year_path(fiscal_year, "sci_activity_expense"), int_gap)]
            if int_gap is not None
            else None
        )
        explain.check(
            "innovation_intensity",
            s_int,
            ratio(sci if sci is not None else rd, rev),
            f">{pct(thr)}",
            int_gap,
            "以研发费用作为科技活动费用下限估算"
            if sci is None and s_int == MET
            else "缺少科技活动费用支出"
            if sci is None
            else f"科技活动费用还需增加{fmt(int_gap)}万元"
            if int_gap is not None
            else None,
            lever=f"{fiscal_year}年科技活动费用增加{fmt(int_gap)}万元"
            if int_gap is not None
            else None,
            changes=int_changes,
        )
        names = (
            "营收增长路径",
            "人员增长路径",
            f"{int(params['reg_offset_fast']) + 1}年内营收≥"
            f"{yi(params['fast_revenue_min'])}亿元路径",
            f"{int(params['reg_offset_scale']) + 1}年内营收≥"
            f"{yi(params['scale_revenue_min'])}亿元路径",
        )
        detail = "；".join(
            f"{name}：{STATUS_CN[STATUS[status]]}"
            for name, status in zip(names, (p1, p2, p3, p4), strict=True)
        )
        best = names[(p1, p2, p3, p4).index(s_path)]
        p1_gap = (
            gap_money(k_rev * r3 - r0)
            if p1 == UNMET
            and s_path == UNMET
            and r0 is not None
            and r3 is not None
            and r3 >= params["base_revenue_min"]
            and r0 < k_rev * r3
            else None
        )
        growth_text = growth_changes = None
        if p1_gap is not None and r0 is not None:
            growth_changes = [add(year_path(fiscal_year, "revenue"), p1_gap)]
            growth_text = f"{fiscal_year}年营业收入增加{fmt(p1_gap)}万元"
            spent = sci if sci is not None else rd
            if s_int == MET and spent is not None:
                # more revenue lowers the 科技活动 intensity: keep it strictly above the line
                more = thr * (r0 + p1_gap) - spent
                if more >= 0:
                    more = gap_money(more) + Decimal("0.01")
                    what = "sci_activity_expense" if sci is not None else "rd_expense"
                    growth_changes.append(add(year_path(fiscal_year, what), more))
                    growth_text += f"，同时科技活动费用增加{fmt(more)}万元以保持占比"
        explain.check(
            "growth_path",
            s_path,
            best if s_path != UNMET else None,
            "任一路径",
            p1_gap,
            detail
            + (
                f"；营收增长路径：{fiscal_year}年营业收入还需增加{fmt(p1_gap)}万元"
                f"（{fiscal_year - 3}–{fiscal_year}年复合增长率"
                f"达到{pct(params['revenue_cagr_min'])}）"
                if p1_gap is not None
                else ""
            ),
            lever=growth_text,
            changes=growth_changes,
        )
        explain.finalize(None, None, MET)
        explain.unconfirmed.add("year_windows")
    return verdict, None, None, None
