"""工作台 line for the bureau admin: background jobs queued or running, and a warning when one
has waited in the queue long enough that no worker seems to be running."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.jobs.models import Job

STUCK_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class JobLine:
    title: str
    url: str
    label: str
    due: dt.date | None
    urgent: bool


def running_jobs(*, user: User) -> list[JobLine]:
    """One line while jobs are queued or running (the admin sees everyone's on 我的任务)."""
    if not permissions.is_bureau_admin(user):
        return []
    active = Job.objects.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING))
    running = active.filter(state=Job.State.RUNNING).count()
    queued = active.filter(state=Job.State.QUEUED).count()
    if not running and not queued:
        return []
    stuck = active.filter(
        state=Job.State.QUEUED, created_at__lt=timezone.now() - STUCK_AFTER
    ).count()
    title = f"后台任务：进行中 {running} 个，排队中 {queued} 个"
    if stuck:
        title += f"（{stuck} 个排队超过 10 分钟，请检查任务进程 db_worker 是否在运行）"
    return [JobLine(title, reverse("jobs:list"), "后台任务", None, bool(stuck))]
