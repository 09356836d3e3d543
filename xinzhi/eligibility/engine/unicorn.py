"""独角兽、潜在独角兽（GEI、江苏）与常州种子独角兽."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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
    bst,
    conj,
    either_reading,
    fmt,
    gap_money,
    ge,
    investment_checks,
    le,
    money,
    money_check,
    nbst,
    region_status,
    valid_on,
)


def _explain_gei_gates(
    explain: Explain, ctx: Ctx, params: dict[str, Any], gates: tuple[Status, Status, Status, Status]
) -> None:
    """The four gates both GEI lists share: 境内注册, 成立年限, 机构投资, 未上市."""
    facts = ctx.facts
    s_cn, s_age, s_inv, s_nl = gates
    explain.check("registered_cn", s_cn, facts.flags.resident, True)
    explain.check(
        "age",
        s_age,
        ctx.cal_age,
        int(params["max_age_years"]),
        note=f"按成立年份计算（{ctx.reg_year}年成立）" if ctx.reg_year else "缺少成立日期",
    )
    explain.check("investment", s_inv, facts.funding.has_institutional_investment, True)
    explain.check(
        "not_listed", s_nl, None if facts.flags.listed is None else not facts.flags.listed, True
    )


def ev_unicorn_gei(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    fu = facts.funding
    s_cn = bst(facts.flags.resident)
    s_age = le(ctx.cal_age, params["max_age_years"])
    s_inv, s_nl = investment_checks(facts)
    s_val = ge(fu.valuation_usd_m, params["valuation_usd_m"])
    s_fin = ge(fu.financing_usd_m, params["financing_usd_m"])
    verdict = max(s_cn, s_age, s_inv, s_nl, s_val, s_fin)
    if explain is not None:
        _explain_gei_gates(explain, ctx, params, (s_cn, s_age, s_inv, s_nl))
        money_check(
            explain,
            "valuation",
            s_val,
            fu.valuation_usd_m,
            params["valuation_usd_m"],
            "百万美元",
            "估值",
        )
        money_check(
            explain,
            "financing",
            s_fin,
            fu.financing_usd_m,
            params["financing_usd_m"],
            "百万美元",
            "累计融资",
        )
        explain.finalize(None, None, MET)
    return verdict, None, None, None


def ev_potential_unicorn_gei(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    fu = facts.funding
    s_cn = bst(facts.flags.resident)
    s_age = le(ctx.cal_age, params["max_age_years"])
    s_inv, s_nl = investment_checks(facts)
    val_readings: tuple[Status, Status] | None = None
    fin_readings: tuple[Status, Status] | None = None
    young, older = params["young"], params["older"]
    if ctx.cal_age is None:
        req_v, req_f = None, None

        def two(valuation: Decimal | None, low: Decimal, high: Decimal) -> Status:
            if valuation is None:
                return REVIEW
            return MET if valuation >= high else (UNMET if valuation < low else REVIEW)

        s_val = two(fu.valuation_usd_m, young["valuation_usd_m"], older["valuation_usd_m"])
        s_fin = two(fu.financing_usd_m, young["financing_usd_m"], older["financing_usd_m"])
    else:
        tier = young if ctx.cal_age < params["young_age_below"] else older
        req_v, req_f = tier["valuation_usd_m"], tier["financing_usd_m"]
        s_val = ge(fu.valuation_usd_m, req_v)
        s_fin = ge(fu.financing_usd_m, req_f)
        if ctx.cal_age == params["young_age_below"]:
            # "成立5年之内" and "5年-9年" both contain age 5: read it both ways [U]
            alt_val = ge(fu.valuation_usd_m, young["valuation_usd_m"])
            alt_fin = ge(fu.financing_usd_m, young["financing_usd_m"])
            val_readings, fin_readings = (s_val, alt_val), (s_fin, alt_fin)
            s_val, s_fin = either_reading(s_val, alt_val), either_reading(s_fin, alt_fin)
    verdict = max(s_cn, s_age, s_inv, s_nl, s_val, s_fin)
    if explain is not None:
        _explain_gei_gates(explain, ctx, params, (s_cn, s_age, s_inv, s_nl))
        if req_v is None:
            explain.check(
                "valuation", s_val, money(fu.valuation_usd_m), "按成立年限确定", note="缺少成立日期"
            )
            explain.check(
                "financing", s_fin, money(fu.financing_usd_m), "按成立年限确定", note="缺少成立日期"
            )
        else:
            money_check(
                explain,
                "valuation",
                s_val,
                fu.valuation_usd_m,
                req_v,
                "百万美元",
                "估值",
                val_readings,
            )
            money_check(
                explain,
                "financing",
                s_fin,
                fu.financing_usd_m,
                req_f,
                "百万美元",
                "累计融资",
                fin_readings,
            )
        explain.finalize(None, None, MET)
    return verdict, None, None, None


def ev_unicorn_js(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    fu = facts.funding
    s_js = region_status(facts.province, "江苏")
    s_cr = nbst(facts.flags.serious_dishonesty)
    s_est = ge(ctx.reg_year, params["established_from_year"])
    if explain is None and UNMET in (s_js, s_cr, s_est):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    s_inv, s_nl = investment_checks(facts)
    valuation = fu.valuation_usd_m
    kt = facts.honours.key_tech_breakthrough
    if valuation is None:
        s_val = REVIEW
    elif valuation > params["valuation_usd_m"]:
        s_val = MET
    elif valuation >= params["relaxed_valuation_usd_m"]:
        s_val = UNMET if kt is False else REVIEW
    else:
        s_val = UNMET
    verdict = max(s_js, s_cr, s_est, s_inv, s_nl, s_val)
    if explain is not None:
        explain.check("registered_js", s_js, facts.province, "江苏")
        explain.check(
            "credit",
            s_cr,
            None if facts.flags.serious_dishonesty is None else not facts.flags.serious_dishonesty,
            True,
        )
        explain.check("established", s_est, ctx.reg_year, int(params["established_from_year"]))
        explain.check("investment", s_inv, fu.has_institutional_investment, True)
        explain.check(
            "not_listed", s_nl, None if facts.flags.listed is None else not facts.flags.listed, True
        )
        gap = (
            gap_money(params["relaxed_valuation_usd_m"] - valuation)
            if s_val == UNMET
            and valuation is not None
            and valuation < params["relaxed_valuation_usd_m"]
            else None
        )
        explain.check(
            "valuation",
            s_val,
            money(valuation),
            f">{fmt(params['valuation_usd_m'])}",
            gap,
            f"估值在{fmt(Decimal(params['relaxed_valuation_usd_m']) / 100)}亿–"
            f"{fmt(Decimal(params['valuation_usd_m']) / 100)}亿美元之间，"
            "需认定关键核心技术突破等放宽情形"
            if s_val == REVIEW and valuation is not None
            else (f"估值距放宽线还差{fmt(gap)}百万美元" if gap is not None else None),
        )
        explain.finalize(None, None, MET)
    return verdict, None, None, None


def ev_potential_unicorn_js(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    fu = facts.funding
    s_js = region_status(facts.province, "江苏")
    s_cr = nbst(facts.flags.serious_dishonesty)
    s_inv, s_nl = investment_checks(facts)
    ry = ctx.reg_year
    vu, vc = fu.valuation_usd_m, fu.valuation_cny_wan
    if ry is None:
        s_val = REVIEW
        rule = "缺少成立日期"
    elif ry >= params["young_from_year"]:
        rule = f"{int(params['young_from_year'])}年及以后成立：≥{fmt(params['young_valuation_usd_m'])}百万美元或≥{fmt(params['young_valuation_cny_wan'])}万元"  # noqa: E501
        if (vu is not None and vu >= params["young_valuation_usd_m"]) or (
            vc is not None and vc >= params["young_valuation_cny_wan"]
        ):
            s_val = MET
        else:
            s_val = (
                REVIEW
                if vu is None and vc is None
                else (UNMET if vu is not None and vc is not None else REVIEW)
            )
    elif ry >= params["older_from_year"]:
        rule = f"{int(params['older_from_year'])}–{int(params['young_from_year']) - 1}年成立：>{fmt(params['older_valuation_usd_m'])}百万美元"  # noqa: E501
        s_val = REVIEW if vu is None else (MET if vu > params["older_valuation_usd_m"] else UNMET)
    else:
        s_val = UNMET
        rule = f"{int(params['older_from_year'])}年以前成立，不在范围内"
    verdict = max(s_js, s_cr, s_inv, s_nl, s_val)
    if explain is not None:
        explain.check("registered_js", s_js, facts.province, "江苏")
        explain.check(
            "credit",
            s_cr,
            None if facts.flags.serious_dishonesty is None else not facts.flags.serious_dishonesty,
            True,
        )
        explain.check("investment", s_inv, fu.has_institutional_investment, True)
        explain.check(
            "not_listed", s_nl, None if facts.flags.listed is None else not facts.flags.listed, True
        )
        explain.check(
            "valuation",
            s_val,
            {"usd_m": money(vu), "cny_wan": money(vc), "registered_year": ry},
            rule,
        )
        explain.finalize(None, None, MET)
    return verdict, None, None, None


def ev_seed_unicorn(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    fu = facts.funding
    hon = facts.honours
    round_year = ctx.as_of.year
    fiscal_year = round_year - 1
    s_cz = region_status(facts.city, "常州")
    s_cr = nbst(facts.flags.serious_dishonesty)
    if explain is None and (s_cz == UNMET or s_cr == UNMET):
        return INELIGIBLE, None, None, None  # batch: an unmet gate decides
    tsy = hon.tech_sme_registered_year
    s_tech = (
        MET
        if valid_on(hon.hnte_valid_until, ctx.as_of) == MET
        or (tsy is not None and tsy >= fiscal_year)
        else REVIEW
    )
    ry = ctx.reg_year
    young_from = round_year - int(params["young_years"])
    older_from = round_year - int(params["older_years"])
    # 标准一
    s_inv, s_nl = investment_checks(facts)
    vc = fu.valuation_cny_wan
    if ry is None:
        s_v1 = REVIEW
    elif ry >= young_from:
        s_v1 = ge(vc, params["young_valuation_cny_wan"])
    elif ry >= older_from:
        s_v1 = REVIEW if vc is None else (MET if vc > params["older_valuation_cny_wan"] else UNMET)
    else:
        s_v1 = UNMET
    s1 = conj(s_inv, s_nl, s_v1)
    # 标准二
    rev, rd = ctx.y0.revenue, ctx.y0.rd_expense
    r1, r3 = ctx.y1.revenue, ctx.y3.revenue
    growth = ONE + params["revenue_cagr_3y"]
    factor = growth**3
    s2_rest = conj(
        REVIEW if ry is None else (MET if ry >= young_from else UNMET),
        nbst(fu.has_institutional_investment),
        ge(rev, params["revenue_min"]),
        REVIEW
        if rev is None or rd is None or rev <= 0
        else (MET if rd > params["rd_ratio_min"] * rev else UNMET),
        REVIEW if rev is None or r1 is None else (MET if rev > r1 else UNMET),
    )
    std_readings = None
    if ry is not None and ry > fiscal_year - 3:
        # founded after Y−3 (the rule admits 2021–2023 companies): no 3-year base. Engine
        # reading: the 3-year CAGR cannot be met; alternative: CAGR over the operated years
        # from the founding year [U]. Both are evaluated.
        years = fiscal_year - ry
        base = ctx.facts.by_year.get(ry)
        base_rev = None if base is None else base.revenue
        alt_cagr = (
            REVIEW
            if years < 1 or rev is None or base_rev is None or base_rev <= 0
            else (MET if rev >= growth**years * base_rev else UNMET)
        )
        std_readings = (min(s1, conj(s2_rest, UNMET)), min(s1, conj(s2_rest, alt_cagr)))
        s2 = conj(s2_rest, UNMET)
        s_std = either_reading(*std_readings)
    else:
        s2 = conj(
            s2_rest,
            REVIEW
            if rev is None or r3 is None or r3 <= 0
            else (MET if rev >= factor * r3 else UNMET),
        )
        s_std = min(s1, s2)
    verdict = max(s_cz, s_cr, s_tech, s_std)
    if explain is not None:
        shifted = int(params["round_year"]) != round_year
        explain.check("registered_cz", s_cz, facts.city, "常州")
        explain.check(
            "credit",
            s_cr,
            None if facts.flags.serious_dishonesty is None else not facts.flags.serious_dishonesty,
            True,
        )
        explain.check(
            "tech_enterprise",
            s_tech,
            {"hnte_valid_until": hon.hnte_valid_until, "tech_sme_registered_year": tsy},
            True,
            note=None
            if s_tech == MET
            else "未持有高企证书或当年科技型中小企业入库编号，需人工认定",
        )
        detail = (
            f"标准一（已获投资）：{STATUS_CN[STATUS[s1]]}；标准二（未获投资、高成长）："
            f"{STATUS_CN[STATUS[s2]]}；评价年度{round_year}，数据年度{fiscal_year}，"
            f"年份窗口：{young_from}年及以后 / {older_from}–{young_from - 1}年"
        )
        if shifted:
            detail += "；年份窗口按评价年度平移（2025年及以后轮次未确认〔U〕）"
        gap = None
        if (
            s_std == UNMET
            and s1 == UNMET
            and s_v1 == UNMET
            and vc is not None
            and ry is not None
            and ry >= young_from
        ):
            gap = gap_money(params["young_valuation_cny_wan"] - vc)
            detail += f"；标准一估值还差{fmt(gap)}万元"
        explain.check(
            "qualifying_standard",
            s_std,
            "标准一" if s_std == s1 else "标准二",
            "标准一或标准二",
            gap,
            detail,
            confidence="U" if shifted else None,
            readings=std_readings,
        )
        explain.finalize(None, None, MET)
    return verdict, None, None, None
