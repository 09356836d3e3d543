"""Large exports of a call's applications and scores as jobs (申报与评分导出后台任务)."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.calls import selectors
from xinzhi.calls.exports import application_sheets
from xinzhi.calls.models import Call
from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.exports import EXPORT_TEMPLATE, export_outcome
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress
from xinzhi.spreadsheets.export import write_workbook

APPLICATION_EXPORT = "application_export"


def run_application_export(job: Job, progress: Progress) -> Outcome:
    """The owner's filtered applications of one call, with every reviewer's score.

    The rights are checked again here: the job may run after the owner's role changed.
    """
    try:
        call = selectors.call_get(user=job.owner, pk=job.params["call"])
    except Call.DoesNotExist as exc:
        raise ApplicationError("申报通知不存在或您已无权查看。") from exc
    if not permissions.sees_ranking(job.owner):
        raise ApplicationError("您已无权导出该申报通知的评分。")
    params = QueryDict(job.params.get("query", ""))
    queryset = selectors.with_scores(
        selectors.application_list(user=job.owner, call=call, params=params)
    )
    rows = list(queryset)  # the sheets need every row first (reviewer columns per row)
    progress.total(len(rows))
    sheets = application_sheets(
        call=call,
        criteria=selectors.criteria_for(call),
        rows=rows,
        show_names=permissions.sees_reviewer_names(job.owner),
    )
    book = write_workbook(sheets)
    progress(len(rows))
    name = f"{call.name}_申报与评分_{timezone.localdate():%Y%m%d}.xlsx"
    return export_outcome(book, file_name=name, rows=len(rows), unit="项申报")


def register() -> None:
    register_job_kind(
        JobKind(APPLICATION_EXPORT, "申报与评分导出", run_application_export, EXPORT_TEMPLATE)
    )
