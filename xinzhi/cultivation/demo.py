"""Demo ladder: qualification facts, stages derived from the titles held, stored evaluations."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core import aggregates
from xinzhi.cultivation.choices import LadderStage
from xinzhi.cultivation.models import (
    CultivationTrack,
    Evaluation,
    QualificationProfile,
    TrackChange,
)
from xinzhi.cultivation.services import evaluations_refresh
from xinzhi.enterprises.choices import IncidentKind, IncidentSeverity
from xinzhi.enterprises.models import Enterprise, Incident, TitleHeld

# Facts the articles state about the story enterprises (funding in 万元 / 百万美元).
STORY_PROFILES = {
    "常州优磁科技有限公司": {
        "has_institutional_investment": True,
        "financing_usd_m": Decimal("3.9"),
        "valuation_cny_wan": Decimal("30000"),
        "conversions_3y": 9,
    },
    "常州纵慧芯光半导体科技有限公司": {
        "has_institutional_investment": True,
        "valuation_usd_m": Decimal("650"),
        "financing_usd_m": Decimal("120"),
    },
    "领先光学技术（江苏）有限公司": {
        "has_institutional_investment": True,
        "valuation_cny_wan": Decimal("15000"),
        "conversions_3y": 4,
    },
}
FAMILY_OF_TITLE = {
    "tech_sme": "tech_sme",
    "hnte": "hnte",
    "innovative_sme": "innovative_sme",
    "srdi_sme": "srdi_sme",
    "little_giant": "little_giant",
    "gazelle": "gazelle",
    "seed_unicorn": "seed_unicorn",
    "potential_unicorn": "potential_unicorn",
    "unicorn": "unicorn",
}


def _profiles(
    rng: random.Random, enterprises: list[Enterprise], real_names: frozenset[str]
) -> list[QualificationProfile]:
    rows = []
    for enterprise in enterprises:
        story = STORY_PROFILES.get(enterprise.name, {})
        invested = story.get("has_institutional_investment", rng.random() < 0.15)
        # Draw for every enterprise so the synthetic ones keep their values; real firms stay clean.
        incident, dishonest = rng.random() < 0.02, rng.random() < 0.02
        if enterprise.name in real_names:
            incident = dishonest = False
        rows.append(
            QualificationProfile(
                enterprise=enterprise,
                resident=True,
                prohibited_industry=False,
                major_incident=incident,
                serious_dishonesty=dishonest,
                has_core_ip=rng.random() < 0.8,
                conversions_3y=story.get("conversions_3y", rng.choice((0, 2, 3, 5, 8, 12, 15))),
                rd_institution_level=rng.choice(
                    ("", "none", "municipal", "municipal", "provincial", "below_municipal")
                ),
                national_award_top3_5y=False,
                led_standard_5y=rng.random() < 0.05,
                has_institutional_investment=invested,
                valuation_cny_wan=story.get(
                    "valuation_cny_wan",
                    (Decimal(rng.choice((8000, 12000, 20000, 40000, 90000))) if invested else None),
                ),
                valuation_usd_m=story.get("valuation_usd_m"),
                financing_usd_m=story.get(
                    "financing_usd_m", (Decimal(rng.choice((2, 6, 15, 30))) if invested else None)
                ),
                niche_years=rng.choice((None, 2, 3, 5, 8)),
                is_demo=True,
            )
        )
    return rows


def _incidents(
    seed: int, enterprises: list[Enterprise], real_names: frozenset[str]
) -> list[Incident]:
    """Dated incidents on about 1% of the synthetic enterprises, spread over four years so that
    each rule set's window (上一年及当年 / 申请前一年 / 近三年) catches some and not others."""
    rng = random.Random(seed + 13)  # its own stream: the profiles' stay as they were
    today = timezone.localdate()
    rows = []
    for enterprise in enterprises:
        if enterprise.name in real_names or rng.random() >= 0.01:
            continue
        days = rng.randint(30, 4 * 365)
        rows.append(
            Incident(
                enterprise=enterprise,
                occurred_on=None if rng.random() < 0.1 else today - dt.timedelta(days=days),
                kind=rng.choice(IncidentKind.values),
                severity=rng.choice(IncidentSeverity.values),
                description="示例事件（合成数据）",
                is_demo=True,
            )
        )
    return rows


@transaction.atomic
def _tracks(rng: random.Random, admin: User, today: dt.date) -> int:
    tracks, changes = [], []
    seen: set[tuple[int, str]] = set()
    for title in (
        TitleHeld.objects.unscoped()
        .filter(title__in=FAMILY_OF_TITLE)
        .order_by("enterprise_id", "-valid_from")
    ):
        key = (title.enterprise_id, FAMILY_OF_TITLE[title.title])
        if key in seen:
            continue
        seen.add(key)
        start = title.valid_from or today - dt.timedelta(days=365)
        stage = (
            LadderStage.CERTIFIED
            if (start > today - dt.timedelta(days=365))
            else LadderStage.GROWTH
        )
        if title.valid_until and title.valid_until < today:
            stage = LadderStage.NURTURE  # lapsed: to be cultivated again
        tracks.append(
            CultivationTrack(
                enterprise_id=key[0], family=key[1], stage=stage, stage_since=start, is_demo=True
            )
        )
    # Candidates the bureau keeps in reserve or is cultivating this year.
    candidates = (
        Evaluation.objects.unscoped()
        .filter(
            family__in=("hnte", "tech_sme", "srdi_sme", "gazelle", "seed_unicorn"),
            verdict__in=("eligible", "possible"),
        )
        .values_list("enterprise_id", "family")
    )
    for enterprise_id, family in candidates:
        if (enterprise_id, family) in seen or rng.random() > 0.35:
            continue
        seen.add((enterprise_id, family))
        stage = rng.choice(
            (
                LadderStage.RESERVE,
                LadderStage.RESERVE,
                LadderStage.NURTURE,
                LadderStage.NURTURE,
                LadderStage.APPLY,
            )
        )
        tracks.append(
            CultivationTrack(
                enterprise_id=enterprise_id,
                family=family,
                stage=stage,
                is_demo=True,
                stage_since=today - dt.timedelta(days=rng.randint(10, 200)),
            )
        )
    created = CultivationTrack.objects.unscoped().bulk_create(tracks, batch_size=2000)
    aggregates.topics_changed(aggregates.TRACKS)
    for track in created:
        changes.append(
            TrackChange(
                track=track,
                from_stage="",
                to_stage=track.stage,
                changed_on=track.stage_since,
                actor=admin,
                actor_name=admin.display_name,
                note="示例数据初始化",
            )
        )
    TrackChange.objects.unscoped().bulk_create(changes, batch_size=2000)
    return len(created)


def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Idempotent: profiles and tracks only for enterprises that have none yet.

    `real_names` are the seed-named (real) firms: never given an adverse flag.
    """
    today = today or timezone.localdate()
    rng = random.Random(seed + 3)
    missing = list(
        Enterprise.objects.unscoped()
        .filter(is_demo=True, qualification__isnull=True)
        .order_by("pk")
    )
    profiles = _profiles(rng, missing, real_names)
    QualificationProfile.objects.unscoped().bulk_create(profiles, batch_size=2000)
    Incident.objects.unscoped().bulk_create(_incidents(seed, missing, real_names), batch_size=2000)
    evaluated = 0
    if missing or not Evaluation.objects.unscoped().exists():
        evaluated = evaluations_refresh(Enterprise.objects.unscoped(), workers=1)
    tracks = 0
    if not CultivationTrack.objects.unscoped().exists():
        tracks = _tracks(rng, admin, today)
    return {"认定要素": len(missing), "资格评估": evaluated, "培育阶段": tracks}


def demo_counts() -> dict[str, int]:
    """What the cultivation demo holds (for the seed command's summary)."""
    return {
        "资格评估": Evaluation.objects.unscoped().count(),
        "培育阶段": CultivationTrack.objects.unscoped().filter(is_demo=True).count(),
    }
