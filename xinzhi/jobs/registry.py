"""Kinds of job and the function that runs each (任务类型登记).

Apps register their kinds in `AppConfig.ready()`, so this app imports no other app: the
import lives in enterprises, re-evaluation in cultivation, and each says how its result shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xinzhi.jobs.models import Job
    from xinzhi.jobs.services import Progress


@dataclasses.dataclass(frozen=True)
class JobKind:
    code: str
    label: str
    # run(job, progress) does the work and returns the outcome (see services.Outcome).
    run: Callable[[Job, Progress], Any]
    # Template included on the job page to show `job.summary` (may be "").
    result_template: str = ""
    # The bureau admin may start it from 我的任务 (e.g. re-evaluating every enterprise).
    startable: bool = False


_kinds: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _kinds[kind.code] = kind


def job_kind(code: str) -> JobKind:
    return _kinds[code]


def kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return kind.label if kind else code


def startable_kinds() -> list[JobKind]:
    return [k for k in _kinds.values() if k.startable]
