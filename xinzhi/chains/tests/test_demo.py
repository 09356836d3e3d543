"""The chain demo tells the seeds' story with plausible, clean figures."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q


def test_chain_demo_story_and_clean_real_companies(db):
    from xinzhi.accounts.models import User
    from xinzhi.chains import selectors
    from xinzhi.chains.demo import REAL_NAMES
    from xinzhi.chains.models import Chain, GapTarget
    from xinzhi.cultivation.models import QualificationProfile
    from xinzhi.demo.services import demo_load
    from xinzhi.enterprises.models import Incident

    demo_load(synthetic=120)
    admin = User.objects.get(username="admin")
    nev = Chain.objects.get(code="nev")
    assert [e.name for e in selectors.chain_leaders([nev])[nev.pk]] == [
        "江苏理想汽车智能科技有限公司"
    ]
    year = selectors.default_year(nev)
    figures = {f.key: f for f in selectors.chain_metrics(user=admin, chain=nev, year=year).figures}
    assert (figures["completeness"].numerator, figures["completeness"].denominator) == (9, 11)
    assert Decimal("30") < figures["local_supply"].percent < Decimal("60")
    assert figures["value_added"].percent is not None
    gaps = {s.node.name: s.presence for s in selectors.chain_gaps(selectors.node_states(nev))}
    assert gaps["固态电池"] == gaps["第三代半导体"] == "missing"
    assert gaps["车载芯片"] == "weak"
    open_solid = GapTarget.objects.filter(node__code="solid-state", status="open")
    assert open_solid.filter(name="清陶（昆山）能源发展股份有限公司").exists()
    assert GapTarget.objects.filter(lead__isnull=False).count() == 3
    # The real companies the chain demo adds carry no adverse flag or invented incident.
    profiles = QualificationProfile.objects.unscoped().filter(enterprise__name__in=REAL_NAMES)
    assert profiles.count() == len(REAL_NAMES)
    assert not profiles.filter(
        Q(major_incident=True) | Q(serious_dishonesty=True) | Q(prohibited_industry=True)
    ).exists()
    assert not Incident.objects.unscoped().filter(enterprise__name__in=REAL_NAMES).exists()
    # Idempotent: a second run adds nothing.
    before = GapTarget.objects.count()
    demo_load(synthetic=120)
    assert GapTarget.objects.count() == before
