"""API input bounds come from the model fields and answer 422 before the database is reached."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from xinzhi.api.bounds import field_bounds
from xinzhi.calls.models import Application
from xinzhi.enterprises.models import Enterprise


class _Bounded(models.Model):
    stars = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    ratio = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(-1), MaxValueValidator(1)]
    )
    count = models.BigIntegerField()
    notes = models.TextField()

    class Meta:
        app_label = "api"
        managed = False


def test_bounds_follow_the_model_fields():
    assert field_bounds(Enterprise, "name") == {"max_length": 120}
    assert field_bounds(Enterprise, "summary") == {}
    assert field_bounds(Application, "grant_amount_yuan")["decimal_places"] == 2
    assert field_bounds(_Bounded, "stars") == {"ge": 0, "le": 5}
    assert field_bounds(_Bounded, "ratio") == {
        "max_digits": 5,
        "decimal_places": 2,
        "ge": -1,
        "le": 1,
    }
    assert field_bounds(_Bounded, "count") == {"ge": -(2**63), "le": 2**63 - 1}
    assert field_bounds(_Bounded, "notes") == {}


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
