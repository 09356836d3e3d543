"""新质 eligibility engine: pure Python (stdlib + PyYAML), no Django, no other xinzhi module.

Public API (stable; the Django side calls exactly this)::

    load_policies()                 -> dict[str, Policy]
    policy_ids()                    -> list[str]
    policies_in_force(family, on)   -> list[Policy]
    families()                      -> dict[str, str]
    facts_from_dict(d)              -> EnterpriseFacts   (raises InputError)
    evaluate(facts, policy, as_of=None)                      -> Result
    evaluate_batch(facts, policy_ids, as_of=None, workers=1) -> Iterator[CompactResult]
    apply_changes(facts, changes)   -> EnterpriseFacts   (what-if; raises InputError)
"""

from .batch import CompactResult, evaluate_batch
from .changes import apply_changes
from .engine import Result, UnknownPolicyError, evaluate
from .facts import EnterpriseFacts, InputError, facts_from_dict
from .levers import what_if
from .loader import Policy, families, load_policies, policies_in_force, policy_ids

__all__ = [
    "CompactResult",
    "EnterpriseFacts",
    "InputError",
    "Policy",
    "Result",
    "UnknownPolicyError",
    "apply_changes",
    "evaluate",
    "evaluate_batch",
    "facts_from_dict",
    "families",
    "load_policies",
    "policies_in_force",
    "policy_ids",
    "what_if",
]
