"""Excel imports as jobs (导入后台任务): what every list's upload page does.

The upload is stored with a job and the worker checks (试导入) or imports (正式导入) it; the page
moves to the job page, which shows the progress and then the result. A file that passed the
check is kept with its job, so 正式导入 commits exactly those bytes without choosing the file
again (`services.job_start_from_checked`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.models import Job
from xinzhi.jobs.selectors import job_for
from xinzhi.jobs.services import (
    Outcome,
    Progress,
    job_input,
    job_start,
    job_start_from_checked,
)
from xinzhi.spreadsheets.importing import (
    ImportFileError,
    ImportResult,
    read_upload,
    sheet_row_count,
)


def import_job_start(request: HttpRequest, *, check_kind: str, import_kind: str) -> Job:
    """试导入 the chosen file, or 正式导入 the chosen file or the file a 试导入 job checked.

    Raises `ImportFileError` or `ApplicationError` with the reason in Chinese.
    """
    commit = request.POST.get("mode") == "commit"
    kind = import_kind if commit else check_kind
    upload = request.FILES.get("file")
    if upload is not None:
        data, name = read_upload(upload), upload.name or "upload.xlsx"
        return job_start(
            owner=request.user, kind=kind, params={"file_name": name[:200]}, upload=(name, data)
        )
    checked = request.POST.get("checked_job", "")
    if commit and checked.isdigit():
        return job_start_from_checked(
            actor=request.user,
            source=job_for(user=request.user, pk=int(checked)),
            digest=request.POST.get("digest", ""),
            kind=kind,
        )
    raise ImportFileError("请选择要导入的 Excel 文件。")


def import_page(
    request: HttpRequest,
    *,
    check_kind: str,
    import_kind: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The upload page: on POST the job page of the started job, or the form with the reason."""
    error = ""
    if request.method == "POST":
        try:
            return redirect(
                import_job_start(request, check_kind=check_kind, import_kind=import_kind)
            )
        except (ImportFileError, ApplicationError) as exc:
            error = exc.message
    return render(request, template, {**(context or {}), "error": error})


SHOWN_ERRORS = 300  # problems kept on the job for its page (the count says how many in all)


class ImportRun(Protocol):
    """An import service: `(actor=, data=, dry_run=, progress=)` → an `ImportResult`."""

    def __call__(
        self, *, actor: Any, data: bytes, dry_run: bool, progress: Progress
    ) -> ImportResult: ...


def run_import(
    job: Job,
    progress: Progress,
    *,
    check_kind: str,
    service: ImportRun,
    summary: Callable[[Any], dict],
    link: str,
) -> Outcome:
    """The job of a 试导入 (`check_kind`) or 正式导入 of the file stored with the job.

    What the job page shows: the counts every import has, the first problems, and what
    `summary(result)` adds; a failed 正式导入 is a failed job (nothing was written), a failed
    试导入 a finished check that lists the problems.
    """
    _name, data = job_input(job)
    progress.total(max(0, sheet_row_count(data) - 1))  # the sheet's declared size, if any
    dry_run = job.kind == check_kind
    try:
        result = service(actor=job.owner, data=data, dry_run=dry_run, progress=progress)
    except ImportFileError as exc:
        raise ApplicationError(exc.message) from exc
    shown = {
        "ok": result.ok,
        "dry_run": result.dry_run,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "error_count": len(result.errors),
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message}
            for e in result.errors[:SHOWN_ERRORS]
        ],
        **summary(result),
    }
    if not result.ok:
        error = f"共 {result.rows} 行，发现 {len(result.errors)} 处问题，未写入任何数据。"
        return Outcome(shown, error="" if dry_run else error)
    return Outcome(shown, link="" if dry_run else link)
