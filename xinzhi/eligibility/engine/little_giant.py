"""专精特新"小巨人"企业（2022 附件3；2026 附件2）."""

from __future__ import annotations

from ..loader import Policy
from .core import (
    INELIGIBLE,
    MET,
    ONE,
    REVIEW,
    UNMET,
    Ctx,
    EvalOut,
    Explain,
    add,
    avg_growth,
    avg_growth_ge,
    bst,
    choose_route,
    common_gate,
    either_reading,
    fmt,
    gap_money,
    ge,
    incident_status,
    main_share_check,
    money,
    pct,
    ratio,
    ratio_ge,
    ratio_le,
    rd_changes,
    rd_each_year,
    rd_lever_text,
    valid_on,
    window,
    window_ge,
)

# --------------------------------------------------------------------------- 小巨人 2022


def ev_little_giant_2022(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    y0, y1 = ctx.y0, ctx.y1
    hon = facts.honours
    sd = facts.srdi
    s_sme, s_comp = common_gate(ctx, policy)
    s_title = valid_on(hon.srdi_sme_valid_until, ctx.as_of)
    if explain is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, params["niche_years_min"])
    rev = y0.revenue
    main_revenues = [row.main_revenue for row in (ctx.y2, y1, y0)]
    s_main = ratio_ge(main_revenues[2], rev, params["main_share_min"])
    if (
        main_revenues[0] is None
        or main_revenues[1] is None
        or main_revenues[2] is None
        or main_revenues[0] <= 0
        or main_revenues[1] <= 0
    ):
        s_mg = REVIEW
        growth_readings = None
    else:
        # 平均增长率: mean of the two annual rates (engine) or the 2-year CAGR (alternative) [U]
        growth_readings = (
            MET
            if avg_growth_ge(
                main_revenues[0], main_revenues[1], main_revenues[2], params["main_growth_min"]
            )
            else UNMET,
            MET
            if main_revenues[2] >= (ONE + params["main_growth_min"]) ** 2 * main_revenues[0]
            else UNMET,
        )
        s_mg = either_reading(*growth_readings)
    s_info = bst(sd.info_system)
    s_cert = bst(sd.mgmt_certification)
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, params["debt_ratio_max"])
    s_share = ge(sd.market_share, params["market_share_min"])
    s_brand = bst(sd.own_brand)
    # 新: general route
    rd_gap = None
    rd_share = None
    if rev is None:
        s_rd = REVIEW
        rd_rule = ""
    else:
        s_rd = REVIEW
        rd_rule = ""
        for floor, share in params["rd_tiers"]:
            if rev >= floor:
                _, s_rd, _, gap = rd_each_year(ctx, 2, None, share)
                rd_gap = gap
                rd_share = share
                rd_rule = f"营业收入≥{fmt(floor)}万元：近2年研发费用占比均≥{pct(share)}"
                break
        else:
            eq2 = window_ge(ctx, "equity_financing", 2, params["small_equity_2y"])
            rd2 = window_ge(ctx, "rd_expense", 2, params["small_rd_2y"])
            stf = ratio_ge(facts.rd_staff, facts.employees, params["small_rd_staff_ratio"])
            s_rd = max(eq2, rd2, stf)
            smallest_floor = params["rd_tiers"][-1][0]
            rd_rule = (
                f"营业收入<{fmt(smallest_floor)}万元：股权融资≥{fmt(params['small_equity_2y'])}万元、"
                f"研发≥{fmt(params['small_rd_2y'])}万元、研发人员≥{pct(params['small_rd_staff_ratio'])}"
            )
    lvl = facts.rd_institution_level
    s_inst = (
        MET
        if (lvl is not None and lvl != "none") or hon.provincial_rd_institution
        else UNMET
        if lvl == "none"
        else REVIEW
    )
    c1 = facts.ip.class1
    s_ip = ge(c1, params["class1_min"])
    general = max(s_rd, s_inst, s_ip)
    d1 = bst(hon.national_award_top3_3y)
    d2 = bst(hon.chuangke_top50_3y)
    dbest = min(d1, d2)
    s_chain = UNMET if sd.chain_key_link is False else REVIEW
    s_field = UNMET if sd.six_basics_field is False else REVIEW
    basic = max(
        s_sme,
        s_comp,
        s_title,
        s_niche,
        s_main,
        s_mg,
        s_info,
        s_cert,
        s_debt,
        s_share,
        s_brand,
        s_chain,
        s_field,
    )
    verdict, direct = choose_route(basic, general, dbest)
    if explain is not None:
        explain.check("sme", s_sme, facts.flags.sme, True)
        explain.check(
            "compliance",
            s_comp,
            None if s_comp == REVIEW else s_comp == MET,
            True,
            note=incident_status(ctx, policy)[1],
        )
        explain.check("srdi_title", s_title, hon.srdi_sme_valid_until, f"≥{ctx.as_of.isoformat()}")
        explain.check("niche_years", s_niche, sd.niche_years, int(params["niche_years_min"]))
        main_share_check(explain, ctx, s_main, main_revenues[2], rev, params["main_share_min"])
        explain.check(
            "main_growth_2y",
            s_mg,
            avg_growth(main_revenues[0], main_revenues[1], main_revenues[2]),
            params["main_growth_min"],
            note="两年增长率算术平均（我方解释〔U〕）",
            confidence="U",
            readings=growth_readings,
        )
        explain.check("info_system", s_info, sd.info_system, True)
        explain.check("certification", s_cert, sd.mgmt_certification, True)
        explain.check("debt_ratio", s_debt, ratio(liab, assets), params["debt_ratio_max"])
        explain.check(
            "market_share",
            s_share,
            sd.market_share,
            params["market_share_min"],
            note='"较高知名度"需人工核实' if s_share == MET else None,
        )
        explain.check("own_brand", s_brand, sd.own_brand, True)
        explain.check(
            "rd_intensity_2y",
            s_rd,
            None if rev is None else money(rev),
            rd_rule,
            gap_money(rd_gap) if s_rd == UNMET and rd_gap else None,
            f"两年研发费用合计还需增加{fmt(gap_money(rd_gap))}万元"
            if s_rd == UNMET and rd_gap
            else None,
            group="general",
            lever=rd_lever_text(ctx, rd_changes(ctx, share=rd_share)) if rd_share else None,
            changes=rd_changes(ctx, share=rd_share) if rd_share else None,
        )
        explain.check("rd_institution", s_inst, lvl, "已建研发机构", group="general")
        explain.check(
            "class1_ip",
            s_ip,
            c1,
            int(params["class1_min"]),
            int(params["class1_min"]) - c1 if s_ip == UNMET and c1 is not None else None,
            "需核实与主导产品相关并实际应用" if s_ip == MET else None,
            group="general",
            lever=f"新增{int(params['class1_min']) - c1}项Ⅰ类知识产权（发明专利）"
            if s_ip == UNMET and c1 is not None
            else None,
            changes=[add("ip.class1", int(params["class1_min"]) - c1)]
            if s_ip == UNMET and c1 is not None
            else None,
        )
        explain.check("direct_national_award", d1, hon.national_award_top3_3y, True, group="direct")
        explain.check("direct_chuangke", d2, hon.chuangke_top50_3y, True, group="direct")
        explain.check("chain_key_link", s_chain, sd.chain_key_link, True, note="需人工判断")
        explain.check("product_field", s_field, sd.six_basics_field, True, note="需人工判断")
        explain.finalize("direct" if direct else "general", "direct", dbest)
    return verdict, None, None, "direct" if direct else None


# --------------------------------------------------------------------------- 小巨人 2026


def ev_little_giant_2026(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    y0 = ctx.y0
    hon = facts.honours
    sd = facts.srdi
    s_sme, s_comp = common_gate(ctx, policy)
    s_title = valid_on(hon.srdi_sme_valid_until, ctx.as_of)
    if explain is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, params["niche_years_min"])
    rev = y0.revenue
    s_rev = ge(rev, params["revenue_min"])
    m0 = y0.main_revenue
    s_main = ratio_ge(m0, rev, params["main_share_min"])
    r2 = ctx.y2.revenue
    cagr_f = (ONE + params["revenue_cagr_2y"]) ** 2
    r1 = ctx.y1.revenue
    cagr_readings = None
    if rev is None or r2 is None or r2 <= 0:
        s_cagr = REVIEW
    else:
        # 复合增长率 (engine) or the mean of the two annual rates (alternative) [U]
        s_cagr = MET if rev >= cagr_f * r2 else UNMET
        if r1 is not None and r1 > 0:
            cagr_readings = (
                s_cagr,
                MET if avg_growth_ge(r2, r1, rev, params["revenue_cagr_2y"]) else UNMET,
            )
            s_cagr = either_reading(*cagr_readings)
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, params["debt_ratio_max"])
    rd2, rd2_complete = window(ctx, "rd_expense", 2)
    s_rdt = MET if rd2 >= params["rd_total_2y"] else (UNMET if rd2_complete else REVIEW)
    _, s_rdr, _, gap_r = rd_each_year(ctx, 2, None, params["rd_ratio_each"])
    sdv = facts.ip.class1_self_developed
    # "自主研发" Ⅰ类 (ip.class1_self_developed) vs any Ⅰ类 (ip.class1): read both ways [U]
    ip_readings = (
        MET if hon.national_award_top3_3y else ge(sdv, params["class1_min"]),
        MET if hon.national_award_top3_3y else ge(facts.ip.class1, params["class1_min"]),
    )
    s_ip = either_reading(*ip_readings)
    ms, mr = sd.market_share, sd.market_rank
    if (ms is not None and ms >= params["market_share_min"]) or (
        mr is not None and mr <= params["market_rank_max"]
    ):
        s_mkt = MET
    else:
        s_mkt = REVIEW if ms is None and mr is None else UNMET
    s_field = UNMET if sd.six_basics_field is False and sd.chain_key_link is False else REVIEW
    s_dev = ge(sd.dev_score, params["dev_score_min"])
    verdict = max(
        s_sme,
        s_comp,
        s_title,
        s_niche,
        s_rev,
        s_main,
        s_cagr,
        s_debt,
        s_rdt,
        s_rdr,
        s_ip,
        s_mkt,
        s_field,
        s_dev,
    )
    if explain is not None:
        explain.check("sme", s_sme, facts.flags.sme, True)
        explain.check(
            "compliance",
            s_comp,
            None if s_comp == REVIEW else s_comp == MET,
            True,
            note=incident_status(ctx, policy)[1],
        )
        explain.check("srdi_title", s_title, hon.srdi_sme_valid_until, f"≥{ctx.as_of.isoformat()}")
        explain.check("niche_years", s_niche, sd.niche_years, int(params["niche_years_min"]))
        rev_gap = gap_money(params["revenue_min"] - rev) if s_rev == UNMET else None  # type: ignore[operator]
        explain.check(
            "revenue",
            s_rev,
            money(rev),
            params["revenue_min"],
            rev_gap,
            f"营业收入还需增加{fmt(rev_gap)}万元" if rev_gap is not None else None,
        )
        main_share_check(explain, ctx, s_main, m0, rev, params["main_share_min"])
        explain.check(
            "revenue_cagr_2y",
            s_cagr,
            None if s_cagr == REVIEW else ratio(rev - r2, r2),
            params["revenue_cagr_2y"],  # type: ignore[operator]
            gap_money(cagr_f * r2 - rev) if s_cagr == UNMET else None,  # type: ignore[operator]
            "按(上年/前两年)^(1/2)−1计算（我方解释〔U〕）；actual为两年累计增长率",
            confidence="U",
            readings=cagr_readings,
        )
        explain.check("debt_ratio", s_debt, ratio(liab, assets), params["debt_ratio_max"])
        rdt_gap = gap_money(params["rd_total_2y"] - rd2) if s_rdt == UNMET else None
        explain.check(
            "rd_total_2y",
            s_rdt,
            money(rd2),
            params["rd_total_2y"],
            rdt_gap,
            f"近2年研发费用合计还需增加{fmt(rdt_gap)}万元" if rdt_gap is not None else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, amount=(y0.rd_expense or 0) + rdt_gap))
            if rdt_gap is not None
            else None,
            changes=rd_changes(ctx, amount=(y0.rd_expense or 0) + rdt_gap)
            if rdt_gap is not None
            else None,
        )
        explain.check(
            "rd_ratio_2y",
            s_rdr,
            [ratio(ctx.y1.rd_expense, ctx.y1.revenue), ratio(y0.rd_expense, rev)],
            params["rd_ratio_each"],
            gap_money(gap_r) if s_rdr == UNMET else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, share=params["rd_ratio_each"])),
            changes=rd_changes(ctx, share=params["rd_ratio_each"]),
        )
        explain.check(
            "class1_ip",
            s_ip,
            sdv,
            int(params["class1_min"]),
            int(params["class1_min"]) - sdv if s_ip == UNMET and sdv is not None else None,
            "国家级科技奖励豁免"
            if hon.national_award_top3_3y
            else "权利人排名前三需核实"
            if s_ip == MET
            else None,
            readings=ip_readings,
        )
        explain.check(
            "market_share",
            s_mkt,
            {"share": ms, "rank": mr},
            {"share": params["market_share_min"], "rank": params["market_rank_max"]},
        )
        explain.check(
            "product_field",
            s_field,
            {"six_basics": sd.six_basics_field, "chain_key_link": sd.chain_key_link},
            True,
            note="需人工判断",
        )
        explain.check(
            "dev_score",
            s_dev,
            sd.dev_score,
            int(params["dev_score_min"]),
            int(params["dev_score_min"]) - sd.dev_score if s_dev == UNMET else None,
        )  # type: ignore[operator]
        explain.finalize(None, None, MET)
    return verdict, None, None, None
