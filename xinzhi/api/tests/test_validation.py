"""The API's 422 answers speak Chinese and keep pydantic's field locations."""

import pytest

pytestmark = pytest.mark.django_db


def errors(response) -> list[tuple]:
    assert response.status_code == 422, response.content
    return [(tuple(e["loc"]), e["type"], e["msg"]) for e in response.json()["detail"]]


def test_body_errors_are_chinese_with_their_location(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    client = login(users["gxq"])

    wrong_type = client.patch(
        f"/api/enterprises/{enterprise.pk}", {"version": "一"}, content_type="application/json"
    )
    missing = client.patch(
        f"/api/enterprises/{enterprise.pk}", {"name": "x"}, content_type="application/json"
    )

    assert errors(wrong_type) == [(("body", "payload", "version"), "int_parsing", "须为整数")]
    assert errors(missing) == [(("body", "payload", "version"), "missing", "此项为必填项")]


def test_query_errors_are_chinese_with_the_limit(login, users):
    client = login(users["gxq"])

    response = client.get("/api/enterprises", {"page_size": 500, "page": 0})

    assert sorted(errors(response)) == [
        (("query", "page"), "greater_than_equal", "不能小于 1"),
        (("query", "page_size"), "less_than_equal", "不能大于 200"),
    ]


def test_malformed_json_is_answered_in_chinese(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    client = login(users["gxq"])

    response = client.patch(
        f"/api/enterprises/{enterprise.pk}", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "请求体无法解析，须为合法的 JSON"}


def test_anonymous_requests_are_refused_in_chinese(client, db):
    response = client.get("/api/enterprises")

    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或接口令牌无效"}


def test_every_message_is_chinese_and_fills_its_context():
    from xinzhi.api.validation import MESSAGES, chinese_message

    assert all(not m.isascii() for m in MESSAGES.values())
    assert chinese_message({"type": "string_too_long", "ctx": {"max_length": 200}}) == (
        "不能超过 200 个字符"
    )
    assert (
        chinese_message({"type": "literal_error", "ctx": {"expected": "'hnte' or 'tech_sme'"}})
        == "须为以下之一：hnte、tech_sme"
    )
    assert chinese_message({"type": "value_error", "msg": "Value error, 年度须在2000年之后"}) == (
        "年度须在2000年之后"
    )
    assert chinese_message({"type": "something_new"}) == "取值不正确"
