"""Home page overview (工作台): each app that owns data contributes its own counts.

Apps register a provider in their AppConfig.ready(), so core never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xinzhi.accounts.models import User

OverviewProvider = Callable[["User"], dict[str, Any]]
_providers: list[OverviewProvider] = []


def register_overview_provider(provider: OverviewProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def overview(*, user: User) -> dict[str, Any]:
    """Every provider's counts for `user`, merged."""
    result: dict[str, Any] = {}
    for provider in _providers:
        result.update(provider(user))
    return result
