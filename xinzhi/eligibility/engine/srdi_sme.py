"""专精特新中小企业（2022 附件2；2026 附件1）."""

from __future__ import annotations

from typing import Any

from ..loader import Policy
from .core import (
    INELIGIBLE,
    MET,
    ONE,
    REVIEW,
    TWO,
    UNMET,
    Ctx,
    EvalOut,
    Explain,
    Points,
    add,
    avg_growth,
    bst,
    choose_route,
    common_gate,
    either_reading,
    fmt,
    gap_money,
    ge,
    growth_factors,
    incident_status,
    indicator_max,
    ip_tier,
    main_share_check,
    money,
    pass_mark,
    pct,
    ratio,
    ratio_ge,
    ratio_le,
    rd_changes,
    rd_each_year,
    rd_inst_status,
    rd_lever_text,
    score_status,
    tier_pts,
    tier_pts_max,
    valid_on,
    window,
    window_ge,
    year_path,
)

# --------------------------------------------------------------------------- 专精特新 2022


def ev_srdi_sme_2022(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    ind = policy.indicators
    y0 = ctx.y0
    s_sme, s_comp = common_gate(ctx, policy)
    s_title = valid_on(facts.honours.innovative_sme_valid_until, ctx.as_of)
    sd = facts.srdi
    s_niche = ge(sd.niche_years, params["niche_years_min"])
    rd, rev = y0.rd_expense, y0.revenue
    s_rda = ge(rd, params["rd_min"])
    s_rdr = ratio_ge(rd, rev, params["rd_ratio_min"])
    if rev is not None and rev >= params["revenue_min"]:
        s_scale = MET
    else:
        eq2, eq2_complete = window(ctx, "equity_financing", 2)
        if eq2 >= params["equity_2y_alt"]:
            s_scale = MET
        else:
            s_scale = UNMET if rev is not None and eq2_complete else REVIEW
    basic = max(s_sme, s_comp, s_title, s_niche, s_rda, s_rdr, s_scale)
    # 13 indicators
    pts: dict[str, Points] = {}

    def top(key: str) -> int:
        return indicator_max(policy, key)

    main_revenues = [row.main_revenue for row in (ctx.y2, ctx.y1, y0)]
    m0 = main_revenues[2]
    pts["main_share"] = (
        (0, top("main_share"))
        if m0 is None or rev is None or rev <= 0
        else (tier_pts(m0, rev, ind["main_share"]["tiers"]),) * 2
    )
    if (
        main_revenues[0] is None
        or main_revenues[1] is None
        or m0 is None
        or main_revenues[0] <= 0
        or main_revenues[1] <= 0
    ):
        pts["main_growth_2y"] = (0, top("main_growth_2y"))
    else:
        # ½(m1/m0 + m2/m1) − 1 ≥ t  ⇔  m1² + m0·m2 ≥ 2(1 + t)·m0·m1
        lhs = main_revenues[1] * main_revenues[1] + main_revenues[0] * m0
        prod = main_revenues[0] * main_revenues[1]
        points = 0
        for k2, p2 in growth_factors(ind["main_growth_2y"]["tiers"]):
            if lhs >= k2 * prod:
                points = p2
                break
        pts["main_growth_2y"] = (points, points)
    ny = sd.niche_years
    niche_spec = ind["niche_years_score"]
    pts["niche_years_score"] = (
        (0, top("niche_years_score"))
        if ny is None
        else (min(ny // int(niche_spec["per_years"]), top("niche_years_score")),) * 2
    )
    pf = sd.product_field
    pfp = ind["product_field"]["points"]
    pts["product_field"] = (0, top("product_field")) if pf is None else (int(pfp[pf]),) * 2
    dl = sd.digital_level
    if dl is None:
        pts["digital_level"] = (0, top("digital_level"))
    else:
        # points of the highest level the enterprise reaches ({"3": 5, "2": 3, "1": 0})
        level_points = ind["digital_level"]["points"]
        reached = [int(level) for level in level_points if int(level) <= dl]
        dp = int(level_points[str(max(reached))]) if reached else 0
        pts["digital_level"] = (dp, dp)
    qi = sd.quality_items
    per_item = int(ind["quality_mgmt"]["per_item"])
    pts["quality_mgmt"] = (
        (0, top("quality_mgmt")) if qi is None else (min(per_item * qi, top("quality_mgmt")),) * 2
    )
    npf = y0.net_profit
    pts["net_margin"] = (
        (0, top("net_margin"))
        if npf is None or rev is None or rev <= 0
        else (tier_pts(npf, rev, ind["net_margin"]["tiers"]),) * 2
    )
    liab, assets = y0.total_liabilities, y0.total_assets
    pts["debt_ratio"] = (
        (0, top("debt_ratio"))
        if liab is None or assets is None or assets <= 0
        else (tier_pts_max(liab, assets, ind["debt_ratio"]["tiers_max"]),) * 2
    )
    lf = sd.local_feature_score
    pts["local_feature"] = (0, top("local_feature")) if lf is None else (lf, lf)
    pts["ip"] = ip_tier(facts.ip, ind["ip"]["points"])
    if rd is None:
        pts["rd_spend"] = (0, top("rd_spend"))
    else:
        points = 0
        for tier in ind["rd_spend"]["tiers"]:
            if rd >= tier[0] or (rev is not None and rev > 0 and rd >= tier[1] * rev):
                points = int(tier[2])
                break
        pts["rd_spend"] = (
            (points, points)
            if rev is not None or points == top("rd_spend")
            else (points, top("rd_spend"))
        )
    rds, emp = facts.rd_staff, facts.employees
    pts["rd_staff_ratio"] = (
        (0, top("rd_staff_ratio"))
        if rds is None or emp is None or emp <= 0
        else (tier_pts(rds, emp, ind["rd_staff_ratio"]["tiers"]),) * 2
    )
    lvl = facts.rd_institution_level
    rip = ind["rd_institution"]["points"]
    if lvl is not None:
        pts["rd_institution"] = (int(rip[lvl]),) * 2
    elif facts.honours.provincial_rd_institution:
        pts["rd_institution"] = (int(rip["provincial"]), int(rip["national"]))
    else:
        pts["rd_institution"] = (0, int(rip["national"]))
    smin = smax = 0
    for lo, hi in pts.values():
        smin += lo
        smax += hi
    ps = pass_mark(policy)
    s_score = score_status(smin, smax, ps)
    hon = facts.honours
    d_award = bst(hon.award_prov_top3_or_nat_top5_3y)
    d_rdavg = window_ge(ctx, "rd_expense", 2, TWO * params["direct_rd_avg_2y"])
    d_eq = window_ge(ctx, "equity_financing", 2, params["direct_equity_2y"])
    d_ck = bst(hon.chuangke_top500_3y)
    dbest = min(d_award, d_rdavg, d_eq, d_ck)
    verdict, direct = choose_route(basic, s_score, dbest)
    if explain is not None:
        explain.check("sme", s_sme, facts.flags.sme, True)
        explain.check(
            "compliance",
            s_comp,
            None if s_comp == REVIEW else s_comp == MET,
            True,
            note=incident_status(ctx, policy)[1]
            or ("未提供信用合规核查结果，需人工核查" if s_comp == REVIEW else None),
        )
        explain.check(
            "innovative_sme_title",
            s_title,
            facts.honours.innovative_sme_valid_until,
            f"≥{ctx.as_of.isoformat()}",
        )
        explain.check(
            "niche_years",
            s_niche,
            ny,
            int(params["niche_years_min"]),
            int(params["niche_years_min"]) - ny if s_niche == UNMET and ny is not None else None,
        )
        rda_gap = gap_money(params["rd_min"] - rd) if s_rda == UNMET and rd is not None else None
        explain.check(
            "rd_amount",
            s_rda,
            money(rd),
            params["rd_min"],
            rda_gap,
            f"研发费用还需增加{fmt(rda_gap)}万元" if rda_gap is not None else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, amount=params["rd_min"])),
            changes=rd_changes(ctx, amount=params["rd_min"]),
        )
        rdr_gap = (
            gap_money(params["rd_ratio_min"] * rev - rd)
            if s_rdr == UNMET and rd is not None and rev is not None
            else None
        )
        explain.check(
            "rd_ratio",
            s_rdr,
            ratio(rd, rev),
            params["rd_ratio_min"],
            rdr_gap,
            f"研发费用还需增加{fmt(rdr_gap)}万元" if rdr_gap is not None else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, share=params["rd_ratio_min"])),
            changes=rd_changes(ctx, share=params["rd_ratio_min"]),
        )
        eq2, _ = window(ctx, "equity_financing", 2)
        explain.check(
            "scale",
            s_scale,
            {"revenue": money(rev), "equity_financing_2y": money(eq2)},
            {"revenue": params["revenue_min"], "equity_financing_2y": params["equity_2y_alt"]},
            gap_money(params["revenue_min"] - rev)
            if s_scale == UNMET and rev is not None
            else None,
        )
        explain.check(
            "score_pass",
            s_score,
            {"min": smin, "max": smax},
            ps,
            ps - smax if s_score == UNMET else None,
            f"评价得分{smin}–{smax}分",
            group="score",
        )
        explain.check(
            "direct_award", d_award, hon.award_prov_top3_or_nat_top5_3y, True, group="direct"
        )
        rd2, _ = window(ctx, "rd_expense", 2)
        explain.check(
            "direct_rd_avg", d_rdavg, money(rd2 / TWO), params["direct_rd_avg_2y"], group="direct"
        )
        explain.check("direct_equity", d_eq, money(eq2), params["direct_equity_2y"], group="direct")
        explain.check("direct_chuangke", d_ck, hon.chuangke_top500_3y, True, group="direct")
        explain.finalize("direct" if direct else "score", "direct", dbest)
        actual: dict[str, Any] = {
            "main_share": ratio(m0, rev),
            "main_growth_2y": avg_growth(main_revenues[0], main_revenues[1], m0),
            "niche_years_score": ny,
            "product_field": pf,
            "digital_level": dl,
            "quality_mgmt": qi,
            "net_margin": ratio(npf, rev),
            "debt_ratio": ratio(liab, assets),
            "local_feature": lf,
            "ip": {"class1": facts.ip.class1, "class2": facts.ip.class2},
            "rd_spend": money(rd),
            "rd_staff_ratio": ratio(rds, emp),
            "rd_institution": lvl,
        }
        for key, points_range in pts.items():
            conf = "U" if key == "main_growth_2y" else None
            explain.ind(key, points_range, actual[key], confidence=conf)
        if rd is not None and pts["rd_spend"][0] < top("rd_spend"):
            nxt = [tier for tier in ind["rd_spend"]["tiers"] if int(tier[2]) > pts["rd_spend"][0]][
                -1
            ]
            need = nxt[0] - rd
            if rev is not None and rev > 0:
                need = min(need, nxt[1] * rev - rd)
            explain.lever(
                "rd_spend",
                "研发投入提高一档",
                f"{ctx.fiscal_year}年研发费用增加{fmt(gap_money(need))}万元",
                int(nxt[2]) - pts["rd_spend"][0],
                [add(year_path(ctx.fiscal_year, "rd_expense"), gap_money(need))],
            )
    return verdict, smin, smax, "direct" if direct else "score"


# --------------------------------------------------------------------------- 专精特新 2026


def ev_srdi_sme_2026(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    y0 = ctx.y0
    hon = facts.honours
    sd = facts.srdi
    s_sme, s_comp = common_gate(ctx, policy)
    # 2022 创新型中小企业 counted as the 2026 title (engine) or not (alternative) [U]
    title_2026 = valid_on(hon.tech_innovative_sme_valid_until, ctx.as_of)
    title_readings = (
        min(title_2026, valid_on(hon.innovative_sme_valid_until, ctx.as_of)),
        title_2026,
    )
    s_title = either_reading(*title_readings)
    if explain is None and (s_title == UNMET or s_sme == UNMET or s_comp == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_niche = ge(sd.niche_years, params["niche_years_min"])
    rev = y0.revenue
    if rev is not None and rev >= params["revenue_min"]:
        s_scale = MET
    else:
        eq2, eq2_complete = window(ctx, "equity_financing", 2)
        if eq2 >= params["equity_2y_alt"]:
            s_scale = MET
        else:
            s_scale = UNMET if rev is not None and eq2_complete else REVIEW
    m0 = y0.main_revenue
    s_main = ratio_ge(m0, rev, params["main_share_min"])
    liab, assets = y0.total_liabilities, y0.total_assets
    s_debt = ratio_le(liab, assets, params["debt_ratio_max"])
    s_rda, s_rdr, gap_a, gap_r = rd_each_year(
        ctx, 2, params["rd_min_each"], params["rd_ratio_each"]
    )
    c1 = facts.ip.class1
    exempt = hon.award_prov_plus_top3_3y is True or rd_inst_status(ctx) == MET
    s_ip = MET if exempt else ge(c1, params["class1_min"])
    s_mkt = REVIEW
    s_dev = ge(sd.dev_score, params["dev_score_min"])
    verdict = max(
        s_sme, s_comp, s_title, s_niche, s_scale, s_main, s_debt, s_rda, s_rdr, s_ip, s_mkt, s_dev
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
        explain.check(
            "tech_innovative_title",
            s_title,
            hon.tech_innovative_sme_valid_until or hon.innovative_sme_valid_until,
            f"≥{ctx.as_of.isoformat()}",
            note="2022年标准创新型中小企业称号视同（我方解释）"
            if title_readings[0] == MET and title_2026 == UNMET
            else None,
            readings=title_readings,
        )
        explain.check("niche_years", s_niche, sd.niche_years, int(params["niche_years_min"]))
        eq2, _ = window(ctx, "equity_financing", 2)
        explain.check(
            "scale",
            s_scale,
            {"revenue": money(rev), "equity_financing_2y": money(eq2)},
            {"revenue": params["revenue_min"], "equity_financing_2y": params["equity_2y_alt"]},
            gap_money(params["revenue_min"] - rev)
            if s_scale == UNMET and rev is not None
            else None,
        )
        main_share_check(explain, ctx, s_main, m0, rev, params["main_share_min"])
        debt_gap = (
            gap_money((liab - params["debt_ratio_max"] * assets) / (ONE - params["debt_ratio_max"]))
            if s_debt == UNMET and liab is not None and assets is not None
            else None
        )
        explain.check(
            "debt_ratio",
            s_debt,
            ratio(liab, assets),
            params["debt_ratio_max"],
            # repaying debt with cash lowers assets too: (L − x)/(A − x) ≤ t ⇔ x ≥ (L − t·A)/(1 − t)
            debt_gap,
            f"负债还需减少{fmt(debt_gap)}万元（以资产偿还："
            f"x = (负债 − {pct(params['debt_ratio_max'])}×资产)"
            f"/(1 − {pct(params['debt_ratio_max'])})）"
            if debt_gap is not None
            else None,
        )
        explain.check(
            "rd_amount_2y",
            s_rda,
            [money(ctx.y1.rd_expense), money(y0.rd_expense)],
            params["rd_min_each"],
            gap_money(gap_a) if s_rda == UNMET else None,
            f"两年研发费用合计还需增加{fmt(gap_money(gap_a))}万元" if s_rda == UNMET else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, amount=params["rd_min_each"])),
            changes=rd_changes(ctx, amount=params["rd_min_each"]),
        )
        explain.check(
            "rd_ratio_2y",
            s_rdr,
            [ratio(ctx.y1.rd_expense, ctx.y1.revenue), ratio(y0.rd_expense, rev)],
            params["rd_ratio_each"],
            gap_money(gap_r) if s_rdr == UNMET else None,
            f"两年研发费用合计还需增加{fmt(gap_money(gap_r))}万元" if s_rdr == UNMET else None,
            lever=rd_lever_text(ctx, rd_changes(ctx, share=params["rd_ratio_each"])),
            changes=rd_changes(ctx, share=params["rd_ratio_each"]),
        )
        explain.check(
            "class1_ip",
            s_ip,
            c1,
            int(params["class1_min"]),
            int(params["class1_min"]) - c1 if s_ip == UNMET and c1 is not None else None,
            "以奖励或省级以上研发机构豁免"
            if exempt
            else "与主导产品的相关性及实际应用需核实"
            if s_ip == MET
            else None,
            lever="新增1项与主导产品相关的发明专利",
            changes=[add("ip.class1", 1)],
        )
        explain.check(
            "market_position",
            s_mkt,
            {"share": sd.market_share, "rank": sd.market_rank},
            "较为靠前",
            note="未给出量化标准，需人工判断",
        )
        explain.check(
            "dev_score",
            s_dev,
            sd.dev_score,
            int(params["dev_score_min"]),
            int(params["dev_score_min"]) - sd.dev_score if s_dev == UNMET else None,  # type: ignore[operator]
            "平台计算的发展评价得分未提供" if sd.dev_score is None else None,
        )
        explain.finalize(None, None, MET)
    return verdict, None, None, None
