"""Issue 14: integers beyond PostgreSQL's range are refused on every database."""

import pytest
from django.core.exceptions import ValidationError

from xinzhi.cultivation import services


def test_profile_refuses_a_count_beyond_the_column(users, make_enterprise):
    enterprise = make_enterprise("甲", "gxq")
    with pytest.raises(ValidationError) as exc:
        services.profile_update(
            actor=users["gxq"], enterprise=enterprise, data={"niche_years": 40000}
        )
    assert exc.value.message_dict == {"niche_years": ["深耕细分市场年限超出允许范围（最大 32767）"]}


def test_profile_form_shows_the_limit(login, users, make_enterprise):
    enterprise = make_enterprise("甲", "gxq")
    response = login(users["gxq"]).post(
        f"/cultivation/enterprises/{enterprise.pk}/profile/", {"conversions_3y": "3000000000"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["conversions_3y"] == [
        "近三年科技成果转化数超出允许范围（最大 2147483647）"
    ]
