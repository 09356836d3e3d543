"""Load the demo: jurisdictions, demo accounts, the seeds' enterprises and synthetic ones."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from types import ModuleType

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.accounts.services import jurisdictions_load, user_create
from xinzhi.core.dbstats import planner_statistics_refresh
from xinzhi.demo.generator import Synthesiser, generate_enterprises
from xinzhi.demo.story import DEMO_PASSWORD, DEMO_USERS, SEED_NAMED, STORY
from xinzhi.enterprises import services as enterprise_services
from xinzhi.enterprises.models import AnnualFigures, Enterprise, IntellectualProperty, TitleHeld

DEMO_SEED = 20241123
# Each domain app may ship `demo.py` with
# `load_demo(*, admin: User, seed: int, today: date) -> dict[str, int]` (idempotent) and
# `demo_counts() -> dict[str, int]`; they run in this order after the enterprises exist.
# Cultivation runs after attraction so the enterprises landed there get their profiles in the
# same run (a re-run then finds nothing missing and creates nothing).
# Chains run after attraction (its stages carry the gap targets' leads) and before cultivation
# (the suppliers they add get their profiles in the same run). The portal runs last: its to-do
# items and reminders read what the others created.
DEMO_EXTENSIONS = (
    "xinzhi.attraction.demo",
    "xinzhi.chains.demo",
    "xinzhi.cultivation.demo",
    "xinzhi.calls.demo",
    "xinzhi.ecosystem.demo",
    "xinzhi.finance.demo",
    "xinzhi.projects.demo",
    "xinzhi.rewards.demo",
    "xinzhi.dashboards.demo",
    "xinzhi.briefings.demo",
    "xinzhi.portal.demo",
)


def demo_users_create() -> list[User]:
    """The demo accounts (all with the demo password); existing ones are kept as they are."""
    users = []
    for username, role, full_name, jurisdiction_code in DEMO_USERS:
        existing = User.objects.filter(username=username).first()
        if existing:
            users.append(existing)
            continue
        jurisdiction = (
            Jurisdiction.objects.get(code=jurisdiction_code) if jurisdiction_code else None
        )
        users.append(
            user_create(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                full_name=full_name,
                jurisdiction=jurisdiction,
                employer="常州大学" if role == "reviewer" else "",
                expertise="新能源、先进制造" if role == "reviewer" else "",
            )
        )
    return users


@transaction.atomic
def story_enterprises_create(*, actor: User, today: dt.date | None = None) -> int:
    """The enterprises the seed articles name, through the audited services."""
    synth = Synthesiser(DEMO_SEED + 1, today)
    codes = {j.code: j for j in Jurisdiction.objects.all()}
    created = 0
    for item in STORY:
        if Enterprise.objects.unscoped().filter(name=item.name).exists():
            continue
        enterprise = enterprise_services.enterprise_create(
            actor=actor,
            is_demo=True,
            tags=list(item.tags),
            data={
                "credit_code": synth.credit_code(),
                "name": item.name,
                "registered_on": item.registered_on,
                "jurisdiction": codes[item.jurisdiction],
                "industry": item.industry,
                "hightech_field": item.hightech_field,
                "scale": item.scale,
                "summary": item.summary,
                "is_listed": item.is_listed,
                "address": "常州市武进区" + synth.rng.choice(synth.streets),
                "legal_representative": synth.rng.choice(synth.people),
                "contact_name": synth.rng.choice(synth.people),
                "contact_phone": synth.rng.choice(synth.phones),
            },
        )
        AnnualFigures.objects.unscoped().bulk_create(
            synth.figures(
                enterprise, item.base_revenue, item.growth, item.revenue_by_year, steady=True
            )
        )
        TitleHeld.objects.unscoped().bulk_create(
            [
                TitleHeld(
                    enterprise=enterprise,
                    title=t.title,
                    name=t.name,
                    level=t.level,
                    valid_from=t.dates(synth.today)[0],
                    valid_until=t.dates(synth.today)[1],
                    is_demo=True,
                )
                for t in item.titles
            ]
        )
        IntellectualProperty.objects.unscoped().bulk_create(
            synth.ip_rights(enterprise), ignore_conflicts=True
        )
        created += 1
    return created


def _extensions() -> list[ModuleType]:
    modules = []
    for module_name in DEMO_EXTENSIONS:
        try:
            modules.append(importlib.import_module(module_name))
        except ModuleNotFoundError as exc:
            if exc.name in (module_name, module_name.rsplit(".", 1)[0]):
                continue  # that app is not installed (yet)
            raise
    return modules


def demo_loaded_on() -> dt.date | None:
    """The day the demo was loaded (its first enterprise), or None if it is not loaded."""
    first = (
        Enterprise.objects.unscoped()
        .filter(is_demo=True, name__in=[s.name for s in STORY])
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def demo_summary() -> dict[str, int]:
    """What the loaded demo holds (totals, not what a run created)."""
    enterprises = Enterprise.objects.unscoped().filter(is_demo=True)
    story = enterprises.filter(name__in=[s.name for s in STORY]).count()
    summary = {
        "板块": Jurisdiction.objects.count(),
        "演示账号": User.objects.filter(username__in=[u[0] for u in DEMO_USERS]).count(),
        "报道企业": story,
        "其他示例企业": enterprises.count() - story,
    }
    for module in _extensions():
        if hasattr(module, "demo_counts"):
            summary.update(module.demo_counts())
    return summary


def demo_load(
    *,
    synthetic: int = 2000,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> dict:
    """Everything the demo needs; a second run adds nothing that is already there.

    Dates that matter (open calls, follow-ups, expiring titles, stale leads) are relative to
    `today`, the load day (default: `timezone.localdate()`); the seeds' own dates are kept.

    `already_loaded` says the story was there before this run (the command then reports what
    the demo holds instead of creation counts).
    """
    already_loaded = demo_loaded_on() is not None
    today = today or timezone.localdate()
    units = jurisdictions_load()
    users = demo_users_create()
    admin = next(u for u in users if u.username == "admin")
    story = story_enterprises_create(actor=admin, today=today)
    existing = Enterprise.objects.unscoped().filter(is_demo=True).count() - len(STORY)
    synthetic_created = 0
    if existing < synthetic:
        synthetic_created = generate_enterprises(
            synthetic - max(existing, 0), seed=DEMO_SEED, progress=progress, today=today
        )
    result = {
        "jurisdictions": units,
        "users": len(users),
        "story": story,
        "synthetic": synthetic_created,
        "already_loaded": already_loaded and not story and not synthetic_created,
    }
    modules = _extensions()
    # An extension may add real companies of its own (a 链主's suppliers): kept clean like these.
    real_names = SEED_NAMED.union(*(getattr(m, "REAL_NAMES", frozenset()) for m in modules))
    for module in modules:
        planner_statistics_refresh()  # each extension queries what the ones before it wrote
        result.update(
            module.load_demo(admin=admin, seed=DEMO_SEED, today=today, real_names=real_names)
        )
    return result
