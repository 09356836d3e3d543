from django.db import models


class LadderStage(models.TextChoices):
    """储备一批、培育一批、申报一批、认定一批、成长一批."""

    RESERVE = "reserve", "储备"
    NURTURE = "nurture", "培育"
    APPLY = "apply", "申报"
    CERTIFIED = "certified", "认定"
    GROWTH = "growth", "成长"


STAGE_ORDER = [s.value for s in LadderStage]


class Verdict(models.TextChoices):
    ELIGIBLE = "eligible", "符合"
    POSSIBLE = "possible", "可能符合"
    INELIGIBLE = "ineligible", "暂不符合"


# The ladder in the order the bureau reads it (初创 → 科技型中小企业 → … → 上市), by family key
# shared with xinzhi.eligibility and enterprises.TitleType.
LADDER_FAMILIES = [
    "tech_sme",
    "innovative_sme",
    "hnte",
    "srdi_sme",
    "little_giant",
    "gazelle",
    "seed_unicorn",
    "potential_unicorn",
    "unicorn",
]


class Readiness(models.TextChoices):
    """Engine readiness: 可能符合 split into 待核实 and 数据不全 (only 待核实 is a candidate)."""

    ELIGIBLE = "eligible", "符合"
    TO_VERIFY = "to_verify", "待核实"
    DATA_MISSING = "data_missing", "数据不全"
    INELIGIBLE = "ineligible", "暂不符合"


# 今年可申报 counts these; 数据不全 is a data-collection worklist, never a candidate.
CANDIDATE_READINESS = [Readiness.ELIGIBLE, Readiness.TO_VERIFY]
READINESS_RANK = {r.value: i for i, r in enumerate(Readiness)}

# Chinese names of the engine's fact paths (its `facts:` declarations), for missing-data lists
# and the what-if form. Year fields are named without the year: fact_label adds it.
FACT_LABELS = {
    "revenue": "销售收入（万元）",
    "main_revenue": "主营业务收入（万元）",
    "total_income": "收入总额（万元）",
    "hightech_revenue": "高新技术产品（服务）收入（万元）",
    "rd_expense": "研发费用（万元）",
    "rd_expense_domestic": "境内研发费用（万元）",
    "total_cost": "成本费用总额（万元）",
    "total_assets": "资产总额（万元）",
    "total_liabilities": "负债总额（万元）",
    "net_assets": "净资产（万元）",
    "net_profit": "净利润（万元）",
    "equity_financing": "新增股权融资（万元）",
    "sci_activity_expense": "科技活动费用（万元）",
    "employees": "职工总数",
    "tech_staff": "科技人员数",
    "rd_staff": "研发人员数",
    "registered_on": "成立日期",
    "conversions_3y": "近三年科技成果转化数（项）",
    "ip.class1": "Ⅰ类知识产权（件）",
    "ip.class1_self_developed": "其中自主研发Ⅰ类知识产权（件）",
    "ip.class1_high_value": "其中高价值Ⅰ类知识产权（件）",
    "ip.class2": "Ⅱ类知识产权（件）",
    "funding.valuation_cny_wan": "投后估值（万元人民币）",
    "funding.valuation_usd_m": "投后估值（百万美元）",
    "funding.financing_usd_m": "累计融资（百万美元）",
    "srdi.niche_years": "深耕细分市场年限",
    "srdi.market_share": "细分市场占有率",
    "srdi.market_rank": "细分市场排名",
    "srdi.dev_score": "专精特新发展水平得分",
}


def fact_label(path: str) -> str:
    """“financials[2025].rd_expense” → “2025年研发费用（万元）”; unknown paths as given."""
    if path.startswith("financials["):
        year, name = path[len("financials[") :].split("].", 1)
        return f"{year}年{FACT_LABELS.get(name, name)}"
    return FACT_LABELS.get(path, path)
