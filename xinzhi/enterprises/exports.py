"""Excel layout of the enterprise list (企业名录导出)."""

from __future__ import annotations

from xinzhi.spreadsheets.export import Column


def _fig(index: int):  # noqa: ANN202
    return lambda enterprise: enterprise.export_figures[index]


def enterprise_columns(year: int) -> list[Column]:
    """Columns over rows from `selectors.enterprise_export_rows` (values attached per chunk)."""
    return [
        Column("统一社会信用代码", lambda e: e.credit_code, 22),
        Column("企业名称", lambda e: e.name, 36),
        Column("所属板块", lambda e: e.jurisdiction.label, 18),
        Column("成立日期", lambda e: e.registered_on, 12, "date"),
        Column("所属行业", lambda e: e.industry, 16),
        Column("技术领域", lambda e: e.hightech_field, 16),
        Column("企业规模", lambda e: e.get_scale_display(), 8),
        Column("产业链标签", lambda e: e.export_tags, 24),
        Column("现有资质", lambda e: e.export_titles, 30),
        Column(f"{year}年职工总数", _fig(0), 10, "int"),
        Column(f"{year}年销售收入（万元）", _fig(1), 14, "money"),
        Column(f"{year}年研发费用（万元）", _fig(2), 14, "money"),
        Column("法定代表人", lambda e: e.legal_representative, 10),
        Column("联系人", lambda e: e.contact_name, 10),
        Column("联系电话", lambda e: e.contact_phone, 14),
        Column("注册地址", lambda e: e.address, 30),
        Column("示例数据", lambda e: "示例数据" if e.is_demo else "", 10),
    ]
