"""Which jobs a user may see (任务可见范围): their own; the bureau admin sees all."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from xinzhi.accounts.models import User
from xinzhi.jobs.models import Job, JobFile


def jobs_visible_to(user: User) -> QuerySet[Job]:
    jobs = Job.objects.select_related("owner")
    return jobs if user.is_bureau_admin else jobs.filter(owner=user)


def job_for(*, user: User, pk: int) -> Job:
    """The job, or 404 when it is someone else's (no hint that it exists)."""
    return get_object_or_404(jobs_visible_to(user), pk=pk)


def job_result_file(job: Job) -> JobFile:
    return get_object_or_404(JobFile, job=job, purpose=JobFile.Purpose.RESULT)


def job_input_digest(job: Job) -> str:
    file = JobFile.objects.filter(job=job, purpose=JobFile.Purpose.INPUT).only("digest").first()
    return file.digest if file else ""
