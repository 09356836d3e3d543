"""NUL (\\x00) in any string of a request answers 422 (PostgreSQL cannot store it: was a 500)."""

from xinzhi.api.errors import NUL_MESSAGE


def test_nul_in_a_patched_text_field_answers_422(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    response = login(users["gxq"]).patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "summary": "研发\x00中心"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "value_error", "loc": ["body", "summary"], "msg": NUL_MESSAGE}]
    }
    assert NUL_MESSAGE == "文本不能包含空字符（\\x00）"
    enterprise.refresh_from_db()
    assert (enterprise.summary, enterprise.version) == ("", 1)


def test_nul_in_a_nested_body_value_or_key_answers_422(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    response = login(users["gxq"]).patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "x\x00": ["a", "b\x00"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "x\x00"]


def test_nul_in_a_query_string_answers_422(login, users, make_enterprise):
    make_enterprise("常州甲科技有限公司", "gxq")
    client = login(users["gxq"])
    response = client.get("/api/enterprises", {"q": "甲\x00"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "value_error", "loc": ["query", "q"], "msg": NUL_MESSAGE}]
    }
    assert client.get("/api/attraction/leads", {"q": "\x00"}).status_code == 422
    assert client.get("/api/enterprises", {"q": "甲"}).json()["count"] == 1
