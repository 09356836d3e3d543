"""Re-evaluation as a job (重新评估后台任务): nothing forks inside a web worker.

After an import changes many enterprises the verdicts are refreshed by the task worker; a form
that changes one enterprise refreshes it in place (a few milliseconds, one process).
"""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from xinzhi import eligibility
from xinzhi.core.exceptions import ApplicationError
from xinzhi.cultivation import selectors
from xinzhi.cultivation.choices import LADDER_FAMILIES
from xinzhi.cultivation.exports import candidate_columns
from xinzhi.cultivation.services import evaluations_refresh, evaluations_refresh_enterprises
from xinzhi.enterprises.models import Enterprise
from xinzhi.jobs.exports import EXPORT_TEMPLATE, counted, export_outcome
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_start
from xinzhi.spreadsheets.export import write_workbook

REEVALUATE = "reevaluate"
REEVALUATE_ALL = "reevaluate_all"
CANDIDATE_EXPORT = "candidate_export"
# Up to this many enterprises the refresh runs where the change happened (one process, no fork).
INLINE_LIMIT = 50


def refresh_or_enqueue(enterprise_ids: list[int]) -> None:
    """Listener for changed enterprises: refresh a few in place, queue a job for more."""
    if len(enterprise_ids) <= INLINE_LIMIT:
        evaluations_refresh_enterprises(enterprise_ids)
        return
    job_start(owner=None, kind=REEVALUATE, params={"ids": list(enterprise_ids)})


def run_reevaluate(job: Job, progress: Progress) -> Outcome:
    ids = [int(i) for i in job.params["ids"]]
    progress.total(len(ids))
    progress(0, writing=True)
    evaluations_refresh_enterprises(ids)
    progress(len(ids))
    return Outcome({"enterprises": len(ids)})


def run_reevaluate_all(job: Job, progress: Progress) -> Outcome:
    """`xinzhi reevaluate` from the web. Each chunk's verdicts are replaced in one transaction,
    so a cancel between chunks leaves every enterprise with a whole set of verdicts."""
    enterprises = Enterprise.objects.unscoped()
    total = enterprises.count()
    progress.total(total)
    done = 0

    def advance(rows: int) -> None:
        nonlocal done
        done += rows
        progress(done)

    written = evaluations_refresh(enterprises, workers=2, progress=advance)
    return Outcome({"enterprises": total, "evaluations": written})


def run_candidate_export(job: Job, progress: Progress) -> Outcome:
    """The owner's filtered candidate list of one title family (候选名单), as the page has it."""
    family = job.params.get("family", "")
    names = eligibility.families()
    if family not in LADDER_FAMILIES or family not in names:
        raise ApplicationError("未知的资质类型，无法导出候选名单。")
    params = QueryDict(job.params.get("query", ""))
    queryset = selectors.candidate_list(user=job.owner, family=family, params=params)
    total = queryset.count()
    progress.total(total)
    rows = counted(queryset.iterator(chunk_size=2000), progress)
    book = write_workbook([(f"{names[family]}候选名单", candidate_columns(), rows)])
    name = f"{names[family]}候选名单_{timezone.localdate():%Y%m%d}.xlsx"
    return export_outcome(book, file_name=name, rows=total, unit="家企业")


def register() -> None:
    register_job_kind(JobKind(REEVALUATE, "重新评估资质条件", run_reevaluate))
    register_job_kind(
        JobKind(
            REEVALUATE_ALL,
            "重新评估全部企业",
            run_reevaluate_all,
            "cultivation/job_reevaluate.html",
            startable=True,
        )
    )
    register_job_kind(
        JobKind(CANDIDATE_EXPORT, "候选名单导出", run_candidate_export, EXPORT_TEMPLATE)
    )
