"""Ladder steps other apps contribute (培育梯队之外的台阶), e.g. 上市企业 from the listing pipeline.

The ladder's titles come from the eligibility families; the top step, 上市, is tracked by the
创新生态 app's 上市后备 board, which cultivation must not import. That app registers a step here
in `AppConfig.ready()`; the ladder page asks each step for its counts in the viewer's scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StepCounts:
    """Counts in the ladder's five columns (储备, 培育, 申报, 认定, 成长) and a note on them."""

    stages: tuple[int, int, int, int, int]
    note: str = ""


@dataclass(frozen=True)
class LadderStep:
    key: str
    name: str
    url_name: str  # the page behind the counts
    counts: Callable[[Any], StepCounts]  # (user) -> counts in that user's scope


_steps: list[LadderStep] = []


def register_ladder_step(step: LadderStep) -> None:
    if all(s.key != step.key for s in _steps):
        _steps.append(step)


def ladder_steps() -> list[LadderStep]:
    return list(_steps)
