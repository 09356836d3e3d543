"""The throughput path: compact results for many enterprises × policies.

Runs the same engine functions as :func:`evaluate` with no explanation collector. With
``workers > 1`` on a platform that can ``fork``, the fact list is shared copy-on-write with the
worker processes (nothing is pickled on the way in) and each worker returns packed rows of
small ints; elsewhere chunks of facts are pickled to a spawn pool.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing as mp
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import NamedTuple

from .engine import ENGINES, REVIEW, VERDICTS, Ctx, resolve_policy
from .engine.core import EMPTY, Status
from .facts import EnterpriseFacts
from .loader import Policy, load_policies

__all__ = ["CompactResult", "evaluate_batch"]


class CompactResult(NamedTuple):
    id: str
    policy: str
    verdict: str
    score_min: int | None
    score_max: int | None
    # decisive facts absent (only computed with ``with_missing=True``, for possible verdicts)
    missing: tuple[str, ...] = ()

    @property
    def readiness(self) -> str:
        """eligible / to_verify 待核实 / data_missing 数据不全 / ineligible (see Result)."""
        if self.verdict != "possible":
            return self.verdict
        return "data_missing" if self.missing else "to_verify"


_Row = tuple[str, str, str, int | None, int | None, tuple[str, ...]]
_NONE: tuple[str, ...] = ()
_Packed = list[_Row]
# Wraps a plain tuple as a CompactResult in C (no Python-level namedtuple __new__ per result).
_as_compact = functools.partial(tuple.__new__, CompactResult)
_SHARED: list[EnterpriseFacts] = []
_CHUNK = 4000


def _policies(policy_ids: str | Iterable[str | Policy] | None) -> list[Policy]:
    if policy_ids is None or policy_ids == "all":
        return list(load_policies().values())
    if isinstance(policy_ids, str):
        policy_ids = [p.strip() for p in policy_ids.split(",") if p.strip()]
    return [resolve_policy(p) for p in policy_ids]


class _ChecksOnly:
    """The explanation collector `missing` needs: each check's key, status and route group.

    Receives what :class:`~.engine.core.Explain` receives but keeps no texts, dicts,
    indicators or levers (the explained evaluation costs ~5× the verdict: at 100k enterprises
    it was a third of `xinzhi reevaluate`). `finalize` drops the route not taken exactly as
    ``Explain.finalize`` does, so `missing` lists the same facts (property test).
    """

    __slots__ = ("checks", "groups", "unconfirmed")

    def __init__(self) -> None:
        self.checks: list[tuple[str, Status]] = []
        self.groups: list[str | None] = []
        self.unconfirmed: set[str] = set()

    def check(
        self, key: str, st: Status, *args: object, group: str | None = None, **kw: object
    ) -> None:
        self.checks.append((key, st))
        self.groups.append(group)

    def ind(self, *args: object, **kw: object) -> None:
        pass

    def lever(self, *args: object, **kw: object) -> None:
        pass

    def finalize(self, route_group: str | None, alt_group: str | None, alt_best: Status) -> None:
        self.checks = [
            chk
            for chk, route_of in zip(self.checks, self.groups, strict=True)
            if route_of is None
            or (route_of == route_group and (route_of != alt_group or chk[1] == alt_best))
        ]


@functools.cache
def _templates(templates: tuple[str, ...]) -> tuple[tuple[int | None, str | None, str], ...]:
    """A check's fact templates parsed once: (fiscal years back or None, group or None, name),
    e.g. "financials[Y-1].revenue" → (-1, None, "revenue"), "ip.class1" → (None, "ip", "class1")."""
    parsed: list[tuple[int | None, str | None, str]] = []
    for template in templates:
        if template.startswith("financials[Y"):
            close = template.index("]")
            parsed.append(
                (int(template[len("financials[Y") : close] or 0), None, template[close + 2 :])
            )
        elif "." in template:
            group, name = template.split(".", 1)
            parsed.append((None, group, name))
        else:
            parsed.append((None, None, template))
    return tuple(parsed)


def _missing(c: Ctx, policy: Policy) -> tuple[str, ...]:
    """The decisive facts absent, as ``explained(...).missing`` lists them, in check order
    (what :func:`~.engine.core.missing_facts` reads, with the templates parsed once)."""
    collector = _ChecksOnly()
    ENGINES[policy.engine](policy, c, collector)  # type: ignore[arg-type]
    missing: list[str] = []
    facts = c.facts
    by_year = facts.by_year
    for key, st in collector.checks:
        if st != REVIEW:
            continue
        for back, group, name in _templates(policy.checks[key].facts):
            if back is not None:
                year = c.fiscal_year + back
                if not c.operating(year) or getattr(by_year.get(year, EMPTY), name) is not None:
                    continue  # a year before the enterprise existed is not missing
                path = f"financials[{year}].{name}"
            elif group is not None:
                if getattr(getattr(facts, group), name) is not None:
                    continue
                path = f"{group}.{name}"
            else:
                if getattr(facts, name) is not None:
                    continue
                path = name
            if path not in missing:
                missing.append(path)
    return tuple(missing)


def _run(
    facts: Sequence[EnterpriseFacts] | Iterable[EnterpriseFacts],
    pols: list[Policy],
    as_of: date | None,
    with_missing: bool = False,
) -> _Packed:
    """Evaluate into plain ``(id, policy, verdict, score_min, score_max, missing)`` tuples
    (cheap to pickle: the repeated strings are memoised by pickle)."""
    fns = [(P, ENGINES[P.engine], P.id) for P in pols]
    out: _Packed = []
    append = out.append
    verdicts = VERDICTS
    for f in facts:
        c = Ctx(f, as_of)
        fid = f.id
        for P, fn, pid in fns:
            r = fn(P, c, None)
            missing = _missing(c, P) if with_missing and r[0] == 1 else _NONE
            append((fid, pid, verdicts[r[0]], r[1], r[2], missing))
    return out


def _worker_init() -> None:
    # The engine creates no reference cycles; cyclic GC would only walk (and dirty the
    # copy-on-write pages of) the shared fact list.
    gc.disable()


def _run_shared(args: tuple[int, int, list[str], date | None, bool]) -> _Packed:
    lo, hi, pids, as_of, with_missing = args
    pols = load_policies()
    return _run(_SHARED[lo:hi], [pols[p] for p in pids], as_of, with_missing)


def _run_pickled(args: tuple[list[EnterpriseFacts], list[str], date | None, bool]) -> _Packed:
    facts, pids, as_of, with_missing = args
    pols = load_policies()
    return _run(facts, [pols[p] for p in pids], as_of, with_missing)


def _unpack(packed: _Packed) -> Iterator[CompactResult]:
    return map(_as_compact, packed)


def evaluate_batch(
    facts: Iterable[EnterpriseFacts],
    policy_ids: str | Iterable[str | Policy] | None = None,
    as_of: date | None = None,
    workers: int = 1,
    with_missing: bool = False,
) -> Iterator[CompactResult]:
    """Yield ``CompactResult(id, policy, verdict, score_min, score_max)`` for every enterprise
    (in input order) × policy (in the given order; ``None``/``"all"`` = every policy).

    Raises :class:`~xinzhi.eligibility.InputError` for an enterprise without ``as_of`` when no
    ``as_of`` is given, and :class:`UnknownPolicyError` for an unknown id (before any work).
    ``with_missing=True`` also lists the missing decisive facts of each possible verdict (an
    explained evaluation of those results only) so that ``readiness`` tells 待核实 from 数据不全."""
    pols = _policies(policy_ids)
    pids = [p.id for p in pols]
    if workers <= 1:
        return _serial(facts, pols, pids, as_of, with_missing)
    return _parallel(facts, pols, pids, as_of, workers, with_missing)


def _serial(
    facts: Iterable[EnterpriseFacts],
    pols: list[Policy],
    pids: list[str],
    as_of: date | None,
    with_missing: bool = False,
) -> Iterator[CompactResult]:
    fns = [(P, ENGINES[P.engine], P.id) for P in pols]
    for f in facts:
        c = Ctx(f, as_of)
        fid = f.id
        for P, fn, pid in fns:
            r = fn(P, c, None)
            missing = _missing(c, P) if with_missing and r[0] == 1 else _NONE
            yield _as_compact((fid, pid, VERDICTS[r[0]], r[1], r[2], missing))


def _parallel(
    facts: Iterable[EnterpriseFacts],
    pols: list[Policy],
    pids: list[str],
    as_of: date | None,
    workers: int,
    with_missing: bool = False,
) -> Iterator[CompactResult]:
    global _SHARED
    loaded = load_policies()
    if any(loaded.get(p.id) is not p for p in pols):
        # Policy objects not from the rule set directory: evaluate in-process.
        yield from _serial(facts, pols, pids, as_of, with_missing)
        return
    items = facts if isinstance(facts, list) else list(facts)
    if as_of is None:  # fail fast, in this process, on a missing as_of
        for f in items:
            if f.as_of is None:
                Ctx(f, None)
    if "fork" in mp.get_all_start_methods():
        _SHARED = items
        gc.freeze()  # move the shared heap out of the collector's reach before forking
        try:
            ctx = mp.get_context("fork")
            tasks = [
                (i, min(i + _CHUNK, len(items)), pids, as_of, with_missing)
                for i in range(0, len(items), _CHUNK)
            ]
            pool = ctx.Pool(workers, initializer=_worker_init)
            try:
                for packed in pool.imap(_run_shared, tasks):
                    yield from _unpack(packed)
                pool.close()
                pool.join()
            finally:
                pool.terminate()
        finally:
            _SHARED = []
            gc.unfreeze()
    else:  # pragma: no cover - non-fork platforms
        ctx = mp.get_context("spawn")
        ptasks = [
            (items[i : i + _CHUNK], pids, as_of, with_missing) for i in range(0, len(items), _CHUNK)
        ]
        with ctx.Pool(workers, initializer=_worker_init) as pool:
            for packed in pool.imap(_run_pickled, ptasks):
                yield from _unpack(packed)
