def test_api_requires_authentication(client, db):
    response = client.get("/api/enterprises")
    assert response.status_code == 401


def test_api_list_uses_the_same_filters_and_scope(login, users, make_enterprise):
    make_enterprise("常州优磁科技有限公司", "gxq", revenue=7000, year=2024)
    make_enterprise("常州恒立机械有限公司", "gxq", revenue=100, year=2024)
    make_enterprise("西太湖企业", "xth", revenue=300, year=2024)
    client = login(users["gxq"])
    body = client.get("/api/enterprises", {"year": 2024, "sort": "-revenue"}).json()
    assert body["count"] == 2
    assert body["year"] == 2024
    assert [r["name"] for r in body["results"]] == ["常州优磁科技有限公司", "常州恒立机械有限公司"]
    assert body["results"][0]["revenue"] == "7000.00"
    body = client.get("/api/enterprises", {"q": "优磁"}).json()
    assert [r["name"] for r in body["results"]] == ["常州优磁科技有限公司"]


def test_api_detail_and_patch_with_version_conflict(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq", revenue=100, year=2025)
    client = login(users["gxq"])
    detail = client.get(f"/api/enterprises/{enterprise.pk}").json()
    assert detail["figures"][0]["year"] == 2025
    assert detail["jurisdiction_name"] == "武进国家高新技术产业开发区"
    ok = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "industry": "光学"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "industry": "x"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["detail"] == "该记录已被他人修改，请刷新后在最新内容上重新编辑。"
    enterprise.refresh_from_db()
    assert enterprise.industry == "光学"


def test_leader_cannot_patch(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    response = login(users["leader"]).patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "industry": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_openapi_schema_is_served(login, users):
    schema = login(users["admin"]).get("/api/openapi.json").json()
    assert "/api/enterprises" in schema["paths"]


def test_api_list_refuses_a_foreign_jurisdiction_as_the_page_does(
    login, users, jurisdictions, make_enterprise
):
    make_enterprise("高新区企业", "gxq")
    make_enterprise("西太湖企业", "xth")
    client = login(users["gxq"])
    foreign = {"jurisdiction": jurisdictions["xth"].pk}
    page = client.get("/enterprises/", foreign).content.decode()
    assert "筛选条件有误" in page
    response = client.get("/api/enterprises", foreign)
    assert response.status_code == 400
    body = response.json()
    assert (body["field"], body["detail"].startswith("筛选条件有误：")) == ("jurisdiction", True)
    assert (
        client.get("/api/enterprises", {"jurisdiction": jurisdictions["gxq"].pk}).json()["count"]
        == 1
    )
