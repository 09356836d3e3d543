"""产业链's long work as jobs: the 链主 purchasing list import, and the list exports (in the
request for a short list, by the worker for a long one)."""

from __future__ import annotations

from django.urls import reverse

from xinzhi.accounts import permissions
from xinzhi.chains import imports, selectors
from xinzhi.chains.exports import membership_columns, supply_columns, target_columns
from xinzhi.jobs.exports import ListExport, register_list_export
from xinzhi.jobs.imports import run_import
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress

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


SUPPLY_CHECK = "chain_supply_check"
SUPPLY_IMPORT = "chain_supply_import"


def run_supply_import(job: Job, progress: Progress) -> Outcome:
    """试导入 or 正式导入 of a 链主's purchasing list stored with the job."""
    return run_import(
        job,
        progress,
        check_kind=SUPPLY_CHECK,
        service=imports.supply_import,
        summary=lambda result: {},
        link=reverse("chains:supply_list"),
    )


def register() -> None:
    template = "chains/job_supply_import.html"
    register_job_kind(JobKind(SUPPLY_CHECK, "链主采购清单试导入", run_supply_import, template))
    register_job_kind(JobKind(SUPPLY_IMPORT, "链主采购清单导入", run_supply_import, template))
    for export in (MEMBERSHIP_EXPORT, TARGET_EXPORT, SUPPLY_EXPORT):
        register_list_export(export)
