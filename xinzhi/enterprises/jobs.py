"""The enterprise list's long work as jobs (后台任务): annual figures import, large exports."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from xinzhi.enterprises import imports, selectors
from xinzhi.enterprises.exports import enterprise_columns
from xinzhi.jobs.exports import counted
from xinzhi.jobs.imports import run_import
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress
from xinzhi.spreadsheets.export import write_workbook

FIGURES_CHECK = "figures_check"
FIGURES_IMPORT = "figures_import"
ENTERPRISE_EXPORT = "enterprise_export"
SHOWN_ENTERPRISES = 300


def import_summary(result: imports.FiguresImportResult) -> dict:
    """What the job page adds for annual figures: unchanged rows and the enterprises changed."""
    return {
        "unchanged": result.unchanged,
        "enterprise_count": result.enterprise_count,
        "enterprises": [
            {
                "id": c.enterprise_id,
                "name": c.name,
                "credit_code": c.credit_code,
                "created_years": c.created_years,
                "updated_years": c.updated_years,
            }
            for c in result.enterprises[:SHOWN_ENTERPRISES]
        ],
    }


def run_figures_import(job: Job, progress: Progress) -> Outcome:
    return run_import(
        job,
        progress,
        check_kind=FIGURES_CHECK,
        service=imports.figures_import,
        summary=import_summary,
        link=reverse("enterprises:list"),
    )


def run_enterprise_export(job: Job, progress: Progress) -> Outcome:
    params = QueryDict(job.params.get("query", ""))
    queryset, year = selectors.enterprise_list(user=job.owner, params=params)
    progress.total(queryset.count())
    rows = counted(selectors.enterprise_export_rows(queryset, year), progress)
    book = write_workbook([("企业名录", enterprise_columns(year), rows)])
    content = book.read()
    count = Job.objects.values_list("total", flat=True).get(pk=job.pk)
    name = f"企业名录_{timezone.localdate():%Y%m%d}.xlsx"
    return Outcome({"rows": count, "file_name": name, "size": len(content)}, result=(name, content))


def register() -> None:
    template = "enterprises/job_figures_import.html"
    register_job_kind(JobKind(FIGURES_CHECK, "年度经营数据试导入", run_figures_import, template))
    register_job_kind(JobKind(FIGURES_IMPORT, "年度经营数据导入", run_figures_import, template))
    export = "enterprises/job_export.html"
    register_job_kind(JobKind(ENTERPRISE_EXPORT, "企业名录导出", run_enterprise_export, export))
