"""创新型中小企业（工信部企业〔2022〕63号 附件1）."""

from __future__ import annotations

from ..loader import Policy
from .core import (
    MET,
    REVIEW,
    UNMET,
    Ctx,
    EvalOut,
    Explain,
    Points,
    add,
    bst,
    choose_route,
    fmt,
    gap_money,
    incident_status,
    indicator_max,
    ip_tier,
    money,
    nbst,
    next_tier,
    pass_mark,
    pct,
    ratio,
    rd_inst_status,
    score_status,
    tier_pts,
    tier_pts_max,
    tier_pts_max_strict,
    valid_on,
    window,
    window_ge,
    year_path,
)

# --------------------------------------------------------------------------- 创新型中小企业


def ev_innovative_sme(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    ind = policy.indicators
    fl = facts.flags
    y0, y1 = ctx.y0, ctx.y1
    s_sme = bst(fl.sme)
    s_inc, inc_note = incident_status(ctx, policy)
    s_comp = max(nbst(fl.serious_dishonesty), nbst(fl.prohibited_industry), s_inc)
    basic = max(s_sme, s_comp)
    p_ip = ip_tier(facts.ip, ind["ip"]["points"])
    rd, rev = y0.rd_expense, y0.revenue
    p_rd: Points
    if rd is None or rev is None or rev <= 0:
        p_rd = (0, indicator_max(policy, "rd_ratio"))
    else:
        points = tier_pts(rd, rev, ind["rd_ratio"]["tiers"])
        p_rd = (points, points)
    m0, m1 = y0.main_revenue, y1.main_revenue
    if m0 is None or m1 is None or m1 <= 0:
        p_gr: Points = (0, indicator_max(policy, "main_revenue_growth"))
    else:
        points = tier_pts(m0 - m1, m1, ind["main_revenue_growth"]["tiers"])
        p_gr = (points, points)
    liab, assets = y0.total_liabilities, y0.total_assets
    if liab is None or assets is None or assets <= 0:
        p_debt: Points = (0, indicator_max(policy, "debt_ratio"))
    else:
        # exactly on 55 % / 75 %: the better tier (engine) or the worse one (alternative) [U]
        tiers_max = ind["debt_ratio"]["tiers_max"]
        points = tier_pts_max(liab, assets, tiers_max)
        alt = tier_pts_max_strict(liab, assets, tiers_max)
        p_debt = (min(points, alt), max(points, alt))
    se = facts.srdi.strategic_emerging
    fp = ind["product_field"]["points"]
    p_field = (
        (int(fp["other"]), int(fp["strategic"]))
        if se is None
        else (int(fp["strategic"]),) * 2
        if se
        else (int(fp["other"]),) * 2
    )
    if m0 is None or rev is None or rev <= 0:
        p_share: Points = (0, indicator_max(policy, "main_business_share"))
    else:
        points = tier_pts(m0, rev, ind["main_business_share"]["tiers"])
        p_share = (points, points)
    g_inn = (p_ip[0] + p_rd[0], p_ip[1] + p_rd[1])
    g_gro = (p_gr[0] + p_debt[0], p_gr[1] + p_debt[1])
    g_spe = (p_field[0] + p_share[0], p_field[1] + p_share[1])
    smin = g_inn[0] + g_gro[0] + g_spe[0]
    smax = g_inn[1] + g_gro[1] + g_spe[1]
    gm = params["group_min"]
    s_score = score_status(smin, smax, pass_mark(policy))
    s_gi = score_status(g_inn[0], g_inn[1], int(gm["innovation"]))
    s_gg = score_status(g_gro[0], g_gro[1], int(gm["growth"]))
    s_gs = score_status(g_spe[0], g_spe[1], int(gm["specialisation"]))
    main = max(s_score, s_gi, s_gg, s_gs)
    hon = facts.honours
    d_award = bst(hon.sti_award_3y)
    d_hon = MET if valid_on(hon.hnte_valid_until, ctx.as_of) == MET else bst(hon.other_honour)
    d_inst = rd_inst_status(ctx)
    d_eq = window_ge(ctx, "equity_financing", 3, params["equity_3y_direct"])
    dbest = min(d_award, d_hon, d_inst, d_eq)
    verdict, direct = choose_route(basic, main, dbest)
    if explain is not None:
        explain.check("sme", s_sme, fl.sme, True)
        explain.check(
            "compliance",
            s_comp,
            None if s_comp == REVIEW else s_comp == MET,
            True,
            note=inc_note or ("未提供信用合规核查结果，需人工核查" if s_comp == REVIEW else None),
        )
        ps = pass_mark(policy)
        explain.check(
            "score_pass",
            s_score,
            {"min": smin, "max": smax},
            ps,
            ps - smax if s_score == UNMET else None,
            f"评价得分{smin}–{smax}分",
            group="score",
        )
        for key, group_points, name in (
            ("group_innovation", g_inn, "innovation"),
            ("group_growth", g_gro, "growth"),
            ("group_specialisation", g_spe, "specialisation"),
        ):
            st = score_status(group_points[0], group_points[1], int(gm[name]))
            explain.check(
                key,
                st,
                {"min": group_points[0], "max": group_points[1]},
                int(gm[name]),
                int(gm[name]) - group_points[1] if st == UNMET else None,
                group="score",
            )
        explain.check("direct_award", d_award, hon.sti_award_3y, True, group="direct")
        explain.check(
            "direct_honour",
            d_hon,
            {"hnte_valid_until": hon.hnte_valid_until, "other_honour": hon.other_honour},
            True,
            group="direct",
        )
        explain.check(
            "direct_rd_institution",
            d_inst,
            facts.rd_institution_level or hon.provincial_rd_institution,
            "provincial",
            group="direct",
        )
        eq3, _ = window(ctx, "equity_financing", 3)
        explain.check(
            "direct_equity",
            d_eq,
            money(eq3),
            params["equity_3y_direct"],
            money(params["equity_3y_direct"] - eq3) if d_eq == UNMET else None,
            group="direct",
        )
        explain.finalize("direct" if direct else "score", "direct", dbest)
        explain.ind(
            "ip",
            p_ip,
            {
                "class1": facts.ip.class1,
                "class1_high_value": facts.ip.class1_high_value,
                "class1_self_developed": facts.ip.class1_self_developed,
                "class2": facts.ip.class2,
            },
        )
        explain.ind("rd_ratio", p_rd, ratio(rd, rev))
        explain.ind(
            "main_revenue_growth",
            p_gr,
            None if m0 is None or m1 is None or m1 <= 0 else ratio(m0 - m1, m1),
        )
        explain.ind(
            "debt_ratio",
            p_debt,
            ratio(liab, assets),
            confidence="U" if p_debt[0] != p_debt[1] and liab is not None else None,
        )
        explain.ind("product_field", p_field, se)
        explain.ind("main_business_share", p_share, ratio(m0, rev))
        if p_rd[0] == p_rd[1] and rd is not None and rev is not None:
            tier = next_tier(ind["rd_ratio"]["tiers"], p_rd[0])
            if tier is not None:
                need = gap_money(tier[0] * rev - rd)
                explain.lever(
                    "rd_ratio",
                    "研发费用占比提高一档",
                    f"{ctx.fiscal_year}年研发费用增加{fmt(need)}万元（达到营业收入的{pct(tier[0])}）",
                    int(tier[1]) - p_rd[0],
                    [add(year_path(ctx.fiscal_year, "rd_expense"), need)],
                )
        if facts.ip.class1 == 0:
            explain.lever(
                "ip",
                "取得第一项Ⅰ类知识产权",
                "新增1项自主研发的发明专利",
                int(ind["ip"]["points"]["self_developed"]) - p_ip[0],
                [add("ip.class1", 1)]
                + (
                    [add("ip.class1_self_developed", 1)]
                    if facts.ip.class1_self_developed is not None
                    else []
                ),
            )
    return verdict, smin, smax, "direct" if direct else "score"
