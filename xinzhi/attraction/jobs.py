"""Large exports of the lead list as jobs (招商项目导出后台任务)."""

from __future__ import annotations

from xinzhi.accounts import permissions
from xinzhi.attraction import selectors
from xinzhi.attraction.exports import lead_columns
from xinzhi.jobs.exports import ListExport, register_list_export

LEAD_EXPORT = ListExport(
    "lead_export",
    "招商项目",
    selectors.lead_list,
    permissions.can_use_enterprise_lists,
    lead_columns,
    unit="个项目",
)


def register() -> None:
    register_list_export(LEAD_EXPORT)
