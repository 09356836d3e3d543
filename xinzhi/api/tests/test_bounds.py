"""API input bounds come from the model fields and answer 422 before the database is reached."""

import pytest

from xinzhi.api.bounds import field_bounds
from xinzhi.calls.models import Application
from xinzhi.enterprises.models import Enterprise


def test_bounds_follow_the_model_text_fields():
    assert field_bounds(Enterprise, "name") == {"max_length": 120}
    assert field_bounds(Enterprise, "credit_code") == {"max_length": 18}
    assert field_bounds(Application, "decision_note") == {"max_length": 300}
    with pytest.raises(TypeError, match="limited_decimal"):
        field_bounds(Application, "grant_amount_yuan")
    with pytest.raises(TypeError):
        field_bounds(Enterprise, "summary")  # a TextField has no length to bound


def test_an_overlong_name_answers_422_and_the_document_says_the_limit(
    login, users, make_enterprise
):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    client = login(users["gxq"])
    response = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "name": "长" * 121},
        content_type="application/json",
    )
    assert response.status_code == 422
    [issue] = response.json()["detail"]
    assert (issue["type"], issue["loc"]) == ("string_too_long", ["body", "payload", "name"])
    enterprise.refresh_from_db()
    assert enterprise.name == "常州甲科技有限公司"
    schema = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert schema["EnterpriseUpdateIn"]["properties"]["name"]["anyOf"][0]["maxLength"] == 120
