"""Issue 14 item 6: a founding date after the evaluation date gives a Chinese notice, not a 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_credit_code
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.services import enterprise_create

NOTICE = "评估日期 {as_of} 早于企业成立日期 {registered}，无法评估。请核对企业的成立日期。"


def test_card_and_api_explain_a_founding_date_in_the_future(login, users, make_enterprise):
    today = timezone.localdate()
    future = today + dt.timedelta(days=30)
    enterprise = make_enterprise("甲", "gxq", revenue=100, registered_on=future)  # held in the DB
    client = login(users["gxq"])
    card = client.get(f"/cultivation/enterprises/{enterprise.pk}/card/")
    assert card.status_code == 200
    html = card.content.decode()
    assert NOTICE.format(as_of=today, registered=future) in html
    assert 'data-testid="health-notice"' in html
    response = client.get(f"/api/cultivation/enterprises/{enterprise.pk}/evaluation")
    assert response.status_code == 400
    assert response.json()["detail"] == NOTICE.format(as_of=today, registered=future)


def test_api_explains_as_of_before_the_founding_date(login, users, make_enterprise):
    enterprise = make_enterprise("甲", "gxq", revenue=100, registered_on=dt.date(2018, 5, 1))
    response = login(users["gxq"]).get(
        f"/api/cultivation/enterprises/{enterprise.pk}/evaluation", {"as_of": "2017-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": NOTICE.format(as_of="2017-01-01", registered="2018-05-01"),
        "field": "as_of",
        "code": "invalid",
    }
    ok = login(users["gxq"]).get(
        f"/api/cultivation/enterprises/{enterprise.pk}/evaluation", {"as_of": "2025-06-30"}
    )
    assert ok.status_code == 200


def test_founding_date_cannot_be_in_the_future(login, users, make_enterprise, jurisdictions):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    enterprise = make_enterprise("甲", "gxq")
    response = login(users["gxq"]).post(
        f"/enterprises/{enterprise.pk}/edit/",
        {
            "credit_code": enterprise.credit_code,
            "name": "甲",
            "jurisdiction": enterprise.jurisdiction_id,
            "registered_on": tomorrow.isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registered_on": ["成立日期不能晚于今天，请核对营业执照。"]
    }
    assert Enterprise.objects.unscoped().get(pk=enterprise.pk).registered_on == dt.date(2018, 5, 1)
    with pytest.raises(ValidationError) as exc:
        enterprise_create(
            actor=users["gxq"],
            data={
                "credit_code": make_credit_code(),
                "name": "乙",
                "jurisdiction": jurisdictions["gxq"],
                "registered_on": tomorrow,
            },
        )
    assert exc.value.message_dict == {"registered_on": ["成立日期不能晚于今天，请核对营业执照。"]}


def test_batch_evaluation_survives_a_founding_date_in_the_future(users, make_enterprise):
    from xinzhi.cultivation.models import Evaluation
    from xinzhi.cultivation.services import evaluations_refresh_enterprises

    future = make_enterprise("甲", "gxq", revenue=100, registered_on=dt.date(2099, 1, 1))
    fine = make_enterprise("乙", "gxq", revenue=100)
    evaluations_refresh_enterprises([future.pk, fine.pk])
    assert Evaluation.objects.unscoped().filter(enterprise=fine).exists()
