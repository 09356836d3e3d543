"""Excel layouts of the project lists (重点项目导出, 科技计划项目导出)."""

from __future__ import annotations

from xinzhi.projects.choices import SIGNAL_SHORT, Signal
from xinzhi.spreadsheets.export import Column


def key_project_columns() -> list[Column]:
    return [
        Column("项目名称", lambda x: x.name, 36),
        Column("项目类型", lambda x: x.project_type.name, 12),
        Column("建设单位", lambda x: x.owner_label, 30),
        Column("所属板块", lambda x: x.jurisdiction.label, 16),
        Column("产业链/行业", lambda x: x.industry, 14),
        Column("列入年度", lambda x: x.year, 8, "int"),
        Column("总投资（万元）", lambda x: x.total_investment, 14, "money"),
        Column("用地面积（亩）", lambda x: x.land_area, 12, "money"),
        Column("建筑面积（平方米）", lambda x: x.building_area, 14, "money"),
        Column("年度计划投资（万元）", lambda x: x.annual_plan, 14, "money"),
        Column("项目状态", lambda x: x.get_status_display(), 10),
        Column("状态", lambda x: SIGNAL_SHORT[Signal(x.signal)], 8),
        Column("滞后起始日期", lambda x: x.late_since, 12, "date"),
        Column("达产后产能", lambda x: x.capacity_text, 40),
        Column("责任人", lambda x: x.officer.display_name if x.officer else "", 10),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]


def funded_project_columns() -> list[Column]:
    return [
        Column("项目名称", lambda x: x.name, 40),
        Column("项目级别", lambda x: x.get_level_display(), 8),
        Column("计划类别", lambda x: x.programme, 36),
        Column("立项年度", lambda x: x.year, 8, "int"),
        Column("项目编号/立项文号", lambda x: x.code, 18),
        Column("承担单位", lambda x: x.enterprise.name, 30),
        Column("所属板块", lambda x: x.jurisdiction.label, 16),
        Column("合作单位", lambda x: "、".join(x.partner_list), 30),
        Column("总预算（万元）", lambda x: x.budget_total, 12, "money"),
        Column("财政资助（万元）", lambda x: x.funding_grant, 12, "money"),
        Column("自筹（万元）", lambda x: x.funding_self, 12, "money"),
        Column("已拨付资助（万元）", lambda x: x.funds_disbursed, 12, "money"),
        Column("实施开始", lambda x: x.starts_on, 12, "date"),
        Column("实施结束", lambda x: x.ends_on, 12, "date"),
        Column("项目阶段", lambda x: x.get_stage_display(), 12),
        Column("验收日期", lambda x: x.acceptance_on, 12, "date"),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]
