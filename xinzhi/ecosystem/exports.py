"""Excel layouts of the 创新生态 lists (载体、参赛项目、上市后备)."""

from __future__ import annotations

from xinzhi.spreadsheets.export import Column


def carrier_columns() -> list[Column]:
    return [
        Column("载体名称", lambda x: x.name, 34),
        Column("载体类型", lambda x: x.get_kind_display(), 14),
        Column("级别", lambda x: x.get_level_display(), 8),
        Column("依托/运营单位", lambda x: x.host, 26),
        Column("所在板块", lambda x: x.jurisdiction.label if x.jurisdiction_id else "全区", 16),
        Column("重点领域", lambda x: x.focus, 18),
        Column("成立日期", lambda x: x.established_on, 12, "date"),
        Column("认定日期", lambda x: x.recognised_on, 12, "date"),
        Column("推送项目数", lambda x: x.leads_pushed, 10, "int"),
        Column("落地项目数", lambda x: x.leads_landed, 10, "int"),
        Column("人才项目推送", lambda x: x.talents_referred, 12, "int"),
        Column("累计孵化企业", lambda x: x.enterprises_incubated, 12, "int"),
        Column("在孵企业", lambda x: x.enterprises_in, 10, "int"),
        Column("毕业企业", lambda x: x.enterprises_graduated, 10, "int"),
        Column("运行中", lambda x: "是" if x.is_active else "否", 8),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]


def entry_columns() -> list[Column]:
    return [
        Column("大赛", lambda x: str(x.competition), 34),
        Column("年度", lambda x: x.competition.year, 8, "int"),
        Column("赛道/行业赛", lambda x: x.track, 14),
        Column("参赛项目", lambda x: x.project_name, 36),
        Column("参赛单位", lambda x: x.entrant, 30),
        Column("未注册团队", lambda x: "是" if x.is_outside else "", 10),
        Column("对接板块", lambda x: x.jurisdiction.label, 16),
        Column("奖项", lambda x: x.get_award_display(), 10),
        Column("名次", lambda x: x.rank, 8, "int"),
        Column("成绩说明", lambda x: x.result_note, 30),
        Column("转化的招商项目", lambda x: x.lead.name if x.lead_id else "", 30),
        Column("招商阶段", lambda x: x.lead.stage.name if x.lead_id else "", 10),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]


def listing_columns() -> list[Column]:
    return [
        Column("企业名称", lambda x: x.enterprise.name, 34),
        Column("统一社会信用代码", lambda x: x.enterprise.credit_code, 22),
        Column("所属板块", lambda x: x.enterprise.jurisdiction.label, 16),
        Column("拟上市板块", lambda x: x.get_board_display(), 10),
        Column("所处阶段", lambda x: x.stage_label, 12),
        Column("进入本阶段日期", lambda x: x.stage_entered_on, 12, "date"),
        Column("入库日期", lambda x: x.entered_on, 12, "date"),
        Column("上市/挂牌日期", lambda x: x.listed_on, 12, "date"),
        Column("证券代码", lambda x: x.stock_code, 10),
        Column("券商", lambda x: x.broker, 18),
        Column("会计师事务所", lambda x: x.accountant, 18),
        Column("律师事务所", lambda x: x.law_firm, 18),
        Column("需协调事项", lambda x: x.issues, 40),
        Column("服务专员", lambda x: x.officer.display_name if x.officer_id else "", 10),
        Column("示例数据", lambda x: "示例数据" if x.is_demo else "", 10),
    ]
