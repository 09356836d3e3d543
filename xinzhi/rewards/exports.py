"""Excel layout of the entitlement list (兑现名单), from the same filtered list as the page."""

from __future__ import annotations

from typing import Any

from xinzhi.rewards.models import Entitlement
from xinzhi.spreadsheets.export import Column


def entitlement_sheets(rows: Any) -> list[tuple[str, list[Column], Any]]:
    def paid(attr: str):  # noqa: ANN202
        def value(e: Entitlement) -> Any:
            payment = getattr(e, "payment", None) if e.status == "paid" else None
            return getattr(payment, attr) if payment else None

        return value

    columns = [
        Column("年度", lambda e: e.year, 8, "int"),
        Column("企业名称", lambda e: e.enterprise.name, 32),
        Column("统一社会信用代码", lambda e: e.enterprise.credit_code, 22),
        Column("所属板块", lambda e: e.jurisdiction.label, 16),
        Column("奖补事项", lambda e: e.item.name, 26),
        Column("兑现金额（元）", lambda e: e.amount_yuan, 14, "money"),
        Column("状态", lambda e: e.get_status_display(), 10),
        Column("测算说明", lambda e: e.explanation, 48),
        Column("排除原因", lambda e: e.exclusion_reason, 36),
        Column("依据记录", lambda e: e.source_label, 40),
        Column("触发日期", lambda e: e.trigger_date, 12, "date"),
        Column("预算科目", lambda e: e.budget_line.name if e.budget_line else "", 18),
        Column("退回原因", lambda e: e.return_reason, 24),
        Column("拨付日期", paid("paid_on"), 12, "date"),
        Column("凭证号", paid("voucher_no"), 18),
        Column("示例数据", lambda e: "示例数据" if e.is_demo else "", 10),
    ]
    return [("兑现名单", columns, rows)]
