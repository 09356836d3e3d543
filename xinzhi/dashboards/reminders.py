"""The leader's and admin's 工作台 line (待办): key indicators behind 序时进度 this year.

Registered with the notifications' reminder sources in `DashboardsConfig.ready()`, so the
工作台 and `xinzhi send_reminders` show the same lines (once a month per indicator).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xinzhi.accounts import permissions
from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.dashboards.models import Indicator
from xinzhi.dashboards.selectors import indicator_figures
from xinzhi.notifications.choices import Kind
from xinzhi.notifications.services import Item


def _percent(value: object) -> str:
    return f"{value * 100:.1f}%"  # type: ignore[operator]


def indicator_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """指标落后序时进度: the district's key indicators whose progress is behind the year elapsed,
    for the district-wide admins and leaders."""
    if user is not None:
        if not (permissions.sees_whole_district(user) and user.jurisdiction_id is None):
            return []
        readers = [user]
    else:
        readers = list(
            User.objects.filter(
                role__in=(Role.ADMIN, Role.LEADER), is_active=True, jurisdiction__isnull=True
            )
        )
    if not readers:
        return []
    figures = indicator_figures(user=readers[0], year=today.year, through=today)
    key_codes = set(Indicator.objects.filter(is_key=True).values_list("code", flat=True))
    behind = [f for f in figures if f.code in key_codes and f.schedule == "behind"]
    url = reverse("dashboards:cockpit") + f"?year={today.year}&month={today.month}"
    return [
        Item(
            recipient_id=reader.pk,
            kind=Kind.INDICATOR_BEHIND,
            title=(
                f"{f.name}落后序时进度：{f.period.label}完成{_percent(f.progress)}，"
                f"序时进度{_percent(f.period.elapsed)}"
            ),
            url=url,
            key=f"indicator:{f.code}:{today:%Y%m}",
        )
        for f in behind
        for reader in readers
    ]
