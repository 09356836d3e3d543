"""工作台 line for the bureau admin: last month's 科技工作月报 not generated yet (first days of
a month), through the notifications' reminder registry (so `xinzhi send_reminders` sends it too)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.briefings.models import Briefing
from xinzhi.briefings.selectors import previous_month
from xinzhi.notifications.choices import Kind
from xinzhi.notifications.services import Item

REMIND_UNTIL_DAY = 10  # the bureau sends the month's briefing in the first ten days


def briefing_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """上月科技工作月报未生成: for each active admin, on days 1—10 while the district has no
    briefing of the previous month (any version)."""
    if today.day > REMIND_UNTIL_DAY:
        return []
    if user is not None and (user.role != Role.ADMIN or user.jurisdiction_id is not None):
        return []
    year, month = previous_month(today)
    if Briefing.objects.unscoped().filter(year=year, month=month, unit_key="district").exists():
        return []
    admins = (
        [user.pk]
        if user is not None
        else User.objects.filter(
            role=Role.ADMIN, is_active=True, jurisdiction__isnull=True
        ).values_list("pk", flat=True)
    )
    url = reverse("briefings:generate") + f"?year={year}&month={month}"
    return [
        Item(
            recipient_id=admin,
            kind=Kind.REPORT_DUE,
            title=f"上月科技工作月报未生成（{year}年{month}月）",
            url=url,
            key=f"briefing:district:{year}{month:02d}",
            due=today.replace(day=REMIND_UNTIL_DAY),
        )
        for admin in admins
    ]
