"""The 2024 demo of 政策兑现: computed from the demo's records, alive today, idempotent."""

from decimal import Decimal

from django.utils import timezone

from xinzhi.demo.services import demo_load
from xinzhi.rewards.models import Entitlement, Payment, Publicity, RewardPolicy


def test_demo_2024_entitlements_from_the_records(db):
    demo_load(synthetic=60)
    rows = Entitlement.objects.unscoped().filter(year=2024).select_related("enterprise", "item")
    gazelle = rows.get(
        enterprise__name="星辰新能（常州）储能科技有限公司", item__code="gazelle-new"
    )
    assert gazelle.amount_yuan == Decimal(300000)
    assert gazelle.explanation == "2024年新认定瞪羚企业，按省级标准奖励30万元"
    soft = [r for r in rows if r.item.code == "soft-science-matching"]
    assert soft and all(r.amount_yuan <= 3000 for r in soft)
    assert rows.filter(item__code="hnte-new").exists()
    assert RewardPolicy.objects.get(code="wujin-rewards-2024").is_example is True
    today = timezone.localdate()
    assert any(p.is_open(today) for p in Publicity.objects.all())
    assert Payment.objects.unscoped().filter(is_demo=True).exists()
    count = rows.count()
    demo_load(synthetic=60)
    assert Entitlement.objects.unscoped().filter(year=2024).count() == count
