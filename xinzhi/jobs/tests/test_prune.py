"""`xinzhi prune_jobs`: finished jobs, their files and queue rows past the retention go."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from xinzhi.jobs.models import Job, JobFile
from xinzhi.jobs.services import _store_file, job_start


def aged(job: Job, *, state: str, days: float | None, file: bool = False) -> Job:
    finished = None if days is None else timezone.now() - dt.timedelta(days=days)
    Job.objects.filter(pk=job.pk).update(state=state, finished_at=finished)
    if file:
        _store_file(job, JobFile.Purpose.RESULT, "结果.xlsx", b"PK\x03\x04" * 100)
    return job


def queue_row(*, status: str, days: float | None) -> DBTaskResult:
    finished = None if days is None else timezone.now() - dt.timedelta(days=days)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="xinzhi.jobs.tasks.run_job",
        backend_name="database",
        run_after=timezone.now(),
        finished_at=finished,
        exception_class_path="",
        traceback="",
    )


@pytest.fixture
def jobs(settings, users):
    settings.XINZHI_TASK_BACKEND = "database"  # jobs wait in the queue; states are set below
    settings.XINZHI_JOB_RETENTION_DAYS = 30

    def new() -> Job:
        return job_start(owner=users["gxq"], kind="enterprise_export")

    made = {
        "old_done": aged(new(), state=Job.State.SUCCEEDED, days=31, file=True),
        "old_failed": aged(new(), state=Job.State.FAILED, days=45, file=True),
        "old_cancelled": aged(new(), state=Job.State.CANCELLED, days=30.01),
        "recent_done": aged(new(), state=Job.State.SUCCEEDED, days=29, file=True),
        "long_running": aged(new(), state=Job.State.RUNNING, days=None),
        "queued": aged(new(), state=Job.State.QUEUED, days=None),
    }
    DBTaskResult.objects.all().delete()  # the rows job_start queued; made explicitly here
    return made | {
        "queue_old_ok": queue_row(status="SUCCESSFUL", days=31),
        "queue_old_failed": queue_row(status="FAILED", days=60),
        "queue_recent": queue_row(status="SUCCESSFUL", days=1),
        "queue_ready": queue_row(status="READY", days=None),
    }


def test_prune_deletes_only_finished_work_past_the_retention_and_is_idempotent(jobs):
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "已删除 3 个后台任务、2 个任务文件、2 条任务队列记录。"
    kept = {"recent_done", "long_running", "queued"}
    assert set(Job.objects.values_list("pk", flat=True)) == {jobs[k].pk for k in kept}
    assert list(JobFile.objects.values_list("job", flat=True)) == [jobs["recent_done"].pk]
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {
        jobs["queue_recent"].pk,
        jobs["queue_ready"].pk,
    }
    out = io.StringIO()
    call_command("prune_jobs", stdout=out)
    assert out.getvalue().strip() == "已删除 0 个后台任务、0 个任务文件、0 条任务队列记录。"


def test_prune_takes_the_days_from_the_command_line(jobs):
    out = io.StringIO()
    call_command("prune_jobs", "--days", "0", stdout=out)
    assert out.getvalue().strip() == "已删除 4 个后台任务、3 个任务文件、3 条任务队列记录。"
    assert Job.objects.filter(state__in=Job.FINISHED).count() == 0
    assert Job.objects.count() == 2  # the running and the queued job
    with pytest.raises(CommandError, match="保留天数不能为负数。"):
        call_command("prune_jobs", "--days", "-1")
