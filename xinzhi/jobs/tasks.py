"""The one task the queue runs: a job by id (see services.job_run)."""

from django.tasks import task

from xinzhi.jobs.services import job_run


@task
def run_job(job_id: int) -> None:
    job_run(job_id)
