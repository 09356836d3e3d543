"""Browser flow in real Chromium: an officer records a disbursement and reads it on 金融统计."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"finance-{name}.png"), full_page=True)


def test_officer_records_a_disbursement_and_sees_it_on_the_statistics_page(
    page: Page, live_server, users, tech_sme, make_loan, artifacts_dir
):
    loan = make_loan(tech_sme("常州优磁科技有限公司", "gxq"), stage="approved", amount=Decimal(500))
    make_loan(tech_sme("西太湖乙科技有限公司", "xth"), amount=Decimal(300))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.get_by_test_id("nav-finance").click()
    page.get_by_role("link", name="科技贷款").click()
    expect(page.get_by_test_id("loan-row")).to_have_count(1)  # never 西太湖's loan
    page.get_by_role("link", name="常州优磁科技有限公司").click()
    expect(page.get_by_test_id("loan-status")).to_have_text("审批通过")
    page.get_by_test_id("disburse").click()

    # A date before the approval is refused with the reason, and nothing is recorded.
    page.fill("input[name=on]", "2024-04-02")
    page.fill("input[name=amount]", "500")
    page.fill("input[name=rate]", "3.65")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("field-error")).to_contain_text(
        "放款日期2024-04-02早于审批日期2024-04-06，不能登记。"
    )
    shot(page, artifacts_dir, "1-refused")
    page.fill("input[name=on]", "2024-04-20")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("loan-status")).to_have_text("还款中")
    expect(page.get_by_test_id("loan-balance")).to_contain_text("500.00万元（累计还款0.00万元）")
    shot(page, artifacts_dir, "2-disbursed")

    page.get_by_role("link", name="金融统计").click()
    page.fill("#id_start", "2024-01-01")
    page.fill("#id_end", "2024-09-30")
    page.get_by_role("button", name="查看").click()
    row = page.get_by_test_id("product-武科贷")
    expect(row.get_by_test_id("enterprises")).to_have_text("1")
    expect(row.get_by_test_id("new-enterprises")).to_have_text("1")
    expect(row.get_by_test_id("amount")).to_have_text("500.00")
    expect(page.get_by_test_id("chart-products")).to_have_attribute("data-ready", "1")
    shot(page, artifacts_dir, "3-stats")
    loan.refresh_from_db()
    assert (loan.status, str(loan.disbursed_on)) == ("disbursed", "2024-04-20")
