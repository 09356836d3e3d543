"""创新生态's list exports: in the request for a short list, by the worker for a long one."""

from __future__ import annotations

from xinzhi.accounts import permissions
from xinzhi.ecosystem import selectors
from xinzhi.ecosystem.exports import carrier_columns, entry_columns, listing_columns
from xinzhi.jobs.exports import ListExport, register_list_export

CARRIER_EXPORT = ListExport(
    "carrier_export",
    "创新载体",
    selectors.carrier_list,
    permissions.can_see_ecosystem,
    carrier_columns,
    unit="个载体",
)
ENTRY_EXPORT = ListExport(
    "entry_export",
    "参赛项目",
    selectors.entry_list,
    permissions.can_see_ecosystem,
    entry_columns,
    unit="个项目",
)
LISTING_EXPORT = ListExport(
    "listing_export",
    "上市后备企业",
    selectors.listing_list,
    permissions.can_see_ecosystem,
    listing_columns,
    unit="家企业",
)


def register() -> None:
    for export in (CARRIER_EXPORT, ENTRY_EXPORT, LISTING_EXPORT):
        register_list_export(export)
