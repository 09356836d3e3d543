"""科技型中小企业评价（国科发政〔2017〕115号）."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..loader import Policy
from .core import (
    MET,
    ONE,
    REVIEW,
    UNMET,
    Ctx,
    EvalOut,
    Explain,
    Points,
    add,
    bst,
    ceil_int,
    choose_route,
    fmt,
    gap_money,
    incident_status,
    indicator_max,
    le,
    money,
    nbst,
    next_tier,
    pass_mark,
    pct,
    ratio,
    rd_inst_status,
    score_status,
    tier_pts,
    valid_on,
    year_path,
)

# --------------------------------------------------------------------------- 科技型中小企业


def _tech_sme_rd_points(
    rd: Decimal | None, rev: Decimal | None, cost: Decimal | None, spec: dict[str, Any]
) -> tuple[int | None, int | None]:
    ps = None if rd is None or rev is None or rev <= 0 else tier_pts(rd, rev, spec["tiers_sales"])
    pc = None if rd is None or cost is None or cost <= 0 else tier_pts(rd, cost, spec["tiers_cost"])
    return ps, pc


def ev_tech_sme(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    y0 = ctx.y0
    fl = facts.flags
    emp = facts.employees
    rev = y0.revenue
    assets = y0.total_assets
    s_res = bst(fl.resident)
    s_emp = le(emp, params["employees_max"])
    s_rev = le(rev, params["revenue_max"])
    s_ast = le(assets, params["assets_max"])
    s_ind = nbst(fl.prohibited_industry)
    s_inc, inc_note = incident_status(ctx, policy)
    s_int = max(s_inc, nbst(fl.serious_dishonesty))
    basic = max(s_res, s_emp, s_rev, s_ast, s_ind, s_int)
    ind = policy.indicators
    # A 科技人员
    ts = facts.tech_staff
    if emp is None or ts is None or emp <= 0:
        staff_points: Points = (0, indicator_max(policy, "tech_staff"))
    else:
        points = tier_pts(ts, emp, ind["tech_staff"]["tiers"])
        staff_points = (points, points)
    # B 研发投入 (enterprise picks the better ratio)
    rd = y0.rd_expense
    cost = y0.total_cost
    ps, pc = _tech_sme_rd_points(rd, rev, cost, ind["rd_input"])
    if ps is None and pc is None:
        rd_points: Points = (0, indicator_max(policy, "rd_input"))
    elif ps is None or pc is None:
        known = ps if ps is not None else pc
        assert known is not None
        rd_points = (known, 50)
    else:
        rd_points = (max(ps, pc), max(ps, pc))
    # C 科技成果
    sr = ind["sci_results"]
    c1, c2 = facts.ip.class1, facts.ip.class2
    c1_points = int(sr["class1_points"])
    c2_best = int(sr["class2_tiers"][0][1])
    c2p = 0 if c2 is None else tier_pts(c2, 1, sr["class2_tiers"])
    if c1 is not None and c1 >= 1:
        results_points: Points = (c1_points, c1_points)
    elif c1 is None:
        results_points = (c2p, c1_points)
    else:
        results_points = (c2p, c2p) if c2 is not None else (0, c2_best)
    smin = staff_points[0] + rd_points[0] + results_points[0]
    smax = staff_points[1] + rd_points[1] + results_points[1]
    s_score = score_status(smin, smax, pass_mark(policy))
    s_nz = MET if staff_points[0] > 0 else (UNMET if staff_points[1] == 0 else REVIEW)
    main = max(s_score, s_nz)
    hon = facts.honours
    d_hnte = valid_on(hon.hnte_valid_until, ctx.as_of)
    d_award = bst(hon.national_award_top3_5y)
    d_inst = rd_inst_status(ctx)
    d_std = bst(hon.led_standard_5y)
    dbest = min(d_hnte, d_award, d_inst, d_std)
    verdict, direct = choose_route(basic, main, dbest)
    route = "direct" if direct else "score"
    if explain is not None:
        explain.check("resident", s_res, fl.resident, True)
        emp_over = (
            emp - int(params["employees_max"]) if s_emp == UNMET and emp is not None else None
        )
        explain.check(
            "employees_cap",
            s_emp,
            emp,
            params["employees_max"],
            emp_over,
            f"职工总数超出上限{emp_over}人"
            if emp_over is not None
            else ("缺少职工总数" if emp is None else None),
        )
        rev_over = (
            money(rev - params["revenue_max"]) if s_rev == UNMET and rev is not None else None
        )
        explain.check(
            "revenue_cap",
            s_rev,
            money(rev),
            params["revenue_max"],
            rev_over,
            f"销售收入超出上限{fmt(rev_over)}万元"
            if rev_over is not None
            else ("缺少上一会计年度销售收入" if rev is None else None),
        )
        ast_over = (
            money(assets - params["assets_max"]) if s_ast == UNMET and assets is not None else None
        )
        explain.check(
            "assets_cap",
            s_ast,
            money(assets),
            params["assets_max"],
            ast_over,
            f"资产总额超出上限{fmt(ast_over)}万元"
            if ast_over is not None
            else ("缺少上一会计年度资产总额" if assets is None else None),
        )
        explain.check(
            "industry_allowed",
            s_ind,
            None if fl.prohibited_industry is None else not fl.prohibited_industry,
            True,
        )
        explain.check(
            "integrity",
            s_int,
            None if s_int == REVIEW else s_int == MET,
            True,
            note=inc_note or ("未提供信用核查结果，需人工核查" if s_int == REVIEW else None),
        )
        pass_ = pass_mark(policy)
        # the lowest tier that scores: 科技人员 below it score 0 and fail 第七条
        lowest_staff_tier = ind["tech_staff"]["tiers"][-1][0]
        explain.check(
            "score_pass",
            s_score,
            {"min": smin, "max": smax},
            pass_,
            pass_ - smax if s_score == UNMET else None,
            f"综合得分{smin}–{smax}分"
            + (f"，最高分还差{pass_ - smax}分" if s_score == UNMET else ""),
            group="score",
        )
        explain.check(
            "tech_staff_nonzero",
            s_nz,
            staff_points[0] if staff_points[0] == staff_points[1] else None,
            ">0",
            None
            if s_nz != UNMET or emp is None or ts is None
            else ceil_int(lowest_staff_tier * emp) - ts,
            f"科技人员还需增加{ceil_int(lowest_staff_tier * emp) - ts}人（职工总数不变）"
            if s_nz == UNMET and emp is not None and ts is not None
            else None,
            group="score",
        )
        explain.check(
            "direct_hnte", d_hnte, hon.hnte_valid_until, f"≥{ctx.as_of.isoformat()}", group="direct"
        )
        explain.check(
            "direct_national_award", d_award, hon.national_award_top3_5y, True, group="direct"
        )
        explain.check(
            "direct_rd_institution",
            d_inst,
            facts.rd_institution_level or hon.provincial_rd_institution,
            "provincial",
            group="direct",
        )
        explain.check(
            "direct_led_standard",
            d_std,
            hon.led_standard_5y,
            True,
            group="direct",
            note='"主导"的名次口径未确认〔U〕' if d_std == MET else None,
            confidence="U" if d_std == MET else None,
        )
        explain.finalize("direct" if direct else "score", "direct", dbest)
        ts_ratio = ratio(ts, emp)
        explain.ind("tech_staff", staff_points, ts_ratio)
        basis = None
        if ps is not None or pc is not None:
            basis = "sales" if (pc is None or (ps is not None and ps >= pc)) else "cost"
        rd_label = {
            "sales": "研发投入（研发费用/销售收入）",
            "cost": "研发投入（研发费用/成本费用总额）",
            None: "研发投入",
        }[basis]
        explain.ind(
            "rd_input",
            rd_points,
            ratio(rd, rev if basis == "sales" else cost) if basis else None,
            label=rd_label,
        )
        explain.ind("sci_results", results_points, {"class1": c1, "class2": c2})
        _tech_sme_levers(
            policy,
            explain,
            ctx.fiscal_year,
            staff_points,
            rd_points,
            results_points,
            emp,
            ts,
            rd,
            rev,
            cost,
            c1,
            c2,
        )
    return verdict, smin, smax, route


def _tech_sme_levers(
    policy: Policy,
    explain: Explain,
    year: int,
    staff_points: Points,
    rd_points: Points,
    results_points: Points,
    emp: int | None,
    ts: int | None,
    rd: Decimal | None,
    rev: Decimal | None,
    cost: Decimal | None,
    c1: int | None,
    c2: int | None,
) -> None:
    ind = policy.indicators
    if rd_points[0] == rd_points[1] and rd is not None:
        options: list[tuple[Decimal, str, int]] = []
        tier = next_tier(ind["rd_input"]["tiers_sales"], rd_points[0])
        if tier is not None and rev is not None and rev > 0:
            need = gap_money(tier[0] * rev - rd)
            options.append((need, f"研发费用/销售收入达到{pct(tier[0])}", int(tier[1])))
        tier = next_tier(ind["rd_input"]["tiers_cost"], rd_points[0])
        if tier is not None and cost is not None and cost > 0:
            # R&D is itself part of 成本费用总额: (rd + x) / (cost + x) ≥ t
            need = gap_money((tier[0] * cost - rd) / (ONE - tier[0]))
            options.append((need, f"研发费用/成本费用总额达到{pct(tier[0])}", int(tier[1])))
        if options:
            need, how, pts = min(options, key=lambda option: option[0])
            # R&D is part of 成本费用总额, so the cost total grows with it
            rd_changes = [add(year_path(year, "rd_expense"), need)]
            if cost is not None:
                rd_changes.append(add(year_path(year, "total_cost"), need))
            explain.lever(
                "rd_input",
                "研发投入提高一档",
                f"{year}年研发费用增加{fmt(need)}万元（{how}）",
                pts - rd_points[0],
                rd_changes,
            )
    if staff_points[0] == staff_points[1] and emp and ts is not None:
        tier = next_tier(ind["tech_staff"]["tiers"], staff_points[0])
        if tier is not None:
            need_n = ceil_int(tier[0] * emp) - ts
            explain.lever(
                "tech_staff",
                "科技人员提高一档",
                f"科技人员增加{need_n}人（达到职工总数的{pct(tier[0])}，职工总数不变）",
                int(tier[1]) - staff_points[0],
                [add("tech_staff", need_n)],
            )
    if (
        results_points[0] == results_points[1]
        and results_points[0] < int(ind["sci_results"]["class1_points"])
        and c1 == 0
    ):
        explain.lever(
            "sci_results",
            "取得第一项Ⅰ类知识产权",
            "新增1项发明专利等Ⅰ类知识产权",
            int(ind["sci_results"]["class1_points"]) - results_points[0],
            [add("ip.class1", 1)],
        )
        if c2 is not None and c2 < int(ind["sci_results"]["class2_tiers"][0][0]):
            nxt = tier_pts(c2 + 1, 1, ind["sci_results"]["class2_tiers"])
            explain.lever(
                "sci_results",
                "增加Ⅱ类知识产权",
                "新增1项实用新型/外观设计/软件著作权",
                nxt - results_points[0],
                [add("ip.class2", 1)],
            )
