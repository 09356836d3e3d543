"""目标考核's long work as jobs: the targets and typed-in values imports (试导入 and 正式导入)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from xinzhi.dashboards import imports
from xinzhi.jobs.imports import run_import
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress

TARGETS_CHECK = "targets_check"
TARGETS_IMPORT = "targets_import"
VALUES_CHECK = "manual_values_check"
VALUES_IMPORT = "manual_values_import"


@dataclass(frozen=True)
class _TableImport:
    check: str  # the 试导入 job kind
    commit: str  # the 正式导入 job kind
    label: str
    service: Callable[..., imports.TableImportResult]
    noun: str  # what one row is, as the job page counts it
    prefix: str  # of the table's pages: dashboards:<prefix>_list, _import


TABLE_IMPORTS = (
    _TableImport(TARGETS_CHECK, TARGETS_IMPORT, "目标", imports.targets_import, "个目标", "target"),
    _TableImport(
        VALUES_CHECK, VALUES_IMPORT, "手工填报值", imports.values_import, "条填报值", "value"
    ),
)
_BY_KIND = {kind: table for table in TABLE_IMPORTS for kind in (table.check, table.commit)}


def run_table_import(job: Job, progress: Progress) -> Outcome:
    table = _BY_KIND[job.kind]
    return run_import(
        job,
        progress,
        check_kind=table.check,
        service=table.service,
        summary=lambda result: {
            "unchanged": result.unchanged,
            "noun": table.noun,
            "import_url": reverse(f"dashboards:{table.prefix}_import"),
        },
        link=reverse(f"dashboards:{table.prefix}_list"),
    )


def register() -> None:
    template = "dashboards/job_table_import.html"
    for table in TABLE_IMPORTS:
        register_job_kind(JobKind(table.check, f"{table.label}试导入", run_table_import, template))
        register_job_kind(JobKind(table.commit, f"{table.label}导入", run_table_import, template))
