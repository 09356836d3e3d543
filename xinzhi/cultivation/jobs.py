"""Re-evaluation as a job (重新评估后台任务): nothing forks inside a web worker.

After an import changes many enterprises the verdicts are refreshed by the task worker; a form
that changes one enterprise refreshes it in place (a few milliseconds, one process).
"""

from __future__ import annotations

from xinzhi.cultivation.services import evaluations_refresh_enterprises
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress, job_start

REEVALUATE = "reevaluate"
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


def register() -> None:
    register_job_kind(JobKind(REEVALUATE, "重新评估资质条件", run_reevaluate))
