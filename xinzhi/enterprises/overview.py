"""Home page overview (首页): counts of what the user may see, registered with core.home."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import Enterprise, TitleHeld


def overview(*, user: User) -> dict:
    """Enterprise and title counts inside the user's jurisdiction."""
    enterprises = Enterprise.objects.visible_to(user)
    today = timezone.localdate()
    titles = (
        TitleHeld.objects.visible_to(user)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("title")
        .annotate(n=Count("enterprise", distinct=True))
    )
    by_title = {row["title"]: row["n"] for row in titles}
    ladder = [
        (TitleType(code).label, by_title.get(code, 0))
        for code in (
            TitleType.TECH_SME,
            TitleType.HNTE,
            TitleType.GAZELLE,
            TitleType.SEED_UNICORN,
            TitleType.POTENTIAL_UNICORN,
            TitleType.UNICORN,
            TitleType.LISTED,
            TitleType.LITTLE_GIANT,
        )
    ]
    return {"enterprise_count": enterprises.count(), "ladder": ladder}
