"""Browser flow in real Chromium: the leader opens the cockpit for 1—9月 2024 (issue 11)."""

import datetime as dt
import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"dashboards-{name}.png"), full_page=True)


def test_leader_sees_372_against_240_for_september_2024(
    page: Page, live_server, users, artifacts_dir
):
    from xinzhi.dashboards.demo import load_demo

    load_demo(admin=users["admin"], seed=1, today=dt.date(2026, 12, 2))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.get_by_test_id("nav-stats").click()
    page.get_by_test_id("nav-dashboards").click()
    page.select_option("#id_year", "2024")
    page.select_option("#id_month", "9")
    page.get_by_test_id("period-submit").click()
    expect(page.get_by_test_id("scope")).to_have_text("常州市武进区 · 2024年1—9月")
    card = page.get_by_test_id("card-attracted_tsme")
    expect(card.get_by_test_id("actual")).to_have_text("372")
    expect(card.get_by_test_id("target-city")).to_have_text("240")
    expect(card.get_by_test_id("rank")).to_have_text("全市第1")
    expect(card.get_by_test_id("schedule")).to_have_text("快于序时进度")
    expect(page.get_by_test_id("card-hnte_applications").get_by_test_id("actual")).to_have_text(
        "757"
    )
    expect(page.get_by_test_id("chart-trend")).to_have_attribute("data-ready", "1")
    shot(page, artifacts_dir, "1-cockpit")

    page.get_by_test_id("screen-link").click()
    expect(page.get_by_test_id("screen")).to_be_visible()
    expect(page.get_by_test_id("card-attracted_tsme").get_by_test_id("actual")).to_have_text("372")
    expect(page.locator("nav.xz-navbar")).to_have_count(0)
    shot(page, artifacts_dir, "2-screen")
