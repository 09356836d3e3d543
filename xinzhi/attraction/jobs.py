"""Large exports of the lead list as jobs (招商项目导出后台任务)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from xinzhi.attraction import selectors
from xinzhi.attraction.exports import lead_columns
from xinzhi.jobs.exports import EXPORT_TEMPLATE, counted, export_outcome
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress
from xinzhi.spreadsheets.export import write_workbook

LEAD_EXPORT = "lead_export"


def run_lead_export(job: Job, progress: Progress) -> Outcome:
    """The owner's filtered lead list, as the page would have exported it."""
    queryset = selectors.lead_list(user=job.owner, params=QueryDict(job.params.get("query", "")))
    total = queryset.count()
    progress.total(total)
    rows = counted(queryset.iterator(chunk_size=2000), progress)
    book = write_workbook([("招商项目", lead_columns(), rows)])
    name = f"招商项目_{timezone.localdate():%Y%m%d}.xlsx"
    return export_outcome(book, file_name=name, rows=total, unit="个项目")


def register() -> None:
    register_job_kind(JobKind(LEAD_EXPORT, "招商项目导出", run_lead_export, EXPORT_TEMPLATE))
