"""高新技术企业认定（国科发火〔2016〕32号）."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..loader import Policy
from .core import (
    MET,
    ONE,
    Q2,
    Q4,
    REVIEW,
    TWO,
    UNMET,
    ZERO,
    Ctx,
    EvalOut,
    Explain,
    Points,
    add,
    ceil_int,
    fmt,
    gap_money,
    ge,
    incident_status,
    indicator_max,
    pass_mark,
    pct,
    ratio,
    ratio_ge,
    score_status,
    year_path,
)

# --------------------------------------------------------------------------- 高新技术企业


def growth_points(
    v1: Decimal | None,
    v2: Decimal | None,
    v3: Decimal | None,
    nyears: int,
    bands: list[Any],
    want_rate: bool = True,
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
            rate = (
                ((v2 / v1 + v3 / v2) / TWO - ONE).quantize(Q4, ROUND_HALF_UP) if want_rate else None
            )
            for tier in bands:
                if lhs >= tier[4] * prod:
                    return (tier[2], tier[3]), tier[1], rate, False, None
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
    for tier in bands:
        if top >= tier[5] * base:
            return (tier[2], tier[3]), tier[1], rate, flag, note
    if top > base:
        return (1, 2), "E", rate, flag, note
    return (0, 0), "F", rate, flag, note


def _hnte_rd_threshold(policy: Policy, rev_latest: Decimal) -> Decimal:
    for cap, thr in policy.params["rd_thresholds"]:
        if cap is None or rev_latest <= cap:
            return thr  # type: ignore[no-any-return]
    raise AssertionError("rd_thresholds needs a final open tier")


_KCACHE: dict[int, dict[str, Any]] = {}


def _hnte_consts(policy: Policy) -> dict[str, Any]:
    cached = _KCACHE.get(id(policy))
    if cached is None:
        ipspec = policy.indicators["ip"]
        cached = {
            "cb": {
                band_row[0]: (int(band_row[1]), int(band_row[2]))
                for band_row in ipspec["count_bands"]
            },
            "adv": tuple(int(item) for item in ipspec["tech_advancement"]),
            "core": tuple(int(item) for item in ipspec["core_support"]),
            "acq_self": tuple(int(item) for item in ipspec["acquisition_self"]),
            "acq_tr": tuple(int(item) for item in ipspec["acquisition_transferred"]),
            "std": tuple(int(item) for item in ipspec["standards_bonus"]),
            "fields": frozenset(policy.params["fields"]),
            "conv": [
                (int(tier[0]), tier[1], int(tier[2]), int(tier[3]))
                for tier in policy.indicators["conversion"]["bands"]
            ],
            "gb": [
                (tier[0], tier[1], int(tier[2]), int(tier[3]), TWO * (ONE + tier[0]), ONE + tier[0])
                for tier in policy.extra["growth_bands"]
            ],
        }
        _KCACHE[id(policy)] = cached
    return cached


def ev_hnte(policy: Policy, ctx: Ctx, explain: Explain | None) -> EvalOut:
    facts = ctx.facts
    params = policy.params
    ind = policy.indicators
    consts = _hnte_consts(policy)
    y0 = ctx.y0
    ip = facts.ip
    c1, c2 = ip.class1, ip.class2
    # 1 registered ≥ 365 days
    s_reg = ge(ctx.age_days, params["min_days"])
    # 2 core IP (relevance needs expert judgment)
    no_ip = c1 == 0 and c2 == 0
    s_core = UNMET if (facts.flags.has_core_ip is False or no_ip) else REVIEW
    # 3 field
    hf = facts.hightech_field
    s_field = REVIEW if hf is None or hf in consts["fields"] else UNMET
    # 4 tech staff ratio
    emp, ts = facts.employees, facts.tech_staff
    s_staff = ratio_ge(ts, emp, params["tech_staff_ratio"])
    # 5 R&D intensity over the operated part of the last 3 fiscal years
    nyears = ctx.nyears
    years = (0, 1, 2)[:nyears]
    rows = (y0, ctx.y1, ctx.y2)[:nyears]
    rd_sum = rev_sum = dom_sum = ZERO
    rd_ok = dom_ok = True
    for row in rows:
        if row.rd_expense is None or row.revenue is None:
            rd_ok = dom_ok = False
            continue
        rd_sum += row.rd_expense
        rev_sum += row.revenue
        if row.rd_expense_domestic is None:
            dom_ok = False
        else:
            dom_sum += row.rd_expense_domestic
    rev_latest = y0.revenue
    thr = None if rev_latest is None else _hnte_rd_threshold(policy, rev_latest)
    if not rd_ok or thr is None or rev_sum <= 0:
        s_rd = REVIEW
    else:
        s_rd = MET if rd_sum >= thr * rev_sum else UNMET
    if not dom_ok or not rd_ok or rd_sum <= 0:
        s_dom = REVIEW
    else:
        s_dom = MET if dom_sum >= params["domestic_share"] * rd_sum else UNMET
    # 6 high-tech revenue share (latest year)
    htr, ti = y0.hightech_revenue, y0.total_income
    s_ht = ratio_ge(htr, ti, params["hightech_share"])
    # 8 incident
    s_inc, inc_note = incident_status(ctx, policy)
    # 7 innovation score
    cb = consts["cb"]
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
        adv = consts["adv"]
        core = consts["core"]
        sd = ip.class1_self_developed
        if sd is not None and sd >= 1:
            acq = consts["acq_self"]
        elif c1 is not None and c1 >= 1 and sd == 0 and c2 == 0:
            acq = consts["acq_tr"]
        else:
            acq = (1, consts["acq_self"][1])
    spp = ip.standards_participation
    if spp or facts.honours.led_standard_5y:
        std = consts["std"]
    elif spp is False:
        std = (0, 0)
    else:
        std = (0, consts["std"][1])
    ip_max = indicator_max(policy, "ip")
    ip_pts = (
        min(ip_max, cnt[0] + adv[0] + core[0] + acq[0] + std[0]),
        min(ip_max, cnt[1] + adv[1] + core[1] + acq[1] + std[1]),
    )
    # conversion
    conv = facts.conversions_3y
    divisor = nyears
    cv = ind["conversion"]
    if conv is None:
        conv_pts: Points = (0, 30)
        conv_band: str | None = None
    else:
        conv_pts = (0, 0)
        conv_band = "F"
        for tier in consts["conv"]:
            if conv >= tier[0] * divisor:
                conv_pts, conv_band = (tier[2], tier[3]), tier[1]
                break
    # R&D management: expert range unless given
    ms = facts.rd_management_score
    mgmt = (0, indicator_max(policy, "rd_management")) if ms is None else (ms, ms)
    # growth
    gb = consts["gb"]
    na = [
        row.net_assets
        if row is not None and row.net_assets is not None
        else (row.net_assets_value() if row is not None else None)
        for row in (ctx.y2, ctx.y1, y0)
    ]
    rv = [row.revenue for row in (ctx.y2, ctx.y1, y0)]
    want_rate = explain is not None
    g_na = growth_points(na[0], na[1], na[2], nyears, gb, want_rate)
    g_rv = growth_points(rv[0], rv[1], rv[2], nyears, gb, want_rate)
    tmin = ip_pts[0] + conv_pts[0] + mgmt[0] + g_na[0][0] + g_rv[0][0]
    tmax = ip_pts[1] + conv_pts[1] + mgmt[1] + g_na[0][1] + g_rv[0][1]
    pass_ = pass_mark(policy)
    s_inn = score_status(tmin, tmax, pass_)
    interp = g_na[3] or g_rv[3]
    if interp and s_inn == MET:
        s_inn = REVIEW
    verdict = max(s_reg, s_core, s_field, s_staff, s_rd, s_dom, s_ht, s_inn, s_inc)
    if explain is not None:
        explain.check(
            "registered_365d",
            s_reg,
            ctx.age_days,
            int(params["min_days"]),
            None
            if ctx.age_days is None or s_reg != UNMET
            else int(params["min_days"]) - ctx.age_days,
            f"还需{int(params['min_days']) - ctx.age_days}天"
            if s_reg == UNMET and ctx.age_days is not None
            else ("缺少注册日期" if ctx.age_days is None else None),
        )
        explain.check(
            "core_ip",
            s_core,
            {"class1": c1, "class2": c2, "has_core_ip": facts.flags.has_core_ip},
            True,
            note="无知识产权，不能认定"
            if no_ip
            else "企业声明无核心知识产权"
            if facts.flags.has_core_ip is False
            else "知识产权对主要产品的核心支持作用需专家判断",
        )
        explain.check(
            "hightech_field",
            s_field,
            hf,
            "八大领域之一",
            note=(
                "缺少技术领域"
                if hf is None
                else f"{hf}不属于《国家重点支持的高新技术领域》八大领域"
                if s_field == UNMET
                else "核心技术是否属于该领域需专家判断"
            ),
        )
        staff_gap = (
            ceil_int(params["tech_staff_ratio"] * emp) - ts
            if s_staff == UNMET and emp is not None and ts is not None
            else None
        )
        explain.check(
            "tech_staff_ratio",
            s_staff,
            ratio(ts, emp),
            params["tech_staff_ratio"],
            staff_gap,
            f"科技人员还需增加{staff_gap}人（职工总数不变）"
            if staff_gap
            else ("缺少职工总数或科技人员数" if s_staff == REVIEW else None),
            lever=f"科技人员增加{staff_gap}人" if staff_gap else None,
            changes=[add("tech_staff", staff_gap)] if staff_gap else None,
        )
        year = ctx.fiscal_year
        rd_gap = gap_money(thr * rev_sum - rd_sum) if s_rd == UNMET and thr is not None else None
        period = (
            f"{ctx.fiscal_year - years[-1]}–{ctx.fiscal_year}年"
            if len(years) > 1
            else f"{ctx.fiscal_year}年"
        )
        explain.check(
            "rd_intensity",
            s_rd,
            ratio(rd_sum, rev_sum) if rd_ok else None,
            thr,
            rd_gap,
            f"{period}研发费用还需增加{fmt(rd_gap)}万元"
            if rd_gap is not None
            else (
                f"按{period}计算（经营不足3年按实际经营期）"
                if len(years) < 3 and rd_ok
                else "缺少近三年销售收入或研发费用"
                if not rd_ok
                else None
            ),
            lever=f"{year}年研发费用增加{fmt(rd_gap)}万元（{period}合计达标）"
            if rd_gap is not None
            else None,
            changes=None
            if rd_gap is None
            else [add(year_path(year, "rd_expense"), rd_gap)]
            + (
                [add(year_path(year, "rd_expense_domestic"), rd_gap)]
                if y0.rd_expense_domestic is not None
                else []
            ),
        )
        # New domestic R&D also raises total R&D: (dom + x) ≥ s·(rd + x) ⇔ x ≥ (s·rd − dom)/(1 − s)
        share = params["domestic_share"]
        dom_gap = gap_money((share * rd_sum - dom_sum) / (ONE - share)) if s_dom == UNMET else None
        explain.check(
            "rd_domestic_share",
            s_dom,
            ratio(dom_sum, rd_sum) if dom_ok else None,
            params["domestic_share"],
            dom_gap,
            f"境内研发费用还需增加{fmt(dom_gap)}万元"
            f"（新增境内研发同时计入研发总额：x = ({pct(share)}×研发 − 境内)/(1 − {pct(share)})）"
            if dom_gap is not None
            else ("缺少境内研发费用" if s_dom == REVIEW else None),
            lever=f"{year}年境内研发费用增加{fmt(dom_gap)}万元" if dom_gap is not None else None,
            changes=None
            if dom_gap is None
            else [
                add(year_path(year, "rd_expense"), dom_gap),
                add(year_path(year, "rd_expense_domestic"), dom_gap),
            ],
        )
        # New high-tech income also raises total income: (HT + x) ≥ s·(TI + x)
        ht_share = params["hightech_share"]
        ht_gap = (
            gap_money((ht_share * ti - htr) / (ONE - ht_share))
            if s_ht == UNMET and ti is not None and htr is not None
            else None
        )
        explain.check(
            "hightech_revenue_share",
            s_ht,
            ratio(htr, ti),
            params["hightech_share"],
            ht_gap,
            f"高新技术产品（服务）收入还需增加{fmt(ht_gap)}万元"
            f"（新增收入同时计入总收入：x = ({pct(ht_share)}×总收入 − 高新收入)"
            f"/(1 − {pct(ht_share)})）"
            if ht_gap is not None
            else ("缺少上一年度高新技术产品收入或总收入" if s_ht == REVIEW else None),
            lever=(
                f"{year}年高新技术产品（服务）收入增加{fmt(ht_gap)}万元（总收入同增）"
                if ht_gap is not None
                else None
            ),
            changes=None
            if ht_gap is None
            else [
                add(year_path(year, "hightech_revenue"), ht_gap),
                add(year_path(year, "total_income"), ht_gap),
            ],
        )
        inn_note = f"创新能力得分{tmin}–{tmax}分"
        if interp:
            inn_note += "；成长性按我方解释计算〔U〕，需人工复核"
        explain.check(
            "innovation_score",
            s_inn,
            {"min": tmin, "max": tmax},
            pass_,
            pass_ - tmax if s_inn == UNMET else None,
            inn_note,
            confidence="U" if interp else None,
        )
        explain.check(
            "no_major_incident",
            s_inc,
            None if s_inc == REVIEW else s_inc == MET,
            True,
            note=inc_note,
        )
        explain.finalize(None, None, MET)
        explain.ind(
            "ip",
            ip_pts,
            {"class1": c1, "class2": c2, "class1_self_developed": ip.class1_self_developed},
            band,
        )
        conv_conf = cv["short_divisor_confidence"] if divisor < 3 and conv is not None else None
        explain.ind(
            "conversion",
            conv_pts,
            None if conv is None else (Decimal(conv) / divisor).quantize(Q2, ROUND_HALF_UP),
            conv_band,
            label=("科技成果转化能力（按实际经营年数平均）" if divisor < 3 else None),
            confidence=conv_conf,
        )
        explain.ind("rd_management", mgmt, ms)
        gconf = str(policy.extra.get("growth_short_confidence", "U"))
        explain.ind(
            "growth_net_assets", g_na[0], g_na[2], g_na[1], confidence=gconf if g_na[3] else None
        )
        explain.ind(
            "growth_revenue", g_rv[0], g_rv[2], g_rv[1], confidence=gconf if g_rv[3] else None
        )
        if conv is not None and conv_pts[0] < consts["conv"][0][2]:
            better = [tier for tier in consts["conv"] if tier[2] > conv_pts[0]][-1]
            need = better[0] * divisor - conv
            explain.lever(
                "conversion",
                "科技成果转化提高一档",
                f"近三年科技成果转化增加{need}项（年均达到{better[0]}项）",
                better[2] - conv_pts[0],
                [add("conversions_3y", need)],
            )
        if c1 == 0 and band is not None:
            explain.lever(
                "ip",
                "取得第一项Ⅰ类知识产权",
                "新增1项发明专利等Ⅰ类知识产权（知识产权数量升至A档）",
                cb["A"][0] - cb[band][0],
                [add("ip.class1", 1)]
                + (
                    [add("ip.class1_self_developed", 1)]
                    if ip.class1_self_developed is not None
                    else []
                ),
            )
        if (
            g_rv[1] in ("B", "C", "D", "E", "F")
            and not g_rv[3]
            and nyears >= 3
            and rv[0]
            and rv[1]
            and rv[0] > 0
            and rv[1] > 0
            and rv[2] is not None
        ):
            nxt = [tier for tier in gb if tier[2] > g_rv[0][0]]
            if nxt:
                tier = nxt[-1]
                v1, v2, v3 = rv[0], rv[1], rv[2]
                need_v3 = (tier[4] * v1 * v2 - v2 * v2) / v1
                more_revenue = gap_money(need_v3 - v3)
                growth_changes = [add(year_path(year, "revenue"), more_revenue)]
                keep_rd = ""
                if s_rd == MET:
                    # more sales lower the R&D intensity: add the R&D that keeps it met
                    new_thr = _hnte_rd_threshold(policy, rev_latest + more_revenue)  # type: ignore[operator]
                    more_rd = new_thr * (rev_sum + more_revenue) - rd_sum
                    if more_rd > 0:
                        more_rd = gap_money(more_rd)
                        growth_changes.append(add(year_path(year, "rd_expense"), more_rd))
                        if y0.rd_expense_domestic is not None:
                            growth_changes.append(
                                add(year_path(year, "rd_expense_domestic"), more_rd)
                            )
                        keep_rd = f"，同时研发费用增加{fmt(more_rd)}万元以保持研发强度"
                explain.lever(
                    "growth_revenue",
                    "销售收入增长率提高一档",
                    f"{year}年销售收入增加{fmt(more_revenue)}万元"
                    f"（增长率达到{pct(tier[0])}）{keep_rd}",
                    tier[2] - g_rv[0][0],
                    growth_changes,
                )
    return verdict, tmin, tmax, "score"
