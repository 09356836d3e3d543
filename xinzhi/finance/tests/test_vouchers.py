"""长三角双创券: institutions, cross-region derivation, order steps, redemption limits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.core.exceptions import ApplicationError
from xinzhi.finance import services
from xinzhi.finance.models import ServiceInstitution, VoucherGrant, VoucherOrder

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def institutions():
    def make(name, region, city, types=("testing",)):
        return services.institution_save(
            actor=None,
            data={
                "name": name,
                "region": region,
                "city": city,
                "service_types": list(types),
                "joined_on": dt.date(2023, 6, 1),
            },
        )

    return {
        "sh": make("上海微技术工业研究院", "shanghai", "上海市", ("testing", "rd_design")),
        "cz": make("常州检验检测标准认证研究院", "jiangsu", "常州市"),
        "hz": make("杭州知识产权运营中心", "zhejiang", "杭州", ("ip",)),
    }


@pytest.fixture
def grant(users, make_enterprise):
    enterprise = make_enterprise("常州乙材料有限公司", "gxq")
    return services.grant_create(
        actor=users["gxq"],
        enterprise=enterprise,
        granted_on=dt.date(2024, 1, 15),
        use_by=dt.date(2024, 12, 31),
        quota=D(50),
    )


def _order(users, grant, institution, share=20, contract=80, service="testing"):
    return services.order_create(
        actor=users["gxq"],
        grant=grant,
        institution=institution,
        service_type=service,
        title="材料可靠性检测",
        contract_amount=D(contract),
        voucher_share=D(share),
        initiated_on=dt.date(2024, 3, 1),
    )


def test_cross_region_is_derived_from_the_institution_city(users, grant, institutions):
    outside = _order(users, grant, institutions["sh"], share=D(10))
    local = _order(users, grant, institutions["cz"], share=D(10))
    assert (outside.is_cross_region, local.is_cross_region) == (True, False)
    # The institution moves to 常州: its orders are re-derived, not typed.
    services.institution_save(
        actor=users["admin"],
        institution=institutions["sh"],
        data={"city": "常州市", "region": "jiangsu"},
        expected_version=1,
    )
    outside.refresh_from_db()
    assert outside.is_cross_region is False


def test_institutions_are_admin_data(users, institutions):
    with pytest.raises(ApplicationError) as exc:
        services.institution_save(
            actor=users["gxq"], institution=institutions["cz"], data={"city": "无锡市"}
        )
    assert exc.value.code == "forbidden"
    assert ServiceInstitution.objects.get(pk=institutions["cz"].pk).city == "常州市"


def test_order_refusals(users, grant, institutions):
    services.institution_save(
        actor=users["admin"],
        institution=institutions["hz"],
        data={"status": "suspended"},
        expected_version=1,
    )
    institutions["hz"].refresh_from_db()
    cases = [
        (
            {"institution": institutions["hz"], "service": "ip"},
            "杭州知识产权运营中心当前为“暂停”，不能接单。",
        ),
        (
            {"institution": institutions["cz"], "service": "ip"},
            "常州检验检测标准认证研究院未登记该服务类型（可提供：检验检测）。",
        ),
        ({"institution": institutions["cz"], "share": 81}, "用券金额不能超过合同金额。"),
        (
            {"institution": institutions["cz"], "share": 51, "contract": 100},
            "用券金额51万元超过该双创券可用额度50万元。",
        ),
    ]
    for kwargs, message in cases:
        with pytest.raises(ApplicationError) as exc:
            _order(users, grant, **kwargs)
        assert exc.value.message == message
    assert VoucherOrder.objects.unscoped().count() == 0


def test_order_walks_to_redemption_within_share_and_grant(users, grant, institutions):
    order = _order(users, grant, institutions["sh"], share=D(30), contract=D(120))
    for day in (dt.date(2024, 3, 5), dt.date(2024, 3, 10), dt.date(2024, 6, 30)):
        order = services.order_advance(actor=users["gxq"], order=order, on=day)
    assert (order.status, order.effective_on, order.accepted_on) == (
        "accepted",
        dt.date(2024, 3, 5),
        dt.date(2024, 6, 30),
    )
    with pytest.raises(ApplicationError) as exc:
        services.order_redeem(actor=users["gxq"], order=order, on=dt.date(2024, 7, 5), amount=D(31))
    assert exc.value.message == "兑付金额31万元超过订单用券金额30万元。"
    with pytest.raises(ApplicationError, match="兑付日期不能早于验收日期（2024-06-30）"):
        services.order_redeem(actor=users["gxq"], order=order, on=dt.date(2024, 6, 1), amount=D(5))
    order = services.order_redeem(
        actor=users["gxq"], order=order, on=dt.date(2024, 7, 5), amount=D("28.5")
    )
    grant.refresh_from_db()
    assert (order.status, order.redeemed_amount, grant.redeemed_amount, grant.remaining) == (
        "redeemed",
        D("28.5"),
        D("28.5"),
        D("21.5"),
    )
    with pytest.raises(ApplicationError, match="不能作废"):
        services.order_void(actor=users["gxq"], order=order, reason="误录")


def test_redemption_cannot_exceed_what_is_left_of_the_grant(users, grant, institutions):
    order = _order(users, grant, institutions["cz"], share=D(30), contract=D(60))
    for day in (dt.date(2024, 3, 5), dt.date(2024, 3, 10), dt.date(2024, 5, 1)):
        order = services.order_advance(actor=users["gxq"], order=order, on=day)
    # Another redemption used 25 of the 50 meanwhile (e.g. recorded on an earlier grant order).
    VoucherGrant.objects.unscoped().filter(pk=grant.pk).update(redeemed_amount=D(25))
    with pytest.raises(ApplicationError) as exc:
        services.order_redeem(actor=users["gxq"], order=order, on=dt.date(2024, 5, 2), amount=D(30))
    assert exc.value.message == "兑付金额30万元超过双创券剩余额度25万元。"
    assert VoucherOrder.objects.unscoped().get(pk=order.pk).status == "accepted"


def test_acceptance_after_the_use_by_date_is_refused(users, grant, institutions):
    order = _order(users, grant, institutions["cz"], share=D(10), contract=D(20))
    order = services.order_advance(actor=users["gxq"], order=order, on=dt.date(2024, 3, 5))
    order = services.order_advance(actor=users["gxq"], order=order, on=dt.date(2024, 3, 6))
    with pytest.raises(ApplicationError) as exc:
        services.order_advance(actor=users["gxq"], order=order, on=dt.date(2025, 1, 2))
    assert exc.value.message == ("验收日期晚于双创券使用截止日期（2024-12-31），不能验收兑付。")


def test_void_returns_the_share_to_the_grant(users, grant, institutions):
    first = _order(users, grant, institutions["cz"], share=D(50), contract=D(60))
    services.order_void(actor=users["gxq"], order=first, reason="企业取消")
    second = _order(users, grant, institutions["cz"], share=D(50), contract=D(60))
    assert second.voucher_share == D(50)
