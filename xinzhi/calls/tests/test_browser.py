"""Browser flow in real Chromium: an expert scores an assignment, the bureau publishes."""

import os

import pytest
from playwright.sync_api import Page, expect

from xinzhi.calls import services
from xinzhi.calls.choices import Stage
from xinzhi.calls.tests.conftest import set_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"calls-{name}.png"), full_page=True)


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_be_visible()


def logout(page: Page) -> None:
    page.click("button:has-text('退出')")


def test_expert_scores_and_the_bureau_publishes_the_result(
    page: Page, live_server, users, cert_call, make_enterprise, make_application, artifacts_dir
):
    winner = make_enterprise("常州优磁科技有限公司", "htkjy")
    mine = make_application(cert_call, winner, title="高磁通动力系统关键技术研发及产业化")
    other = make_application(cert_call, make_enterprise("西太湖企业", "xth"), title="未分配项目")
    set_stage(cert_call, Stage.EXPERT_REVIEW)
    services.assignment_create(actor=users["admin"], application=mine, reviewer=users["expert"])

    login(page, live_server, "expert")
    page.get_by_test_id("nav-reviews").click()
    rows = page.get_by_test_id("review-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("高磁通动力系统")
    expect(page.locator("body")).not_to_contain_text("未分配项目")
    page.get_by_role("link", name="评分", exact=True).click()
    expect(page.get_by_test_id("score-state")).to_have_text("待评分")
    for value, criterion in zip(("85", "90", "80", "88"), cert_call.criteria.all(), strict=True):
        page.fill(f"input[name=c{criterion.pk}]", value)
    page.fill("textarea[name=comment]", "团队兼具技术与市场经验，产业匹配度高。")
    # 85×0.30 + 90×0.25 + 80×0.20 + 88×0.25 = 86.00
    expect(page.get_by_test_id("live-total")).to_have_text("86.00")
    shot(page, artifacts_dir, "1-scoring")
    page.get_by_test_id("submit-score").click()
    expect(page.locator(".alert-success")).to_contain_text("评分已提交")
    expect(page.get_by_test_id("frozen-total")).to_have_text("86.00")
    expect(page.get_by_test_id("score-state")).to_contain_text("已冻结")
    shot(page, artifacts_dir, "2-frozen")
    page.goto(f"{live_server.url}/calls/applications/{other.pk}/")
    expect(page.locator("h1")).to_contain_text("页面不存在")
    logout(page)

    login(page, live_server, "admin")
    page.goto(f"{live_server.url}/calls/{cert_call.pk}/ranking/")
    ranking = page.get_by_test_id("ranking-row")
    expect(ranking).to_have_count(2)
    expect(ranking.first.get_by_test_id("aggregate")).to_have_text("86.00")
    expect(ranking.first.get_by_test_id("rank")).to_have_text("1")
    shot(page, artifacts_dir, "3-ranking")
    ranking.first.locator("input[name=approved][value='1']").check()
    ranking.first.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("已对 RD2024-0001 作出决定")
    second = page.locator("[data-testid=ranking-row][data-number='RD2024-0002']")
    second.locator("input[name=approved][value='0']").check()
    second.locator("button:has-text('保存')").click()
    expect(page.locator(".alert-success")).to_contain_text("已对 RD2024-0002 作出决定")
    page.get_by_test_id("publish").first.click()
    expect(page.locator(".alert-success")).to_contain_text("评审结果已发布")
    page.get_by_test_id("results-link").click()
    expect(page.get_by_test_id("notice-count")).to_have_text("1")
    expect(page.get_by_test_id("notice")).to_contain_text("WJRD2024-0001")
    expect(page.get_by_test_id("notice")).to_contain_text("常州优磁科技有限公司")
    shot(page, artifacts_dir, "4-notice")

    page.goto(f"{live_server.url}/enterprises/{winner.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("区科技项目认定 已认定")
    shot(page, artifacts_dir, "5-enterprise")
