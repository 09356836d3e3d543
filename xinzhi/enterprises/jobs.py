"""The enterprise list's long work as jobs (后台任务): annual figures import, large exports."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.exceptions import ApplicationError
from xinzhi.enterprises import imports, selectors
from xinzhi.enterprises.exports import enterprise_columns
from xinzhi.jobs.exports import counted
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_input
from xinzhi.spreadsheets.export import write_workbook
from xinzhi.spreadsheets.importing import ImportFileError, sheet_row_count

FIGURES_CHECK = "figures_check"
FIGURES_IMPORT = "figures_import"
ENTERPRISE_EXPORT = "enterprise_export"
SHOWN_ENTERPRISES = 300
SHOWN_ERRORS = 300


def _data_rows(data: bytes) -> int:
    """Rows below the header, for the progress bar's total, from the sheet's declared size
    (its first kilobytes, not the rows); 0 when the file does not say or cannot be read."""
    return max(0, sheet_row_count(data) - 1)


def import_summary(result: imports.FiguresImportResult) -> dict:
    """What the job page shows of an import (JSON only: it is stored on the job)."""
    return {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
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
        "error_count": len(result.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in result.errors[:SHOWN_ERRORS]
        ],
    }


def run_figures_import(job: Job, progress: Progress) -> Outcome:
    name, data = job_input(job)
    progress.total(_data_rows(data))
    dry_run = job.kind == FIGURES_CHECK
    try:
        result = imports.figures_import(
            actor=job.owner, data=data, dry_run=dry_run, progress=progress
        )
    except ImportFileError as exc:
        raise ApplicationError(exc.message) from exc
    summary = import_summary(result)
    if not result.ok:
        error = f"共 {result.rows} 行，发现 {len(result.errors)} 处问题，未写入任何数据。"
        return Outcome(summary, error="" if dry_run else error)
    link = "" if dry_run else reverse("enterprises:list")
    return Outcome(summary, link=link)


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
