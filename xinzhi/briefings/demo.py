"""Demo data of the briefings app: the shipped sentence templates and the August 2024 briefing
of the district, written from the dashboards' demo figures (so 统计报告 is not empty). The
September one is left for the user to generate."""

from __future__ import annotations

import datetime as dt

from xinzhi.accounts.models import User
from xinzhi.briefings import services
from xinzhi.briefings.models import Briefing

DEMO_YEAR, DEMO_MONTH = 2024, 8


def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Load the templates and one demo briefing once (idempotent); counts by kind."""
    services.templates_load_defaults()
    if not Briefing.objects.unscoped().filter(is_demo=True).exists():
        briefing = services.briefing_generate(
            actor=admin,
            year=DEMO_YEAR,
            month=DEMO_MONTH,
            jurisdiction_id=None,
            today=dt.date(DEMO_YEAR, DEMO_MONTH + 1, 6),
        )
        Briefing.objects.unscoped().filter(pk=briefing.pk).update(is_demo=True)
    return {"科技工作月报": Briefing.objects.unscoped().filter(is_demo=True).count()}
