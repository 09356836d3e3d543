"""Pages, exports and the API: one filter set, scope (404 and nothing changed), refusals shown."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from xinzhi.finance.models import Loan, Repayment

D = Decimal
pytestmark = pytest.mark.django_db


def _rows(response) -> list[list]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    return book.get_sheet_by_index(0).to_python()


@pytest.fixture
def loans(tech_sme, make_loan):
    gxq = make_loan(tech_sme("高新甲科技有限公司", "gxq"), amount=D(500))
    xth = make_loan(tech_sme("西太湖乙科技有限公司", "xth"), amount=D(300))
    make_loan(tech_sme("高新丙科技有限公司", "gxq"), product="hkq", amount=D(900))
    return {"gxq": gxq, "xth": xth}


def test_list_api_and_export_share_the_filter(client, users, loans, finance):
    client.force_login(users["gxq"])
    query = f"product={finance['wkd'].pk}"
    page = client.get(f"/finance/loans/?{query}").content.decode()
    assert page.count('data-testid="loan-row"') == 1
    assert "西太湖乙科技有限公司" not in page
    api = client.get(f"/api/finance/loans?{query}").json()
    assert [row["enterprise_name"] for row in api["results"]] == ["高新甲科技有限公司"]
    rows = _rows(client.get(f"/finance/loans/export.xlsx?{query}"))
    assert [row[0] for row in rows[1:]] == ["高新甲科技有限公司"]
    assert rows[0][:4] == ["企业名称", "统一社会信用代码", "所属板块", "贷款产品"]
    everything = client.get("/api/finance/loans").json()
    assert everything["count"] == 2  # 高新区's two, never 西太湖's


def test_foreign_filter_is_refused_not_widened(client, users, loans, jurisdictions):
    client.force_login(users["gxq"])
    response = client.get(f"/api/finance/loans?jurisdiction={jurisdictions['xth'].pk}")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("筛选条件有误")


def test_other_jurisdiction_gets_404_and_nothing_changes(client, users, loans):
    loan = loans["gxq"]
    client.force_login(users["xth"])
    for url in (f"/finance/loans/{loan.pk}/", f"/finance/loans/{loan.pk}/repay/"):
        assert client.get(url).status_code == 404
    response = client.post(
        f"/finance/loans/{loan.pk}/repay/",
        {"on": "2024-06-01", "amount": "100", "version": loan.version},
    )
    assert response.status_code == 404
    api = client.post(
        f"/api/finance/loans/{loan.pk}/repayments",
        {"paid_on": "2024-06-01", "amount": "100"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert Loan.objects.unscoped().get(pk=loan.pk).balance == D(500)
    assert Repayment.objects.unscoped().count() == 0


def test_repayment_page_shows_the_refusal(client, users, loans):
    loan = loans["gxq"]
    client.force_login(users["gxq"])
    response = client.post(
        f"/finance/loans/{loan.pk}/repay/",
        {"on": "2024-06-01", "amount": "600", "version": loan.version},
    )
    assert response.status_code == 200
    assert "还款金额600万元超过贷款余额500万元。" in response.content.decode()
    ok = client.post(
        f"/finance/loans/{loan.pk}/repay/",
        {"on": "2024-06-01", "amount": "500", "version": loan.version},
    )
    assert ok.status_code == 302
    assert Loan.objects.unscoped().get(pk=loan.pk).status == "settled"


def test_api_repayment_refusal_is_400_in_chinese(client, users, loans):
    loan = loans["gxq"]
    client.force_login(users["gxq"])
    response = client.post(
        f"/api/finance/loans/{loan.pk}/repayments",
        {"paid_on": "2024-06-01", "amount": "500.01"},
        content_type="application/json",
    )
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "还款金额500.01万元超过贷款余额500万元。",
    )


def test_loan_flow_through_the_pages(client, users, finance, tech_sme):
    tech_sme("常州丁科技有限公司", "gxq")
    client.force_login(users["gxq"])
    response = client.post(
        "/finance/loans/new/",
        {
            "enterprise": "常州丁科技有限公司",
            "product": finance["wkd"].pk,
            "bank": finance["banks"]["boc"].pk,
            "applied_on": "2024-04-01",
            "amount": "300",
        },
    )
    loan = Loan.objects.unscoped().get()
    assert response.status_code == 302
    client.post(
        f"/finance/loans/{loan.pk}/decide/",
        {"approved": "1", "on": "2024-04-03", "version": loan.version},
    )
    loan.refresh_from_db()
    refused = client.post(
        f"/finance/loans/{loan.pk}/disburse/",
        {
            "on": "2024-04-02",
            "amount": "300",
            "term_months": 12,
            "rate": "3.5",
            "version": loan.version,
        },
    )
    assert "放款日期2024-04-02早于审批日期2024-04-03，不能登记。" in refused.content.decode()
    client.post(
        f"/finance/loans/{loan.pk}/disburse/",
        {
            "on": "2024-04-05",
            "amount": "300",
            "term_months": 12,
            "rate": "3.5",
            "version": loan.version,
        },
    )
    loan.refresh_from_db()
    assert (loan.status, loan.balance, loan.disbursed_on) == (
        "disbursed",
        D(300),
        dt.date(2024, 4, 5),
    )
    detail = client.get(f"/finance/loans/{loan.pk}/").content.decode()
    assert "放款300万元" in detail  # the audit trail
    stats = client.get("/finance/?start=2024-01-01&end=2024-12-31").content.decode()
    assert 'data-testid="enterprises">1<' in stats


def test_stats_page_refuses_a_reversed_range(client, users, finance):
    client.force_login(users["admin"])
    page = client.get("/finance/?start=2024-10-01&end=2024-01-01").content.decode()
    assert "开始日期不能晚于结束日期。" in page


def test_every_list_exports(client, users, loans):
    client.force_login(users["admin"])
    for url in (
        "/finance/loans/export.xlsx",
        "/finance/orders/export.xlsx",
        "/finance/rounds/export.xlsx",
        "/finance/institutions/export.xlsx",
        "/finance/grants/export.xlsx",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_voucher_flow_through_the_pages(client, users, make_enterprise):
    from xinzhi.finance.models import ServiceInstitution, VoucherOrder

    firm = make_enterprise("常州戊科技有限公司", "gxq")
    admin, officer = users["admin"], users["gxq"]
    client.force_login(admin)
    response = client.post(
        "/finance/institutions/new/",
        {
            "name": "上海微技术工业研究院",
            "region": "shanghai",
            "city": "上海市",
            "service_types": ["testing", "rd_design"],
            "status": "active",
            "joined_on": "2023-05-01",
        },
    )
    assert response.status_code == 302
    institution = ServiceInstitution.objects.get()
    client.force_login(officer)
    missing = client.post(
        "/finance/orders/new/",
        {
            "enterprise": firm.credit_code,
            "institution": institution.pk,
            "service_type": "testing",
            "title": "可靠性检测",
            "contract_amount": "80",
            "voucher_share": "20",
            "initiated_on": "2024-03-01",
        },
    )
    assert "该企业在发起日没有有效的双创券额度，请先发放额度。" in missing.content.decode()
    client.post(
        "/finance/grants/new/",
        {
            "enterprise": "常州戊科技有限公司",
            "granted_on": "2024-01-10",
            "use_by": "2024-12-31",
            "quota": "50",
        },
    )
    for day, rows in (("2024-06-01", 1), ("2025-01-01", 0)):
        page = client.get(f"/finance/grants/?valid_on={day}").content.decode()
        assert page.count('data-testid="grant-row"') == rows, day
    created = client.post(
        "/finance/orders/new/",
        {
            "enterprise": firm.credit_code,
            "institution": institution.pk,
            "service_type": "testing",
            "title": "可靠性检测",
            "contract_amount": "80",
            "voucher_share": "20",
            "initiated_on": "2024-03-01",
        },
    )
    order = VoucherOrder.objects.unscoped().get()
    assert created["Location"] == f"/finance/orders/{order.pk}/"
    assert order.is_cross_region is True
    for day in ("2024-03-05", "2024-03-10", "2024-06-01"):
        order.refresh_from_db()
        client.post(f"/finance/orders/{order.pk}/advance/", {"on": day, "version": order.version})
    order.refresh_from_db()
    client.post(
        f"/finance/orders/{order.pk}/redeem/",
        {"on": "2024-06-10", "amount": "20", "version": order.version},
    )
    order.refresh_from_db()
    assert (order.status, order.redeemed_amount) == ("redeemed", D(20))
    page = client.get(f"/finance/orders/{order.pk}/").content.decode()
    assert "跨区订单" in page and "兑付 2024-06-10（20.00万元）" in page
    xth = client.get("/finance/orders/", HTTP_HX_REQUEST="true")
    assert xth.status_code == 200
    client.force_login(users["xth"])
    assert client.get(f"/finance/orders/{order.pk}/").status_code == 404
