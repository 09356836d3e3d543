"""科技奖补's list export: in the request for a short list, by the worker for a long one."""

from __future__ import annotations

from xinzhi.accounts import permissions
from xinzhi.jobs.exports import ListExport, register_list_export
from xinzhi.rewards import selectors
from xinzhi.rewards.exports import entitlement_sheets

ENTITLEMENT_EXPORT = ListExport(
    "entitlement_export",
    "兑现名单",
    selectors.entitlement_export_rows,
    permissions.can_view_rewards,
    sheets=entitlement_sheets,
    unit="项兑现事项",
)


def register() -> None:
    register_list_export(ENTITLEMENT_EXPORT)
