from django.db import models


class EntitlementStatus(models.TextChoices):
    """测算 → 板块确认 → 审批 → 公示 → 拨付（已兑现）; or 退回, 不予兑现, 撤销."""

    CALCULATED = "calculated", "测算"
    RETURNED = "returned", "已退回"
    CONFIRMED = "confirmed", "板块已确认"
    APPROVED = "approved", "已审批"
    PUBLICITY = "publicity", "公示中"
    PAID = "paid", "已兑现"
    EXCLUDED = "excluded", "不予兑现"
    WITHDRAWN = "withdrawn", "已撤销"


# A re-run may still rewrite these (nobody has signed them off yet).
OPEN_STATUSES = (EntitlementStatus.CALCULATED, EntitlementStatus.RETURNED)
# Money the budget already carries: signed off and not yet paid.
COMMITTED_STATUSES = (EntitlementStatus.APPROVED, EntitlementStatus.PUBLICITY)
# Counted as "already enjoyed" by the once-per-title rule.
LIVE_STATUSES = (
    EntitlementStatus.CALCULATED,
    EntitlementStatus.RETURNED,
    EntitlementStatus.CONFIRMED,
    EntitlementStatus.APPROVED,
    EntitlementStatus.PUBLICITY,
    EntitlementStatus.PAID,
)


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"
