"""Sending the day's reminders as a job (发送到期提醒后台任务).

Sending mails each reminder (SMTP can be slow), so it runs in the task worker: the bureau admin
starts it from 我的任务, and `xinzhi send_reminders --queue` (cron) hands it to the worker.
A second run the same day sends nothing new (`services.send_reminders` is idempotent).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xinzhi.jobs.models import Job
from xinzhi.jobs.registry import JobKind, register_job_kind
from xinzhi.jobs.services import Outcome, Progress
from xinzhi.notifications.services import send_reminders

SEND_REMINDERS = "send_reminders"


def run_send_reminders(job: Job, progress: Progress) -> Outcome:
    """The reminders due on the job's date (the day it runs unless the job names one)."""
    asked = job.params.get("date")
    today = dt.date.fromisoformat(asked) if asked else timezone.localdate()
    progress(0, writing=True)
    sent = send_reminders(today=today)
    progress(sent)
    return Outcome({"sent": sent, "date": today.isoformat()})


def register() -> None:
    register_job_kind(
        JobKind(
            SEND_REMINDERS,
            "发送到期提醒",
            run_send_reminders,
            "notifications/job_send_reminders.html",
            startable=True,
        )
    )
