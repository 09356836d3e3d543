"""Jurisdiction scoping (数据权限): one mechanism for every query of a scoped model.

A scoped model's default manager refuses to build a queryset unless the caller says whose view
it is (`visible_to(user)`) or says explicitly that it needs every row (`unscoped()`), so a
forgotten filter fails loudly instead of leaking another jurisdiction's records.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models

from xinzhi.core.limits import LimitedNumbersMixin

if TYPE_CHECKING:
    from xinzhi.accounts.models import User


class ScopeError(RuntimeError):
    """A scoped model was queried without naming the acting user."""


@dataclass(frozen=True)
class Scope:
    """How a model reaches its jurisdiction and its enterprise (lookup paths)."""

    jurisdiction: str | None = None
    enterprise: str | None = None
    reviewer: str | None = None  # path to the assigned reviewer user, e.g. "assignments__reviewer"


def scope_queryset(queryset: models.QuerySet, user: User | None) -> models.QuerySet:
    """Restrict `queryset` to what `user` may see, by role and jurisdiction subtree.

    The roles are accounts' (`User.restrict_to_scope`); core only refuses the anonymous.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    return user.restrict_to_scope(queryset, queryset.model.SCOPE)


_scopes_disabled: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "xinzhi_scopes_disabled", default=False
)


@contextlib.contextmanager
def scopes_disabled() -> Iterator[None]:
    """Let Django's own machinery (unique checks, admin) query scoped models in full."""
    token = _scopes_disabled.set(True)
    try:
        yield
    finally:
        _scopes_disabled.reset(token)


class ScopedManager(models.Manager):
    """Default manager of scoped models; see the module docstring."""

    def get_queryset(self) -> models.QuerySet:
        if _scopes_disabled.get():
            return super().get_queryset()
        raise ScopeError(
            f"{self.model.__name__} is jurisdiction-scoped: use "
            f"{self.model.__name__}.objects.visible_to(user) or .unscoped()."
        )

    def visible_to(self, user: User | None) -> models.QuerySet:
        return scope_queryset(super().get_queryset(), user)

    def unscoped(self) -> models.QuerySet:
        """Every row: only for system jobs (demo data, batch evaluation, migrations)."""
        return super().get_queryset()


class ScopedModel(LimitedNumbersMixin):
    """Abstract base: the default manager `objects` is scoped.

    Forward relations and deletes use the plain base manager `all_objects` (the parent row was
    already reached through a scoped query); reverse relations inherit the guard.
    """

    SCOPE: Scope = Scope()

    objects = ScopedManager()
    all_objects = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        # Unique checks and constraints are global (a credit code is unique district-wide),
        # so Django's validation may look at every row.
        with scopes_disabled():
            super().full_clean(*args, **kwargs)

    def validate_unique(self, *args: Any, **kwargs: Any) -> None:
        with scopes_disabled():
            super().validate_unique(*args, **kwargs)

    def validate_constraints(self, *args: Any, **kwargs: Any) -> None:
        with scopes_disabled():
            super().validate_constraints(*args, **kwargs)
