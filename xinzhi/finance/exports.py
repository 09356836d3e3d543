"""Excel layouts of the 科技金融 lists (each list exports exactly its filtered rows)."""

from __future__ import annotations

from xinzhi.spreadsheets.export import Column


def _demo(x: object) -> str:
    return "示例数据" if getattr(x, "is_demo", False) else ""


def loan_columns() -> list[Column]:
    return [
        Column("企业名称", lambda x: x.enterprise.name, 32),
        Column("统一社会信用代码", lambda x: x.enterprise.credit_code, 22),
        Column("所属板块", lambda x: x.enterprise.jurisdiction.label, 16),
        Column("贷款产品", lambda x: x.product.name, 10),
        Column("贷款银行", lambda x: str(x.bank), 14),
        Column("状态", lambda x: x.get_status_display(), 8),
        Column("申请日期", lambda x: x.applied_on, 12, "date"),
        Column("申请金额（万元）", lambda x: x.amount_requested, 14, "money"),
        Column("审批日期", lambda x: x.decided_on, 12, "date"),
        Column("审批金额（万元）", lambda x: x.approved_amount, 14, "money"),
        Column("拒绝原因", lambda x: x.refusal_reason, 20),
        Column("放款日期", lambda x: x.disbursed_on, 12, "date"),
        Column("放款金额（万元）", lambda x: x.disbursed_amount, 14, "money"),
        Column("期限（月）", lambda x: x.term_months, 8, "int"),
        Column("年利率（%）", lambda x: x.rate, 10, "money"),
        Column("到期日", lambda x: x.maturity_on, 12, "date"),
        Column("贷款余额（万元）", lambda x: x.balance, 14, "money"),
        Column("年贴息（万元）", lambda x: x.annual_subsidy, 14, "money"),
        Column("累计还款（万元）", lambda x: x.repaid_amount, 14, "money"),
        Column("代偿金额（万元）", lambda x: x.compensation_amount, 14, "money"),
        Column("追偿回收（万元）", lambda x: x.recovered_amount, 14, "money"),
        Column("示例数据", _demo, 10),
    ]


def order_columns() -> list[Column]:
    return [
        Column("企业名称", lambda x: x.grant.enterprise.name, 32),
        Column("所属板块", lambda x: x.grant.enterprise.jurisdiction.label, 16),
        Column("服务机构", lambda x: x.institution.name, 30),
        Column(
            "机构所在地", lambda x: f"{x.institution.get_region_display()}·{x.institution.city}", 14
        ),
        Column("服务类型", lambda x: x.get_service_type_display(), 10),
        Column("服务内容", lambda x: x.title, 30),
        Column("跨区订单", lambda x: "是" if x.is_cross_region else "否", 8),
        Column("状态", lambda x: x.get_status_display(), 8),
        Column("合同金额（万元）", lambda x: x.contract_amount, 14, "money"),
        Column("用券金额（万元）", lambda x: x.voucher_share, 14, "money"),
        Column("发起日期", lambda x: x.initiated_on, 12, "date"),
        Column("生效日期", lambda x: x.effective_on, 12, "date"),
        Column("验收日期", lambda x: x.accepted_on, 12, "date"),
        Column("兑付日期", lambda x: x.redeemed_on, 12, "date"),
        Column("兑付金额（万元）", lambda x: x.redeemed_amount, 14, "money"),
        Column("示例数据", _demo, 10),
    ]


def round_columns() -> list[Column]:
    return [
        Column("企业名称", lambda x: x.enterprise.name, 32),
        Column("所属板块", lambda x: x.enterprise.jurisdiction.label, 16),
        Column("轮次", lambda x: x.get_round_name_display(), 10),
        Column("交割日期", lambda x: x.closed_on, 12, "date"),
        Column("融资金额（万元）", lambda x: x.amount, 14, "money"),
        Column("投资方", lambda x: x.investors, 40),
        Column("投后估值（万元）", lambda x: x.post_money_valuation, 16, "money"),
        Column("专业机构投资", lambda x: "是" if x.is_institutional else "否", 10),
        Column("示例数据", _demo, 10),
    ]


def institution_columns() -> list[Column]:
    return [
        Column("机构名称", lambda x: x.name, 36),
        Column("所在省市", lambda x: x.get_region_display(), 8),
        Column("所在城市", lambda x: x.city, 10),
        Column("服务类型", lambda x: "、".join(x.service_type_labels), 30),
        Column("状态", lambda x: x.get_status_display(), 8),
        Column("入驻日期", lambda x: x.joined_on, 12, "date"),
        Column("退出日期", lambda x: x.exited_on, 12, "date"),
        Column("有效订单数", lambda x: getattr(x, "order_count", 0), 10, "int"),
        Column("示例数据", _demo, 10),
    ]


def grant_columns() -> list[Column]:
    return [
        Column("企业名称", lambda x: x.enterprise.name, 32),
        Column("所属板块", lambda x: x.enterprise.jurisdiction.label, 16),
        Column("发放日期", lambda x: x.granted_on, 12, "date"),
        Column("使用截止日期", lambda x: x.use_by, 12, "date"),
        Column("额度（万元）", lambda x: x.quota, 14, "money"),
        Column("已兑付（万元）", lambda x: x.redeemed_amount, 14, "money"),
        Column("剩余（万元）", lambda x: x.remaining, 14, "money"),
        Column("示例数据", _demo, 10),
    ]
