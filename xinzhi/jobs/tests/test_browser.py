"""In Chromium with a real worker: start an import, watch the progress bar, open the result."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from xinzhi.jobs.tests.test_worker import figures_file, many_enterprises

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"jobs-{name}.png"), full_page=True)


def test_officer_imports_in_the_background_watches_progress_and_opens_the_result(
    page: Page, live_server, worker, users, jurisdictions, artifacts_dir, tmp_path
):
    firms = many_enterprises(jurisdictions["gxq"], 1000)
    rows = [[f.credit_code, year, 10, 2, 100, 5] for year in range(2005, 2025) for f in firms]
    upload = tmp_path / "年度数据.xlsx"
    upload.write_bytes(figures_file(rows))
    worker()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.select_option("select[name=mode]", "commit")
    page.click("button:has-text('上传')")

    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("h1")).to_contain_text("年度经营数据导入")
    # The bar moves while the worker reads the rows; HTMX refreshes it every second.
    expect(page.get_by_test_id("job-rows")).to_contain_text("/ 20000 行", timeout=60_000)
    bar = page.get_by_test_id("job-progress")
    expect(bar).to_have_attribute("max", "20000")
    page.wait_for_function(
        "() => { const b = document.querySelector('[data-testid=job-progress]');"
        " return !b || (b.value > 0); }",
        timeout=60_000,
    )
    shot(page, artifacts_dir, "1-progress")

    done = page.get_by_test_id("import-done")
    expect(done).to_contain_text(
        "已导入 20000 行：新增 20000 条、更新 0 条年度数据。", timeout=180_000
    )
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    shot(page, artifacts_dir, "2-done")
    page.goto(f"{live_server.url}/jobs/")
    expect(page.get_by_test_id("job-list")).to_contain_text("年度经营数据导入")
    page.go_back()
    done.get_by_role("link", name=firms[0].name).click()
    expect(page.get_by_test_id("enterprise-name")).to_contain_text(firms[0].name)
