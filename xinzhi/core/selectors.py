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


# The 工作台's to-do lines: the app that knows what needs a person (notifications) registers
# `fn(*, user) -> list` of items with `title`, `url`, `kind` label, `due` and `urgent`.
TodoProvider = Callable[..., list[Any]]
_todo_providers: list[TodoProvider] = []


def register_todo_provider(provider: TodoProvider) -> None:
    if provider not in _todo_providers:
        _todo_providers.append(provider)


def todo(*, user: User) -> list[Any]:
    """What needs `user` now, from every provider (most urgent first, as they order it)."""
    items: list[Any] = []
    for provider in _todo_providers:
        items.extend(provider(user=user))
    return items
