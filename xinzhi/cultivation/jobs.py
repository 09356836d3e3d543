"""Re-evaluation as a job (重新评估后台任务): nothing forks inside a web worker.

After an import changes many enterprises the verdicts are refreshed by the task worker; a form
that changes one enterprise refreshes it in place (a few milliseconds, one process).
"""

from __future__ import annotations

from xinzhi.cultivation.services import evaluations_refresh, evaluations_refresh_enterprises
from xinzhi.enterprises.models import Enterprise
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_start

REEVALUATE = "reevaluate"
REEVALUATE_ALL = "reevaluate_all"
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
