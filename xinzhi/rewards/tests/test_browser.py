"""Browser flow in real Chromium: 测算 → 板块确认 → 审批 → 公示 → 拨付, and never twice."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"rewards-{name}.png"), full_page=True)


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_be_visible()


def logout(page: Page) -> None:
    page.click("button:has-text('退出')")


def test_run_confirm_approve_publish_and_pay(
    page: Page,
    live_server,
    users,
    policy,
    make_enterprise,
    give_title,
    confirmed_bank,
    artifacts_dir,
):
    mine = make_enterprise("常州高新甲科技有限公司", "gxq")
    give_title(mine, "hnte", dt.date(2024, 5, 6), number="GR202432009999")
    confirmed_bank(mine)
    give_title(make_enterprise("西太湖乙科技有限公司", "xth"), "hnte", dt.date(2024, 8, 1))

    # The admin runs 2024's 测算 and sees every new 高企 with its reward in words.
    login(page, live_server, "admin")
    page.get_by_test_id("nav-rewards").click()
    page.get_by_test_id("tab-run").click()
    page.fill("input[name=year]", "2024")
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("run-summary")).to_contain_text("应兑现 2 项")
    expect(page.get_by_test_id("added")).to_have_text("2")
    shot(page, artifacts_dir, "1-run")
    page.get_by_test_id("to-list").click()
    rows = page.get_by_test_id("entitlement-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("owed-amount")).to_have_text("400,000.00")
    expect(rows.first).to_contain_text("2024年新认定高新技术企业，奖励20万元")
    logout(page)

    # 高新区's officer sees and confirms only 高新区's.
    login(page, live_server, "gxq")
    page.get_by_test_id("nav-rewards").click()
    rows = page.get_by_test_id("entitlement-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("常州高新甲科技有限公司")
    page.get_by_test_id("select-all").check()
    page.get_by_test_id("bulk-confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认 1 项")
    expect(page.get_by_test_id("entitlement-row").first.get_by_test_id("status")).to_have_text(
        "板块已确认"
    )
    shot(page, artifacts_dir, "2-confirmed")
    logout(page)

    # The admin approves, publishes the list (ended yesterday) and records the payment.
    login(page, live_server, "admin")
    page.get_by_test_id("nav-rewards").click()
    page.get_by_role("link", name="常州高新甲科技有限公司").click()
    expect(page.get_by_test_id("source")).to_contain_text("GR202432009999")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("status")).to_have_text("已审批")
    page.goto(f"{live_server.url}/rewards/publicity/new/")
    today = timezone.localdate()
    page.fill("input[name=year]", "2024")
    page.fill("input[name=starts_on]", (today - dt.timedelta(days=8)).isoformat())
    page.fill("input[name=ends_on]", (today - dt.timedelta(days=1)).isoformat())
    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("公示已发布：1 项")
    page.get_by_test_id("publicity-link").first.click()
    expect(page.get_by_test_id("publicity-rows")).to_contain_text("常州高新甲科技有限公司")
    expect(page.get_by_test_id("publicity-rows")).not_to_contain_text("西太湖乙科技有限公司")
    expect(page.get_by_test_id("publicity-dates")).to_contain_text("至")
    shot(page, artifacts_dir, "3-publicity")

    page.goto(f"{live_server.url}/rewards/?year=2024")
    page.get_by_role("link", name="常州高新甲科技有限公司").click()
    detail = page.url
    page.get_by_test_id("pay").click()
    pay_url = page.url
    page.fill("input[name=voucher_no]", "WJKJ2024-0001")
    page.get_by_test_id("pay-submit").click()
    expect(page.get_by_test_id("status")).to_have_text("已兑现")
    expect(page.get_by_test_id("payment")).to_contain_text("WJKJ2024-0001")
    shot(page, artifacts_dir, "4-paid")

    # Nothing is paid twice: the form, re-submitted, is refused.
    page.goto(pay_url)
    page.fill("input[name=voucher_no]", "WJKJ2024-0002")
    page.get_by_test_id("pay-submit").click()
    expect(page.get_by_test_id("form-error")).to_have_text("该事项已拨付，不能重复拨付。")
    page.goto(detail)
    expect(page.get_by_test_id("status")).to_have_text("已兑现")

    # The budget page moves.
    page.goto(f"{live_server.url}/rewards/budget/?year=2024")
    row = page.get_by_test_id("budget-row").first
    expect(row.get_by_test_id("paid")).to_have_text("200,000")
    expect(row.get_by_test_id("remaining")).to_have_text("800,000")
    expect(page.locator("[data-testid=budget-chart][data-ready='1']")).to_be_visible()
    shot(page, artifacts_dir, "5-budget")
