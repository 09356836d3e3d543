"""Excel layouts of the chain lists (环节、链上企业、补链招商目标、配套关系)."""

from __future__ import annotations

from xinzhi.spreadsheets.export import Column


def node_columns() -> list[Column]:
    return [
        Column("产业链", lambda s: s.node.chain.name, 14),
        Column("环节", lambda s: "　" * s.node.depth + s.node.name, 22),
        Column("编码", lambda s: s.node.code, 14),
        Column("产业链位置", lambda s: s.node.get_position_display(), 10),
        Column("关键环节", lambda s: "是" if s.node.is_key else "", 8),
        Column("本地企业数", lambda s: s.enterprises, 10, "int"),
        Column("其中核心企业", lambda s: s.core, 10, "int"),
        Column("本地布局", lambda s: s.presence_label, 8),
        Column("补链目标数", lambda s: s.targets, 10, "int"),
        Column("在谈招商项目", lambda s: s.leads, 12, "int"),
        Column("说明", lambda s: s.node.description, 30),
    ]


def membership_columns() -> list[Column]:
    return [
        Column("产业链", lambda m: m.node.chain.name, 14),
        Column("环节", lambda m: m.node.name, 16),
        Column("产业链位置", lambda m: m.node.get_position_display(), 10),
        Column("企业", lambda m: m.display_name, 36),
        Column("本地/外地", lambda m: "本地" if m.enterprise_id else "外地", 8),
        Column(
            "所属板块/所在地",
            lambda m: m.enterprise.jurisdiction.label if m.enterprise_id else m.outside_region,
            18,
        ),
        Column("链上角色", lambda m: m.get_role_display(), 10),
        Column("功能类型", lambda m: m.get_function_kind_display(), 10),
        Column("入链日期", lambda m: m.joined_on, 12, "date"),
        Column("说明", lambda m: m.note, 30),
        Column("示例数据", lambda m: "示例数据" if m.is_demo else "", 10),
    ]


def target_columns() -> list[Column]:
    return [
        Column("产业链", lambda t: t.node.chain.name, 14),
        Column("环节", lambda t: t.node.name, 16),
        Column("目标企业", lambda t: t.name, 32),
        Column("所在地", lambda t: t.region, 10),
        Column("来源", lambda t: t.get_source_display(), 14),
        Column("招引理由", lambda t: t.reason, 40),
        Column("落地后角色", lambda t: t.get_proposed_role_display(), 10),
        Column("状态", lambda t: t.get_status_display(), 12),
        Column("招商项目", lambda t: t.lead.name if t.lead_id else "", 30),
        Column("项目阶段", lambda t: t.lead.stage.name if t.lead_id else "", 10),
        Column("示例数据", lambda t: "示例数据" if t.is_demo else "", 10),
    ]


def supply_columns() -> list[Column]:
    return [
        Column("采购企业", lambda r: r.buyer.name, 30),
        Column("年度", lambda r: r.year, 8, "int"),
        Column("供应商", lambda r: r.supplier_name, 32),
        Column("本地/外地", lambda r: "本地" if r.supplier_id else "外地", 8),
        Column(
            "供应商所在地",
            lambda r: r.supplier.jurisdiction.label if r.supplier_id else r.supplier_region,
            16,
        ),
        Column("产业链", lambda r: r.node.chain.name if r.node_id else "", 12),
        Column("环节", lambda r: r.node.name if r.node_id else "", 14),
        Column("配套产品", lambda r: r.product, 20),
        Column("年采购额（万元）", lambda r: r.amount, 14, "money"),
        Column("示例数据", lambda r: "示例数据" if r.is_demo else "", 10),
    ]
