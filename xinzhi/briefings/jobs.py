"""Briefing generation as a job (生成月报后台任务).

Generating reads every indicator for the unit and, for the district, for each 板块 (about 2 s
at 100k enterprises), so it runs in the task worker like the other reports and exports: the
page answers at once with the job page, which links to the draft when it is written.
"""

from __future__ import annotations

from xinzhi.briefings import services
from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress

BRIEFING_GENERATE = "briefing_generate"


def run_briefing_generate(job: Job, progress: Progress) -> Outcome:
    """One new version of the (year, month, unit) briefing, for the job's owner.

    The service checks the owner's role and jurisdiction again: the job may run after they
    changed. It writes in one transaction, so a failed job leaves no half-written briefing.
    """
    progress.total(1)
    progress(0, writing=True)
    briefing = services.briefing_generate(
        actor=job.owner,
        year=int(job.params["year"]),
        month=int(job.params["month"]),
        jurisdiction_id=job.params.get("jurisdiction"),
    )
    progress(1)
    summary = {"title": briefing.title, "edition": briefing.edition, "briefing": briefing.pk}
    return Outcome(summary, link=briefing.get_absolute_url())


def register() -> None:
    register_job_kind(
        JobKind(
            BRIEFING_GENERATE,
            "生成科技工作月报",
            run_briefing_generate,
            "briefings/job_generate.html",
        )
    )
