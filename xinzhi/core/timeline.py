"""Enterprise timeline (企业全生命周期时间轴): each app contributes its own events.

Apps register a provider in their AppConfig.ready(); the enterprise detail page merges them,
so leads, applications, loans and titles appear on one line without enterprises importing them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xinzhi.accounts.models import User


@dataclass(frozen=True)
class TimelineItem:
    """One dated event on an enterprise's timeline."""

    on: dt.date
    kind: str  # short Chinese category shown as a badge, e.g. "资质", "招商", "审计"
    title: str
    detail: str = ""
    url: str = ""


TimelineProvider = Callable[[Any, "User"], list[TimelineItem]]
_providers: list[TimelineProvider] = []


def register_timeline_provider(provider: TimelineProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def enterprise_timeline(*, enterprise: Any, user: User) -> list[TimelineItem]:
    """All providers' events for `enterprise`, newest first."""
    items: list[TimelineItem] = []
    for provider in _providers:
        items.extend(provider(enterprise, user))
    return sorted(items, key=lambda item: item.on, reverse=True)
