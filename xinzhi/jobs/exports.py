"""Excel exports as jobs (导出后台任务): the pieces every list's export job shares.

A list whose export has more rows than `XINZHI_EXPORT_JOB_ROWS` is written by the worker: the
page answers at once with the job page, and the file is offered there when it is ready.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils import timezone

from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_start
from xinzhi.spreadsheets.export import Column, write_workbook, xlsx_response

PROGRESS_EVERY = 2000
EXPORT_TEMPLATE = "jobs/job_export.html"


def export_as_job(row_count: int) -> bool:
    """Whether an export of this many rows goes to the worker instead of the request."""
    return row_count > settings.XINZHI_EXPORT_JOB_ROWS


def counted[T](rows: Iterable[T], progress: Progress) -> Iterator[T]:
    """Pass rows through, storing the count (and honouring a cancel) every 2,000 rows."""
    number = 0
    for number, row in enumerate(rows, start=1):  # noqa: B007 - number is used after the loop
        if number % PROGRESS_EVERY == 0:
            progress(number)
        yield row
    progress(number)


def export_outcome(workbook: IO[bytes], *, file_name: str, rows: int, unit: str = "行") -> Outcome:
    """The job's result: the file to download and what the job page says about it."""
    content = workbook.read()
    summary = {"rows": rows, "unit": unit, "file_name": file_name, "size": len(content)}
    return Outcome(summary, result=(file_name, content))


Sheet = tuple[str, list[Column], Iterable[Any]]


@dataclass(frozen=True)
class ListExport:
    """A list page's Excel export (列表导出): written in the request up to
    `XINZHI_EXPORT_JOB_ROWS` rows, by the worker above, from the same selector as the page.

    `rows(user=, params=)` is the list's selector (its scope and filters); `allowed` the named
    rule of the list's pages, checked again when the job runs (the owner's role may change);
    `sheets(rows)` the workbook's sheets, by default one titled `title` with `columns()`.
    """

    code: str  # the job kind, e.g. "carrier_export"
    title: str  # names the sheet, the file (标题_YYYYMMDD.xlsx) and the job (标题导出)
    rows: Callable[..., Any]
    allowed: Callable[[Any], bool]
    columns: Callable[[], list[Column]] | None = None
    sheets: Callable[[Iterable[Any]], list[Sheet]] | None = None
    unit: str = "行"

    def __post_init__(self) -> None:
        if (self.columns is None) == (self.sheets is None):
            raise ValueError(f"{self.code}: give either columns or sheets")

    def file_name(self) -> str:
        return f"{self.title}_{timezone.localdate():%Y%m%d}.xlsx"

    def workbook(self, rows: Iterable[Any]) -> IO[bytes]:
        if self.sheets is not None:
            return write_workbook(self.sheets(rows))
        return write_workbook([(self.title, self.columns(), rows)])  # type: ignore[misc]

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page's export: the file, or the job page when the list is large."""
        queryset = self.rows(user=request.user, params=request.GET)
        if export_as_job(queryset.count()):
            params = {"query": request.GET.urlencode()}
            return redirect(job_start(owner=request.user, kind=self.code, params=params))
        return xlsx_response(self.workbook(queryset.iterator(chunk_size=2000)), self.file_name())

    def run(self, job: Job, progress: Progress) -> Outcome:
        """The job: the owner's list as the page filtered it when the export was asked for."""
        if job.owner is None or not self.allowed(job.owner):
            raise ApplicationError(f"您已无权导出{self.title}。")
        queryset = self.rows(user=job.owner, params=QueryDict(job.params.get("query", "")))
        total = queryset.count()
        progress.total(total)
        book = self.workbook(counted(queryset.iterator(chunk_size=2000), progress))
        return export_outcome(book, file_name=self.file_name(), rows=total, unit=self.unit)


def register_list_export(export: ListExport) -> None:
    """Make the export's job kind known to the worker (call from the app's `ready()`)."""
    register_job_kind(JobKind(export.code, f"{export.title}导出", export.run, EXPORT_TEMPLATE))
