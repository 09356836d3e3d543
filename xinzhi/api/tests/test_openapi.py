"""The OpenAPI document declares the error answers each operation gives, with one schema."""

ERROR_REF = "#/components/schemas/ErrorOut"
VALIDATION_REF = "#/components/schemas/ValidationErrorOut"


def _document(login, users) -> dict:
    return login(users["admin"]).get("/api/openapi.json").json()


def _expected_codes(operation: dict) -> set[int]:
    """401/403 for every operation (token, role); the rest follow from what it takes."""
    places = {parameter["in"] for parameter in operation.get("parameters", [])}
    codes = {401, 403}
    if "path" in places:
        codes.add(404)
    if "query" in places or "requestBody" in operation:
        codes.add(422)
    if "requestBody" in operation:
        codes.add(400)  # a body that is not JSON
    return codes


def test_every_operation_declares_its_4xx_answers_with_the_shared_schema(login, users):
    problems = []
    for path, methods in _document(login, users)["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            declared = {int(code) for code in responses if code.startswith("4")}
            missing = _expected_codes(operation) - declared
            if missing:
                problems.append(f"{method.upper()} {path} 未声明 {sorted(missing)}")
            for code in declared:
                ref = responses[str(code)]["content"]["application/json"]["schema"]["$ref"]
                if ref != (VALIDATION_REF if code == 422 else ERROR_REF):
                    problems.append(f"{method.upper()} {path} {code} 使用 {ref}")
    assert problems == []


def test_the_declared_codes_of_a_write_operation(login, users):
    operation = _document(login, users)["paths"]["/api/enterprises/{enterprise_id}"]["patch"]
    assert sorted(operation["responses"]) == ["200", "400", "401", "403", "404", "409", "422"]
    assert operation["responses"]["409"]["description"] == "Conflict"


def test_the_error_schema_is_the_one_the_handlers_answer_with(login, users):
    schemas = _document(login, users)["components"]["schemas"]
    assert sorted(schemas["ErrorOut"]["properties"]) == ["code", "detail", "errors", "field"]
    assert schemas["ErrorOut"]["required"] == ["detail"]
    assert schemas["ValidationErrorOut"]["required"] == ["detail"]


def test_unauthenticated_answer_is_chinese(client, db):
    response = client.get("/api/enterprises")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或接口令牌无效"}


def test_a_body_that_is_not_json_answers_400_in_chinese(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    response = login(users["gxq"]).patch(
        f"/api/enterprises/{enterprise.pk}", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体无法解析，须为合法的 JSON"}


def test_an_unknown_or_malformed_api_url_answers_json_404(login, users):
    client = login(users["gxq"])
    for response in (
        client.get("/api/enterprises/-1"),
        client.get("/api/calls/abc/applications"),
        client.post("/api/calls/1.5/close"),
        client.get("/api/nothing-here"),
    ):
        assert response.status_code == 404
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == {"detail": "接口不存在"}
