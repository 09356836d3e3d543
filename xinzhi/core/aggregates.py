"""Cached page counts (首页、培育梯队) that cost the same at 2k and 100k enterprises.

A count is computed once per viewer scope and day, and cached under the current version of
every topic it reads. The services that change a topic call `topics_changed` (an explicit
hook, no signals); the version is bumped in the database after commit, so every worker —
each with its own cache — recomputes on its next request, and a count computed from data
read before the change is stored under the old version and never served again.

Writes that bypass the services (admin, shell) are caught by the cache timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xinzhi.core.models import AggregateVersion

if TYPE_CHECKING:
    from xinzhi.accounts.models import User


ENTERPRISES = "enterprises"
TITLES = "titles"
TRACKS = "tracks"
EVALUATIONS = "evaluations"
ALL_TOPICS = (ENTERPRISES, TITLES, TRACKS, EVALUATIONS)

# Safety net for writes that do not go through a service; services invalidate at once.
TIMEOUT_SECONDS = 600


def scope_key(user: User) -> str:
    """Who sees which rows; the roles are accounts' (`User.scope_key`), core knows none."""
    if user is None or not user.is_authenticated:
        return "none"
    return user.scope_key()


def versions(topics: Iterable[str]) -> str:
    topics = sorted(set(topics))
    found = dict(AggregateVersion.objects.filter(topic__in=topics).values_list("topic", "version"))
    return ".".join(str(found.get(t, 0)) for t in topics)


def cached[T](name: str, *, user: User, topics: Iterable[str], compute: Callable[[], T]) -> T:
    """`compute()` for this viewer's scope, from the cache while none of `topics` changed.

    The day is part of the key because counts of titles still valid change at midnight.
    """
    key = (
        f"aggregate:{name}:{scope_key(user)}:{timezone.localdate().isoformat()}:{versions(topics)}"
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT_SECONDS)
    return value


def topics_changed(*topics: str) -> None:
    """Mark `topics` changed once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _bump(topics))


def _bump(topics: Iterable[str]) -> None:
    for topic in topics:
        if AggregateVersion.objects.filter(topic=topic).update(version=F("version") + 1):
            continue
        try:
            with transaction.atomic():
                AggregateVersion.objects.create(topic=topic, version=1)
        except IntegrityError:  # created meanwhile by another process
            AggregateVersion.objects.filter(topic=topic).update(version=F("version") + 1)
