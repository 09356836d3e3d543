"""The admin's 工作台 line for background jobs."""

import datetime as dt

import pytest
from django.utils import timezone

from xinzhi.core.selectors import todo
from xinzhi.jobs.models import Job

pytestmark = pytest.mark.django_db


def _lines(user):
    return [(i.title, i.urgent) for i in todo(user=user) if i.label == "后台任务"]


def test_the_admin_sees_running_and_stuck_jobs(users):
    admin = users["admin"]
    assert _lines(admin) == []
    Job.objects.create(kind="enterprise_export", owner=users["gxq"], state=Job.State.RUNNING)
    queued = Job.objects.create(kind="enterprise_export", owner=users["gxq"])
    Job.objects.create(kind="enterprise_export", owner=admin, state=Job.State.SUCCEEDED)
    assert _lines(admin) == [("后台任务：进行中 1 个，排队中 1 个", False)]
    Job.objects.filter(pk=queued.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    assert _lines(admin) == [
        (
            "后台任务：进行中 1 个，排队中 1 个"
            "（1 个排队超过 10 分钟，请检查任务进程 db_worker 是否在运行）",
            True,
        )
    ]
    for role in ("leader", "gxq", "expert"):
        assert _lines(users[role]) == []
