"""Browser flow in real Chromium: an officer files a month's report and the colour turns green."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from xinzhi.projects.delays import due_month

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"projects-{name}.png"), full_page=True)


def test_officer_files_a_monthly_report_and_sees_the_status_colour_change(
    page: Page, live_server, users, make_project, artifacts_dir
):
    today = timezone.localdate()
    late = make_project(
        "恒立液压高端精密滚珠丝杠项目",
        planned={"topping": today - dt.timedelta(days=20)},
        total_investment=Decimal("500000"),
    )
    project = make_project(
        "屹创新型储能项目",
        planned={
            "completion": today + dt.timedelta(days=300),
        },
        reports_from=due_month(today, 5),
        plan_year=today.year,
        total_investment=Decimal("60000"),
        annual_plan=Decimal("15000"),
    )
    make_project("西太湖储能项目", "xth")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("project-warnings")).to_contain_text("1 个项目月报未报")

    page.get_by_role("link", name="项目推进").click()
    rows = page.get_by_test_id("project-row")
    expect(rows).to_have_count(2)  # not 西太湖's
    expect(rows.nth(0)).to_contain_text(late.name)  # the late one first
    expect(rows.nth(0).get_by_test_id("signal")).to_have_text("红灯·节点滞后")
    expect(rows.nth(1).get_by_test_id("signal")).to_have_text("黄灯·月报未报")
    shot(page, artifacts_dir, "1-list")

    page.get_by_role("link", name=project.name).click()
    expect(page.get_by_test_id("signal")).to_have_attribute("data-signal", "amber")
    expect(page.locator("[data-chart=chart-gantt]")).to_have_attribute("data-ready", "1")
    page.get_by_test_id("file-report").click()

    # A cumulative below the month's figure is refused; nothing is lost from the form.
    page.fill("#id_invested_month", "2600")
    page.fill("#id_invested_total", "260")
    page.fill("#id_progress", "桩基施工完成，主体结构施工中")
    page.fill("#id_issue_description", "施工用电增容需协调")
    page.fill("#id_issue_owner", "国网常州市武进区供电公司")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("error-invested_total")).to_contain_text("不能少于当月完成投资")
    expect(page.locator("#id_progress")).to_have_value("桩基施工完成，主体结构施工中")
    page.fill("#id_invested_total", "2600")
    page.get_by_test_id("submit").click()

    expect(page.get_by_role("alert")).to_contain_text("月报")
    expect(page.get_by_test_id("signal")).to_have_attribute("data-signal", "green")
    expect(page.get_by_test_id("invested-total")).to_contain_text("2,600.00")
    expect(page.get_by_test_id("issues")).to_contain_text("国网常州市武进区供电公司")
    shot(page, artifacts_dir, "2-detail")

    page.get_by_role("link", name="重点项目看板").click()
    expect(page.get_by_test_id("count-amber")).to_have_text("0")
    expect(page.get_by_test_id("count-red")).to_have_text("1")
    expect(page.locator("[data-chart=chart-signal]")).to_have_attribute("data-ready", "1")
    shot(page, artifacts_dir, "3-dashboard")
