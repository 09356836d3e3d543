"""Other apps that derive data from an enterprise's facts (e.g. stored eligibility evaluations)
register here and are told, after commit, that an enterprise changed."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

EnterpriseListener = Callable[[list[int]], None]
_listeners: list[EnterpriseListener] = []


def register_enterprise_listener(listener: EnterpriseListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify_enterprise_changed(enterprise_id: int) -> None:
    """Call every listener once the current transaction commits."""
    notify_enterprises_changed([enterprise_id])


def notify_enterprises_changed(enterprise_ids: list[int]) -> None:
    """One call per listener for many enterprises (bulk imports), after commit."""
    ids = sorted(set(enterprise_ids))
    for listener in _listeners:
        transaction.on_commit(lambda listener=listener: listener(ids))
