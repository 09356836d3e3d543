"""Reads of one user's notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from xinzhi.accounts.models import User
from xinzhi.notifications.choices import Kind
from xinzhi.notifications.models import Notification, Preference


def inbox(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications of the kinds they keep in the inbox (one query, no lookups)."""
    hidden = Preference.objects.filter(user=user, in_app=False).values("kind")
    queryset = Notification.objects.filter(recipient=user).exclude(kind__in=hidden)
    return queryset.filter(read_at__isnull=True) if unread else queryset


def unread_count(*, user: User) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return inbox(user=user, unread=True).count()


def preferences(*, user: User) -> list[tuple[str, str, bool, bool]]:
    """(kind, label, in_app, email) for every kind; no row means in-app on, email off."""
    stored = {p.kind: p for p in Preference.objects.filter(user=user)}
    return [
        (
            kind,
            label,
            stored[kind].in_app if kind in stored else True,
            stored[kind].email if kind in stored else False,
        )
        for kind, label in Kind.choices
    ]
