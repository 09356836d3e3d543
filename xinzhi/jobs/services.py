"""Start, run, cancel and finish jobs (后台任务的写操作)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task_backends
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.exceptions import ApplicationError
from xinzhi.jobs.models import Job, JobFile
from xinzhi.jobs.registry import job_kind

logger = logging.getLogger(__name__)

CANCELLED_MESSAGE = "已按您的要求取消，未写入任何数据。"
COMMIT_STARTED_MESSAGE = "任务已开始写入数据，不能再取消；请等待完成。"


class JobCancelled(Exception):
    """Raised at a checkpoint when the owner asked to cancel (任务已取消)."""


@dataclasses.dataclass
class Outcome:
    """What a job's run function hands back."""

    summary: dict[str, Any]
    link: str = ""
    result: tuple[str, bytes] | None = None  # (file name, content) offered for download
    error: str = ""  # set when the work was refused as a whole (nothing written): state 失败


class Progress:
    """Callable given to the work: `progress(rows_done, writing=False)`.

    Every call stores the count and raises `JobCancelled` if the owner asked to cancel.
    The call with `writing=True` comes once, just before the work writes: after it a cancel
    request is refused, so a job is either cancelled with nothing written or runs to the end.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def total(self, total: int) -> None:
        Job.objects.filter(pk=self.job_id).update(total=total)

    def __call__(self, done: int, writing: bool = False) -> None:
        # One conditional UPDATE each: it stores progress and tells whether cancel was asked.
        fields: dict[str, Any] = {"done": done}
        if writing:
            fields.update(committing=True, step="正在写入")
        if not Job.objects.filter(pk=self.job_id, cancel_requested=False).update(**fields):
            raise JobCancelled


def job_start(
    *,
    owner: User | None,
    kind: str,
    params: dict[str, Any] | None = None,
    upload: tuple[str, bytes] | None = None,
) -> Job:
    """Record a job and put it on the task queue (提交后台任务).

    With the database backend the queue row is written in the caller's transaction, so a
    worker never sees a task whose job does not exist yet.
    """
    job_kind(kind)  # an unknown kind fails here, not later in the worker
    with transaction.atomic():
        job = Job.objects.create(kind=kind, owner=owner, params=params or {})
        if upload is not None:
            _store_file(job, JobFile.Purpose.INPUT, *upload)
        from xinzhi.jobs.tasks import run_job

        backend = task_backends[settings.XINZHI_TASK_BACKEND]
        result = backend.enqueue(run_job, (job.pk,), {})
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def job_start_from_checked(
    *, actor: User, source: Job, digest: str, kind: str, max_age_seconds: int = 30 * 60
) -> Job:
    """正式导入 a file that a successful 试导入 job checked, without choosing it again.

    The form posts back the checked bytes' SHA-256, so a changed or foreign file is refused.
    """
    fresh = source.finished_at and (timezone.now() - source.finished_at).total_seconds() < (
        max_age_seconds
    )
    if source.owner_id != actor.pk or source.state != Job.State.SUCCEEDED:
        raise ApplicationError("只能正式导入您本人试导入且校验通过的文件。")
    if not fresh or not source.summary.get("ok"):
        raise ApplicationError(
            "试导入的文件已过期或未通过校验（保留 30 分钟），请重新选择文件并试导入。"
        )
    if Job.objects.filter(params__checked_by=source.pk).exists():
        raise ApplicationError("该文件已正式导入过；如需再次导入，请重新选择文件并试导入。")
    file = source.files.filter(purpose=JobFile.Purpose.INPUT).first()
    if file is None or file.digest != digest:
        raise ApplicationError("试导入后文件已发生变化，未写入任何数据；请重新选择文件并试导入。")
    return job_start(
        owner=actor,
        kind=kind,
        params={**source.params, "checked_by": source.pk},
        upload=(file.name, bytes(file.data)),
    )


def job_cancel(*, actor: User, job: Job) -> Job:
    """Cancel a job that has not started writing (取消任务)."""
    if job.owner_id != actor.pk and not actor.is_bureau_admin:
        raise ApplicationError("只能取消您本人提交的任务。", code="forbidden")
    now = timezone.now()
    queued = Job.objects.filter(pk=job.pk, state=Job.State.QUEUED).update(
        state=Job.State.CANCELLED, cancel_requested=True, finished_at=now, error=CANCELLED_MESSAGE
    )
    if not queued:
        asked = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING, committing=False).update(
            cancel_requested=True, step="正在取消"
        )
        if not asked:
            job.refresh_from_db()
            if job.finished:
                raise ApplicationError("任务已结束，无需取消。")
            raise ApplicationError(COMMIT_STARTED_MESSAGE)
    job.refresh_from_db()
    return job


def job_run(job_id: int) -> None:
    """Run one job in the worker: claim it, do the work, record the outcome.

    The QUEUED → RUNNING update is conditional, so a job cancelled in the queue is skipped and
    a job is never run twice even if its task were delivered twice.
    """
    claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
        state=Job.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    try:
        outcome = job_kind(job.kind).run(job, Progress(job.pk))
    except JobCancelled:
        _finish(job.pk, Job.State.CANCELLED, error=CANCELLED_MESSAGE)
    except ApplicationError as exc:
        _finish(job.pk, Job.State.FAILED, error=exc.message)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(
            job.pk,
            Job.State.FAILED,
            error=f"任务执行出错，未写入任何数据。请联系系统管理员并告知任务编号 {job.pk}。",
        )
        raise
    else:
        with transaction.atomic():
            if outcome.result is not None:
                _store_file(job, JobFile.Purpose.RESULT, *outcome.result)
            _finish(
                job.pk,
                Job.State.FAILED if outcome.error else Job.State.SUCCEEDED,
                error=outcome.error,
                summary=outcome.summary,
                link=outcome.link,
            )


def _finish(job_id: int, state: str, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        state=state, finished_at=timezone.now(), step="", committing=False, **fields
    )


def _store_file(job: Job, purpose: str, name: str, data: bytes) -> JobFile:
    return JobFile.objects.create(
        job=job,
        purpose=purpose,
        name=name[:200],
        digest=hashlib.sha256(data).hexdigest(),
        size=len(data),
        data=data,
    )


def job_input(job: Job) -> tuple[str, bytes]:
    file = JobFile.objects.get(job=job, purpose=JobFile.Purpose.INPUT)
    return file.name, bytes(file.data)


@dataclasses.dataclass(frozen=True)
class PruneResult:
    jobs: int
    files: int
    task_results: int


def jobs_prune(*, older_than_days: int | None = None) -> PruneResult:
    """Delete finished jobs (with their uploaded and result files) and finished task-queue rows
    that ended more than `older_than_days` ago (清理过期任务). Queued and running work is kept.

    Idempotent: a second run finds nothing more to delete.
    """
    from django_tasks_db.models import DBTaskResult

    days = settings.XINZHI_JOB_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 0:
        raise ApplicationError("保留天数不能为负数。")
    cutoff = timezone.now() - dt.timedelta(days=days)
    old = Job.objects.filter(state__in=Job.FINISHED, finished_at__lt=cutoff)
    with transaction.atomic():
        files = JobFile.objects.filter(job__in=old).count()
        jobs = old.count()
        # The files' rows are large (the xlsx bytes): delete them first, by job id, then the jobs.
        JobFile.objects.filter(job__in=old).delete()
        old.delete()
        task_results, _ = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return PruneResult(jobs=jobs, files=files, task_results=task_results)
