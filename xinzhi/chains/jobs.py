"""产业链's list exports: in the request for a short list, by the worker for a long one."""

from __future__ import annotations

from xinzhi.accounts import permissions
from xinzhi.chains import selectors
from xinzhi.chains.exports import membership_columns, supply_columns, target_columns
from xinzhi.jobs.exports import ListExport, register_list_export

MEMBERSHIP_EXPORT = ListExport(
    "chain_membership_export",
    "链上企业",
    selectors.membership_list,
    permissions.can_view_chains,
    membership_columns,
    unit="家企业",
)
TARGET_EXPORT = ListExport(
    "chain_target_export",
    "补链招商目标",
    selectors.target_list,
    permissions.can_view_chains,
    target_columns,
    unit="个目标",
)
SUPPLY_EXPORT = ListExport(
    "chain_supply_export",
    "配套关系",
    selectors.supply_list,
    permissions.can_view_chains,
    supply_columns,
    unit="条配套关系",
)


def register() -> None:
    for export in (MEMBERSHIP_EXPORT, TARGET_EXPORT, SUPPLY_EXPORT):
        register_list_export(export)
