"""The ladder in real Chromium: candidates, the 培育体检 card, a what-if, a stage move."""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from xinzhi.cultivation.services import evaluations_refresh
from xinzhi.enterprises.models import Enterprise

from .conftest import LAST_YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_checks_candidates_runs_a_what_if_and_moves_to_apply(
    page: Page, live_server, users, qualified, artifacts_dir
):
    qualified("常州高新评估有限公司", "gxq")
    weak = qualified("常州高新弱势有限公司", "gxq", rd=Decimal("100"), tech_staff=10, class1=0)
    evaluations_refresh(Enterprise.objects.unscoped())

    def shot(name: str) -> None:
        page.screenshot(path=os.path.join(artifacts_dir, f"cultivation-{name}.png"), full_page=True)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/cultivation/")
    expect(page.get_by_test_id("candidates-tech_sme")).to_have_text("1")
    shot("1-ladder")
    page.get_by_test_id("candidates-tech_sme").click()
    expect(page.get_by_test_id("candidate-row")).to_have_count(1)
    expect(page.get_by_test_id("candidate-row")).to_contain_text("常州高新评估有限公司")
    shot("2-candidates")

    page.goto(f"{live_server.url}/enterprises/{weak.pk}/")
    card = page.get_by_test_id("health-card")
    expect(card).to_be_visible()
    expect(page.get_by_test_id("health-tech_sme")).to_contain_text("暂不符合")
    page.click("text=模拟测算（What-if）")
    form = page.get_by_test_id("what-if-form")
    form.locator(f"input[name=f_financials_{LAST_YEAR}__rd_expense]").fill("300")
    form.locator("input[name=f_tech_staff]").fill("30")
    form.locator("input[name=f_ip_class1]").fill("1")
    form.locator("button").click()
    row = page.get_by_test_id("what-if-tech-sme-2017")
    expect(row).to_contain_text("14 → 100")
    expect(row.get_by_test_id("changed")).to_contain_text("综合评价得分≥60分：不满足")
    shot("3-what-if")

    move = page.get_by_test_id("health-tech_sme").locator("form")
    move.locator("select[name=stage]").select_option("apply")
    move.locator("input[name=note]").fill("补齐研发投入后申报")
    move.locator("button").click()
    expect(page.locator(".alert-success")).to_contain_text("科技型中小企业“申报”阶段")
    expect(page.get_by_test_id("timeline")).to_contain_text("进入“申报”阶段")
    shot("4-moved")
    page.goto(f"{live_server.url}/cultivation/")
    row = page.locator("tr[data-family=tech_sme]")
    expect(row.locator("td").nth(3)).to_have_text("1")
