"""目标考核's long work as jobs: the targets and typed-in values imports (试导入 and 正式导入)."""

from __future__ import annotations

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
# kind → (check kind, the service, what a row is, the list it writes, its import page)
TABLES = {
    TARGETS_CHECK: ("targets", imports.targets_import, "个目标"),
    TARGETS_IMPORT: ("targets", imports.targets_import, "个目标"),
    VALUES_CHECK: ("values", imports.values_import, "条填报值"),
    VALUES_IMPORT: ("values", imports.values_import, "条填报值"),
}
PAGES = {"targets": ("target", TARGETS_CHECK), "values": ("value", VALUES_CHECK)}


def run_table_import(job: Job, progress: Progress) -> Outcome:
    table, service, noun = TABLES[job.kind]
    prefix, check_kind = PAGES[table]
    return run_import(
        job,
        progress,
        check_kind=check_kind,
        service=service,
        summary=lambda result: {
            "unchanged": result.unchanged,
            "noun": noun,
            "import_url": reverse(f"dashboards:{prefix}_import"),
        },
        link=reverse(f"dashboards:{prefix}_list"),
    )


def register() -> None:
    template = "dashboards/job_table_import.html"
    for kind, label in (
        (TARGETS_CHECK, "目标试导入"),
        (TARGETS_IMPORT, "目标导入"),
        (VALUES_CHECK, "手工填报值试导入"),
        (VALUES_IMPORT, "手工填报值导入"),
    ):
        register_job_kind(JobKind(kind, label, run_table_import, template))
