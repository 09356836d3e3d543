"""Engine name (the ``engine:`` key of a rule set) → policy engine function."""

from __future__ import annotations

from collections.abc import Callable

from ..loader import Policy
from .core import Ctx, EvalOut, Explain
from .gazelle import ev_gazelle
from .hnte import ev_hnte
from .innovative_sme import ev_innovative_sme
from .little_giant import ev_little_giant_2022, ev_little_giant_2026
from .srdi_sme import ev_srdi_sme_2022, ev_srdi_sme_2026
from .tech_sme import ev_tech_sme
from .unicorn import (
    ev_potential_unicorn_gei,
    ev_potential_unicorn_js,
    ev_seed_unicorn,
    ev_unicorn_gei,
    ev_unicorn_js,
)

PolicyEngine = Callable[[Policy, Ctx, Explain | None], EvalOut]

ENGINES: dict[str, PolicyEngine] = {
    "tech_sme": ev_tech_sme,
    "hnte": ev_hnte,
    "innovative_sme": ev_innovative_sme,
    "srdi_sme_2022": ev_srdi_sme_2022,
    "srdi_sme_2026": ev_srdi_sme_2026,
    "little_giant_2022": ev_little_giant_2022,
    "little_giant_2026": ev_little_giant_2026,
    "gazelle": ev_gazelle,
    "unicorn_gei": ev_unicorn_gei,
    "potential_unicorn_gei": ev_potential_unicorn_gei,
    "unicorn_js": ev_unicorn_js,
    "potential_unicorn_js": ev_potential_unicorn_js,
    "seed_unicorn": ev_seed_unicorn,
}
