"""What-if: apply concrete changes to an enterprise's facts and re-evaluate.

The levers themselves (the smallest change that raises the score or passes a gate) are produced
by each policy engine while it explains a result and verified by :mod:`.engine.verify` before
they are shown; this module lets a user try them or any other change, e.g.::

    before, after = what_if(facts, "hnte-2016",
                            [{"path": "financials[2024].rd_expense", "delta": 126.4}])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from .changes import apply_changes, normalise_changes, project_next_window
from .engine import Result, evaluate
from .loader import Policy

__all__ = ["apply_changes", "normalise_changes", "project_next_window", "what_if"]


def what_if(
    facts: Any,
    policy: str | Policy,
    changes: Mapping[str, Any] | Iterable[Mapping[str, Any]],
    as_of: date | None = None,
) -> tuple[Result, Result]:
    """(before, after) results for the given changes."""
    return evaluate(facts, policy, as_of), evaluate(apply_changes(facts, changes), policy, as_of)
