"""Excel layout of the enterprise list (企业名录导出)."""

from __future__ import annotations

from operator import itemgetter

from xinzhi.spreadsheets.export import Column


def enterprise_columns(year: int) -> list[Column]:
    """Columns over the tuples of `selectors.enterprise_export_rows`, cell i from item i."""
    layout = [
        ("统一社会信用代码", 22, "text"),
        ("企业名称", 36, "text"),
        ("所属板块", 18, "text"),
        ("成立日期", 12, "date"),
        ("所属行业", 16, "text"),
        ("技术领域", 16, "text"),
        ("企业规模", 8, "text"),
        ("产业链标签", 24, "text"),
        ("现有资质", 30, "text"),
        (f"{year}年职工总数", 10, "int"),
        (f"{year}年销售收入（万元）", 14, "money"),
        (f"{year}年研发费用（万元）", 14, "money"),
        ("法定代表人", 10, "text"),
        ("联系人", 10, "text"),
        ("联系电话", 14, "text"),
        ("注册地址", 30, "text"),
        ("示例数据", 10, "text"),
    ]
    return [
        Column(header, itemgetter(i), width, kind) for i, (header, width, kind) in enumerate(layout)
    ]
