"""Sending notifications (消息提醒): in-app rows and email, once per key.

Event-based notifications are created by the service that causes them, inside its transaction
(`notify`); time-based ones come from the registered reminder sources through one command
(`xinzhi send_reminders`). Both go through `notify`, whose (recipient, kind, key) uniqueness
makes a second run create and mail nothing. The 工作台 lists the same sources' items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.notifications.models import Notification, Preference


@dataclass(frozen=True)
class Item:
    """Something that needs a person: a to-do line on their 工作台 and a notification."""

    recipient_id: int
    kind: str
    title: str
    url: str
    key: str
    body: str = ""
    due: dt.date | None = None  # the date it is about (deadline, expiry, follow-up)
    urgent: bool = False


# fn(*, today, user=None) -> items; with `user`, only that user's items (the 工作台).
ReminderSource = Callable[..., list[Item]]
_sources: list[ReminderSource] = []


def register_reminder_source(fn: ReminderSource) -> None:
    if fn not in _sources:
        _sources.append(fn)


def due_items(*, today: dt.date | None = None, user: User | None = None) -> list[Item]:
    """Every registered source's items for `today` (for one user, or everyone)."""
    today = today or timezone.localdate()
    items: list[Item] = []
    for source in _sources:
        items.extend(source(today=today, user=user))
    return items


def _preferences(user_ids: set[int]) -> dict[tuple[int, str], tuple[bool, bool]]:
    rows = Preference.objects.filter(user_id__in=user_ids)
    return {(p.user_id, p.kind): (p.in_app, p.email) for p in rows}


def notify(items: Iterable[Item]) -> int:
    """Create the notifications whose (recipient, kind, key) is new; returns how many.

    Runs in the caller's transaction; mail goes out after it commits, only to recipients who
    chose email for that kind and have an address.
    """
    wanted = {(i.recipient_id, i.kind, i.key): i for i in items}
    if not wanted:
        return 0
    recipients = {r for r, _, _ in wanted}
    existing = set(
        Notification.objects.filter(
            recipient_id__in=recipients, key__in={k for _, _, k in wanted}
        ).values_list("recipient_id", "kind", "key")
    )
    new = [item for triple, item in wanted.items() if triple not in existing]
    if not new:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=i.recipient_id,
                kind=i.kind,
                title=i.title[:200],
                body=i.body,
                url=i.url[:300],
                key=i.key[:120],
            )
            for i in new
        ],
        ignore_conflicts=True,  # a concurrent run sent it already: once is enough
    )
    prefs = _preferences({i.recipient_id for i in new})
    mails = [i for i in new if prefs.get((i.recipient_id, i.kind), (True, False))[1]]
    if mails:
        transaction.on_commit(lambda: _mail(mails))
    return len(new)


def _mail(items: list[Item]) -> None:
    addresses = dict(
        User.objects.filter(pk__in={i.recipient_id for i in items}, is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    for item in items:
        address = addresses.get(item.recipient_id)
        if not address:
            continue
        send_mail(
            subject=f"【新质平台】{item.title}",
            message=f"{item.title}\n\n{item.body}\n\n{item.url}".strip(),
            from_email=None,
            recipient_list=[address],
        )
        Notification.objects.filter(
            recipient_id=item.recipient_id, kind=item.kind, key=item.key[:120]
        ).update(emailed_at=timezone.now())


@transaction.atomic
def send_reminders(*, today: dt.date | None = None) -> int:
    """The time-based reminders due `today`; idempotent (a second run sends nothing)."""
    return notify(due_items(today=today))


def mark_read(*, user: User, notification_id: int) -> Notification:
    item = Notification.objects.get(pk=notification_id, recipient=user)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return item


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, tuple[bool, bool]]) -> None:
    """Store the user's (in_app, email) choice for each kind."""
    for kind, (in_app, email) in choices.items():
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"in_app": in_app, "email": email}
        )


@dataclass(frozen=True)
class TodoLine:
    title: str
    url: str
    label: str
    due: dt.date | None
    urgent: bool


def todo_for(*, user: User, today: dt.date | None = None) -> list[TodoLine]:
    """The 工作台: the same items the reminders send, for one user; urgent first, then by date.

    What waits on someone comes from the sources as it stands now (a declaration already
    reviewed is gone); news that needs no action (a declaration returned or accepted) stays on
    the list while it is unread in the inbox.
    """
    from xinzhi.notifications.choices import NEWS_KINDS, Kind

    items = due_items(today=today, user=user)
    keys = {(i.kind, i.key) for i in items}
    lines = [TodoLine(i.title, i.url, Kind(i.kind).label, i.due, i.urgent) for i in items]
    news = Notification.objects.filter(recipient=user, read_at__isnull=True, kind__in=NEWS_KINDS)
    for n in news[:50]:
        if (n.kind, n.key) not in keys:
            lines.append(
                TodoLine(
                    n.title, n.url, n.get_kind_display(), timezone.localdate(n.created_at), False
                )
            )
    far = dt.date.max
    return sorted(lines, key=lambda line: (not line.urgent, line.due or far))
