"""Evaluation of enterprise facts against a policy.

Each policy engine is one function ``engine(policy, ctx, explain)`` that computes every check
status as an int (``MET``/``REVIEW``/``UNMET``) and every indicator as integer ``[min, max]``
points, and returns ``(verdict, score_min, score_max, route)``. ``explain`` is ``None`` on the
batch path; on the explained path it is an :class:`Explain` collector that receives the checks,
indicators and levers with their numbers. Because both paths run the same decisions, the batch
and the full evaluation cannot disagree; the explained path then recomputes the verdict from the
emitted checks (DESIGN §5 semantics) and the property test compares the two.

Layout: :mod:`.core` (context, primitives, explanation), one module per policy family
(:mod:`.tech_sme`, :mod:`.hnte`, :mod:`.innovative_sme`, :mod:`.srdi_sme`,
:mod:`.little_giant`, :mod:`.gazelle`, :mod:`.unicorn`), :mod:`.registry` (engine name →
function) and :mod:`.results` (the :class:`Result` and :func:`evaluate`).
"""

from .core import (
    ELIGIBLE,
    INELIGIBLE,
    MET,
    POSSIBLE,
    REVIEW,
    STATUS,
    UNMET,
    VERDICTS,
    Ctx,
    Explain,
)
from .hnte import growth_points
from .registry import ENGINES
from .results import (
    Result,
    UnknownPolicyError,
    evaluate,
    jsonable,
    resolve_policy,
    verdict_from_checks,
)

__all__ = [
    "ELIGIBLE",
    "ENGINES",
    "INELIGIBLE",
    "MET",
    "POSSIBLE",
    "REVIEW",
    "STATUS",
    "UNMET",
    "VERDICTS",
    "Ctx",
    "Explain",
    "Result",
    "UnknownPolicyError",
    "evaluate",
    "growth_points",
    "jsonable",
    "resolve_policy",
    "verdict_from_checks",
]
