import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from conftest import make_credit_code
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import AnnualFigures, Enterprise, IntellectualProperty, TitleHeld


def total(response) -> int:
    return int(
        re.search(r'data-testid="total">([\d,]+)<', response.content.decode())
        .group(1)
        .replace(",", "")
    )


def names(response) -> list[str]:
    html = response.content.decode()
    rows = html.split('data-testid="enterprise-row"')[1:]
    return [re.search(r'<a href="/enterprises/\d+/">([^<]+)</a>', row).group(1) for row in rows]


def test_login_is_required(client, db):
    response = client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/enterprises/"


def test_officer_list_shows_only_own_park(login, users, make_enterprise):
    make_enterprise("常州高新甲科技有限公司", "gxq", revenue=100)
    make_enterprise("常州西太湖乙科技有限公司", "xth", revenue=200)
    response = login(users["gxq"]).get("/enterprises/")
    assert response.status_code == 200
    assert names(response) == ["常州高新甲科技有限公司"]
    assert total(response) == 1
    response = login(users["admin"]).get("/enterprises/")
    assert total(response) == 2


def test_search_by_name_fragment_or_credit_code(login, users, make_enterprise):
    a = make_enterprise("常州优磁科技有限公司", "gxq")
    make_enterprise("常州恒立机械有限公司", "gxq")
    client = login(users["gxq"])
    assert names(client.get("/enterprises/", {"q": "优磁"})) == [a.name]
    assert names(client.get("/enterprises/", {"q": a.credit_code[:10]})) == [a.name]
    assert names(client.get("/enterprises/", {"q": "不存在的企业"})) == []


def test_filters_by_title_tag_and_jurisdiction(login, users, make_enterprise, jurisdictions):
    import datetime as dt

    a = make_enterprise("甲企业", "htkjy")
    b = make_enterprise("乙企业", "htz")
    TitleHeld.objects.unscoped().create(enterprise=a, title="hnte", valid_until=dt.date(2099, 1, 1))
    TitleHeld.objects.unscoped().create(enterprise=b, title="hnte", valid_until=dt.date(2020, 1, 1))
    from xinzhi.enterprises.services import _set_tags

    _set_tags(b, ["氢能"])
    client = login(users["htz"])
    assert names(client.get("/enterprises/", {"title": "hnte"})) == ["甲企业"]
    assert names(client.get("/enterprises/", {"tag": "氢能"})) == ["乙企业"]
    park = jurisdictions["htkjy"].pk
    assert names(client.get("/enterprises/", {"jurisdiction": park})) == ["甲企业"]
    # Another officer's jurisdiction is not a valid choice: the filter is rejected, not leaked.
    response = login(users["gxq"]).get("/enterprises/", {"jurisdiction": park})
    assert names(response) == []
    assert "筛选条件有误" in response.content.decode()


def test_sort_by_revenue_of_the_chosen_year(login, users, make_enterprise):
    make_enterprise("小企业", "gxq", revenue=100, year=2024)
    make_enterprise("大企业", "gxq", revenue=900, year=2024)
    make_enterprise("无数据企业", "gxq")
    client = login(users["gxq"])
    response = client.get("/enterprises/", {"year": "2024", "sort": "-revenue"})
    assert names(response) == ["大企业", "小企业", "无数据企业"]
    assert "2024年销售收入" in response.content.decode()


def test_pagination_and_constant_query_count(login, users, make_enterprise):
    for i in range(60):
        make_enterprise(f"企业{i:03d}", "gxq", revenue=100 + i)
    client = login(users["gxq"])
    with CaptureQueriesContext(connection) as full_page:
        response = client.get("/enterprises/")
    assert len(names(response)) == 50
    assert total(response) == 60
    page_two = client.get("/enterprises/", {"page": 2})
    assert len(names(page_two)) == 10
    with CaptureQueriesContext(connection) as short_page:
        client.get("/enterprises/", {"page": 2})
    assert len(full_page) == len(short_page)
    assert len(full_page) <= 10


def test_htmx_request_returns_only_the_results_fragment(login, users, make_enterprise):
    make_enterprise("甲企业", "gxq")
    response = login(users["gxq"]).get(
        "/enterprises/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<nav" not in html.split('<div id="results"')[0]


def test_detail_shows_figures_chart_titles_and_timeline(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq", revenue=4800, year=2024)
    TitleHeld.objects.unscoped().create(
        enterprise=enterprise,
        title="seed_unicorn",
        name="常州市种子独角兽企业",
        level="municipal",
        valid_from="2023-12-01",
    )
    response = login(users["gxq"]).get(f"/enterprises/{enterprise.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-chart="chart-revenue"' in html
    assert '"years": ["2024"]' in html
    assert "获评市级常州市种子独角兽企业" in html
    assert "5.00%" in html  # R&D intensity 240 / 4800


def test_edit_page_saves_and_shows_the_change_in_the_audit_log(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    client = login(users["gxq"])
    form = client.get(f"/enterprises/{enterprise.pk}/edit/")
    assert form.status_code == 200
    response = client.post(
        f"/enterprises/{enterprise.pk}/edit/",
        {
            "credit_code": enterprise.credit_code,
            "name": "常州甲智能科技有限公司",
            "jurisdiction": enterprise.jurisdiction_id,
            "registered_on": "2018-05-01",
            "contact_name": "王经理",
            "version": 1,
            "tags_text": "机器人",
        },
    )
    assert response.status_code == 302
    detail = client.get(f"/enterprises/{enterprise.pk}/").content.decode()
    assert "常州甲智能科技有限公司" in detail
    assert "王经理" in detail
    audit = detail.split('data-testid="audit-log"')[1]
    assert "企业名称" in audit and "常州甲科技有限公司" in audit


def test_stale_form_is_refused_with_a_message(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    Enterprise.objects.unscoped().filter(pk=enterprise.pk).update(version=2)
    response = login(users["gxq"]).post(
        f"/enterprises/{enterprise.pk}/edit/",
        {
            "credit_code": enterprise.credit_code,
            "name": "覆盖别人的修改",
            "jurisdiction": enterprise.jurisdiction_id,
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后在最新内容上重新编辑。" in response.content.decode()
    enterprise.refresh_from_db()
    assert enterprise.name == "常州甲科技有限公司"


def test_create_with_wrong_check_digit_shows_chinese_error(login, users, jurisdictions):
    code = make_credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = login(users["gxq"]).post(
        "/enterprises/new/",
        {
            "credit_code": wrong,
            "name": "新企业",
            "jurisdiction": jurisdictions["gxq"].pk,
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误，请核对最后一位。" in response.content.decode()
    assert Enterprise.objects.unscoped().count() == 0


def test_leader_cannot_open_the_edit_page(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    assert login(users["leader"]).get(f"/enterprises/{enterprise.pk}/edit/").status_code == 403
    assert login(users["leader"]).get(f"/enterprises/{enterprise.pk}/").status_code == 200


def test_export_matches_the_filtered_list_and_neutralises_formulas(login, users, make_enterprise):
    make_enterprise('=HYPERLINK("http://evil")公司', "gxq", revenue=100, year=2025)
    make_enterprise("常州优磁科技有限公司", "gxq", revenue=200, year=2025)
    make_enterprise("西太湖企业", "xth", revenue=300, year=2025)
    client = login(users["gxq"])
    response = client.get("/enterprises/export.xlsx", {"year": "2025"})
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = book.get_sheet_by_index(0).to_python()
    header = rows[0]
    assert header[:3] == ["统一社会信用代码", "企业名称", "所属板块"]
    names_in_file = sorted(r[1] for r in rows[1:])
    assert names_in_file == sorted(['\'=HYPERLINK("http://evil")公司', "常州优磁科技有限公司"])
    revenue_col = header.index("2025年销售收入（万元）")
    assert sorted(r[revenue_col] for r in rows[1:]) == [100.0, 200.0]
    filtered = client.get("/enterprises/export.xlsx", {"q": "优磁"})
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(filtered.streaming_content)))
    assert [r[1] for r in book.get_sheet_by_index(0).to_python()[1:]] == ["常州优磁科技有限公司"]


OTHER_JURISDICTION_GETS = [
    "/enterprises/{pk}/",
    "/enterprises/{pk}/edit/",
    "/enterprises/{pk}/figures/new/",
    "/enterprises/{pk}/figures/2025/",
    "/enterprises/{pk}/titles/new/",
    "/enterprises/{pk}/ip/new/",
    "/api/enterprises/{pk}",
]


@pytest.mark.parametrize("url", OTHER_JURISDICTION_GETS)
def test_other_jurisdictions_object_is_not_found_on_read(login, users, make_enterprise, url):
    enterprise = make_enterprise("西太湖企业", "xth", revenue=100, year=2025)
    response = login(users["gxq"]).get(url.format(pk=enterprise.pk))
    assert response.status_code == 404


OTHER_JURISDICTION_POSTS = [
    ("/enterprises/{pk}/edit/", {"name": "被改", "credit_code": "X", "version": 1}),
    ("/enterprises/{pk}/figures/new/", {"year": 2024, "revenue": "1"}),
    ("/enterprises/{pk}/figures/2025/", {"revenue": "1"}),
    ("/enterprises/{pk}/titles/new/", {"title": "hnte"}),
    ("/enterprises/{pk}/ip/new/", {"kind": "invention", "number": "ZL1", "title": "x"}),
]


@pytest.mark.parametrize(("url", "data"), OTHER_JURISDICTION_POSTS)
def test_other_jurisdictions_object_is_not_found_on_write(login, users, make_enterprise, url, data):
    enterprise = make_enterprise("西太湖企业", "xth", revenue=100, year=2025)
    response = login(users["gxq"]).post(url.format(pk=enterprise.pk), data)
    assert response.status_code == 404
    enterprise.refresh_from_db()
    assert enterprise.name == "西太湖企业"
    assert enterprise.version == 1
    assert AnnualFigures.objects.unscoped().get().revenue == Decimal("100")
    assert TitleHeld.objects.unscoped().count() == 0
    assert IntellectualProperty.objects.unscoped().count() == 0
    assert AuditEvent.all_objects.count() == 0


def test_api_patch_of_other_jurisdiction_is_not_found(login, users, make_enterprise):
    enterprise = make_enterprise("西太湖企业", "xth")
    response = login(users["gxq"]).patch(
        f"/api/enterprises/{enterprise.pk}",
        {"version": 1, "name": "被改"},
        content_type="application/json",
    )
    assert response.status_code == 404
    enterprise.refresh_from_db()
    assert enterprise.name == "西太湖企业"


def test_figures_edit_without_the_token_is_refused(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq", revenue=100, year=2024)
    client = login(users["gxq"])
    url = f"/enterprises/{enterprise.pk}/figures/2024/"
    assert 'name="updated_at"' in client.get(url).content.decode()
    # A page whose hidden updated_at went missing (stale script, hand-made POST) must not win.
    response = client.post(url, {"revenue": "999"})
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后在最新内容上重新编辑。" in response.content.decode()
    assert AnnualFigures.objects.unscoped().get(enterprise=enterprise).revenue == Decimal("100")


def test_adding_a_year_that_exists_does_not_replace_it(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq", revenue=100, year=2024)
    response = login(users["gxq"]).post(
        f"/enterprises/{enterprise.pk}/figures/new/", {"year": 2024, "revenue": "999"}
    )
    assert response.status_code == 200
    assert (
        "2024年度数据已存在（可能刚被他人录入），请刷新后修改该年度。" in response.content.decode()
    )
    row = AnnualFigures.objects.unscoped().get(enterprise=enterprise)
    assert (row.revenue, row.employees) == (Decimal("100"), 100)


def test_enterprise_edit_without_the_version_is_refused(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    response = login(users["gxq"]).post(
        f"/enterprises/{enterprise.pk}/edit/",
        {
            "credit_code": enterprise.credit_code,
            "name": "覆盖别人的修改",
            "jurisdiction": enterprise.jurisdiction_id,
        },
    )
    assert "该记录已被他人修改，请刷新后在最新内容上重新编辑。" in response.content.decode()
    enterprise.refresh_from_db()
    assert (enterprise.name, enterprise.version) == ("常州甲科技有限公司", 1)


def test_searching_a_code_with_a_wrong_check_digit_says_so(login, users, make_enterprise):
    enterprise = make_enterprise("常州甲科技有限公司", "gxq")
    code = enterprise.credit_code
    wrong = code[:-1] + ("1" if code[-1] != "1" else "2")
    client = login(users["gxq"])
    html = client.get("/enterprises/", {"q": wrong}).content.decode()
    assert (
        '<div class="text-danger small mt-1" data-testid="credit-code-hint">'
        "统一社会信用代码校验位错误，请核对最后一位。</div>"
    ) in html
    found = client.get("/enterprises/", {"q": code})
    assert names(found) == ["常州甲科技有限公司"]
    assert "credit-code-hint" not in found.content.decode()
