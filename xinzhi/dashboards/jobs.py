"""目标考核's long work as jobs: the targets import (试导入 and 正式导入) in the task worker."""

from __future__ import annotations

from django.urls import reverse

from xinzhi.dashboards import imports
from xinzhi.jobs.imports import run_import
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress

TARGETS_CHECK = "targets_check"
TARGETS_IMPORT = "targets_import"


def run_targets_import(job: Job, progress: Progress) -> Outcome:
    return run_import(
        job,
        progress,
        check_kind=TARGETS_CHECK,
        service=imports.targets_import,
        summary=lambda result: {"unchanged": result.unchanged},
        link=reverse("dashboards:target_list"),
    )


def register() -> None:
    template = "dashboards/job_targets_import.html"
    register_job_kind(JobKind(TARGETS_CHECK, "目标试导入", run_targets_import, template))
    register_job_kind(JobKind(TARGETS_IMPORT, "目标导入", run_targets_import, template))
