"""Answers the fuzz run found to be 500s, each now a 4xx at the API layer."""


def test_evaluation_as_of_before_registration_answers_400(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq", revenue=3000, year=2024)
    response = login(users["gxq"]).get(
        f"/api/cultivation/enterprises/{enterprise.pk}/evaluation", {"as_of": "2010-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "注册日期晚于申报日期 as_of",
        "field": "registered_on",
        "code": "invalid",
    }
