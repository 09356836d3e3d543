"""Excel layout of the lead list (招商项目导出)."""

from __future__ import annotations

from xinzhi.spreadsheets.export import Column


def lead_columns() -> list[Column]:
    return [
        Column("项目名称", lambda x: x.name, 36),
        Column("所属板块", lambda x: x.jurisdiction.label, 18),
        Column("阶段", lambda x: x.stage.name, 10),
        Column("项目状态", lambda x: x.get_status_display(), 8),
        Column("来源地区", lambda x: x.source_region, 10),
        Column("招商渠道", lambda x: x.get_channel_display(), 12),
        Column("产业链/细分领域", lambda x: x.segment, 16),
        Column("规模阶段", lambda x: x.get_scale_stage_display(), 10),
        Column("计划投资额（万元）", lambda x: x.planned_investment, 14, "money"),
        Column("团队负责人", lambda x: x.team_leader, 10),
        Column("责任人", lambda x: x.officer.display_name if x.officer else "", 10),
        Column("对接次数", lambda x: x.docking_count, 8, "int"),
        Column("进入本阶段日期", lambda x: x.stage_entered_on, 12, "date"),
        Column("最近动态日期", lambda x: x.last_activity_on, 12, "date"),
        Column("下次跟进日期", lambda x: x.next_follow_up_on, 12, "date"),
        Column("流失原因", lambda x: x.get_lost_reason_display(), 14),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]
