"""Excel exports as jobs (导出后台任务): the pieces every list's export job shares.

A list whose export has more rows than `XINZHI_EXPORT_JOB_ROWS` is written by the worker: the
page answers at once with the job page, and the file is offered there when it is ready.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from django.conf import settings

from xinzhi.jobs.services import Outcome, Progress

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
