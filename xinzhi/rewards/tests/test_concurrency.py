"""Two officers paying the same entitlement at the same moment: exactly one payment exists."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from xinzhi.rewards import services
from xinzhi.rewards.models import Entitlement, Payment

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_disbursement_pays_once(
    users, policy, make_enterprise, give_title, confirmed_bank
):
    admin = users["admin"]
    firm = make_enterprise("并发科技有限公司")
    give_title(firm, "hnte", dt.date(2024, 5, 1))
    confirmed_bank(firm)
    services.entitlement_run(actor=admin, year=2024)
    row = Entitlement.objects.unscoped().get(enterprise=firm)
    services.entitlements_confirm(actor=admin, ids=[row.pk])
    services.entitlements_approve(actor=admin, ids=[row.pk])
    services.publicity_create(
        actor=admin,
        year=2024,
        title="",
        starts_on=dt.date(2025, 1, 3),
        ends_on=dt.date(2025, 1, 10),
    )
    row = Entitlement.objects.unscoped().get(pk=row.pk)  # both threads start from 公示中
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def pay(voucher: str) -> None:
        try:
            barrier.wait()
            services.payment_record(
                actor=admin,
                entitlement=row,
                paid_on=dt.date(2025, 1, 15),
                voucher_no=voucher,
                today=dt.date(2025, 1, 15),
            )
            outcomes.append("paid")
        except Exception as exc:  # noqa: BLE001 - the loser may see a refusal or a lock error
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(v,)) for v in ("PZ-A", "PZ-B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("paid") == 1, outcomes
    assert Payment.objects.unscoped().filter(entitlement_id=row.pk).count() == 1
    assert Entitlement.objects.unscoped().get(pk=row.pk).status == "paid"
