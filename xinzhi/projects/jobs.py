"""项目管理's list exports: in the request for a short list, by the worker for a long one."""

from __future__ import annotations

from xinzhi.accounts import permissions
from xinzhi.jobs.exports import ListExport, register_list_export
from xinzhi.projects import selectors
from xinzhi.projects.exports import funded_project_columns, key_project_columns

KEY_PROJECT_EXPORT = ListExport(
    "key_project_export",
    "区重点项目",
    selectors.key_list,
    permissions.can_view_projects,
    key_project_columns,
    unit="个项目",
)
FUNDED_EXPORT = ListExport(
    "funded_project_export",
    "科技计划项目",
    selectors.funded_list,
    permissions.can_view_projects,
    funded_project_columns,
    unit="个项目",
)


def register() -> None:
    for export in (KEY_PROJECT_EXPORT, FUNDED_EXPORT):
        register_list_export(export)
