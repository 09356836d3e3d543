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


def test_admin_imports_the_year_s_targets_from_excel(
    page: Page, live_server, users, artifacts_dir, tmp_path
):
    """目标 → Excel 导入: 试导入 on the job page, then 正式导入 of the same file, then the list."""
    from xinzhi.dashboards.services import indicators_ensure_defaults
    from xinzhi.spreadsheets.tests.sheets import xlsx

    indicators_ensure_defaults()  # a transactional test flushes the migration's library
    header = ["指标", "年度", "范围", "目标层级", "目标值", "说明"]
    file = tmp_path / "2025年目标.xlsx"
    file.write_bytes(
        xlsx(
            header,
            [
                ["招引科技型中小微企业数", 2025, "全区", "市目标", 260, "市科技局下达"],
                ["招引科技型中小微企业数", 2025, "武进国家高新区", "区目标", 120, None],
            ],
        )
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/dashboards/")
    page.get_by_test_id("tab-targets").click()
    page.get_by_test_id("import").click()
    page.set_input_files("#id_file", str(file))
    page.get_by_test_id("import-check").click()
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_test_id("import-result")).to_contain_text(
        "校验通过：共 2 行，将新增 2 个目标、更新 0 个目标。本次为试导入，未写入数据。"
    )
    shot(page, artifacts_dir, "3-targets-checked")
    page.get_by_test_id("import-commit-staged").locator("button").click()
    expect(page.get_by_test_id("import-done")).to_contain_text(
        "已导入 2 行：新增 2 个目标、更新 0 个目标。"
    )
    page.get_by_test_id("import-done").get_by_role("link", name="查看列表").click()
    rows = page.get_by_test_id("rows")
    expect(rows).to_contain_text("市科技局下达")
    expect(rows.locator("tbody tr")).to_have_count(2)
    shot(page, artifacts_dir, "4-targets-list")
