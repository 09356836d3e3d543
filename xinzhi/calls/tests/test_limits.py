"""Issue 14: amounts beyond their column are refused by the API (422) and the model (services)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from xinzhi.calls import services
from xinzhi.calls.choices import Stage
from xinzhi.calls.tests.conftest import set_stage


def test_grant_amount_beyond_the_column_is_refused_with_422_in_chinese(
    login, users, science_call, make_enterprise
):
    soft = science_call.categories.get(name="软科学课题研究")
    application = services.application_create(
        actor=users["admin"],
        call=science_call,
        category=soft,
        enterprise=make_enterprise("甲企业", "gxq"),
        data={"title": "课题", "extra": {"topic": "t", "municipal_no": "n"}},
    )
    services.application_submit(actor=users["admin"], application=application)
    set_stage(science_call, Stage.EXPERT_REVIEW)
    response = login(users["admin"]).post(
        f"/api/calls/applications/{application.pk}/decision",
        {"approved": True, "grant_amount_yuan": "1e20"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["detail"]] == [
        "资助金额（元）超出允许范围（最多 12 位整数）"
    ]


def test_category_cap_beyond_the_column_is_a_validation_error(science_call):
    soft = science_call.categories.get(name="软科学课题研究")
    soft.cap_yuan = Decimal("1e13")
    with pytest.raises(ValidationError) as exc:
        soft.full_clean()
    assert exc.value.message_dict == {"cap_yuan": ["资助上限（元）超出允许范围（最多 12 位整数）"]}
