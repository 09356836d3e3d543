"""Browser flow in real Chromium: the admin generates the September 2024 briefing, edits a
sentence and downloads the .docx, which reads like the seeds' paragraph."""

import os

import pytest
from docx import Document
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"briefings-{name}.png"), full_page=True)


def test_admin_generates_edits_and_downloads_the_september_briefing(
    page: Page, live_server, world, artifacts_dir
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/")
    page.get_by_test_id("nav-stats").click()
    page.get_by_test_id("nav-briefings").click()
    page.get_by_test_id("generate").click()
    page.fill("input[name=year]", "2024")
    page.select_option("select[name=month]", "9")
    page.select_option("select[name=unit]", "district")
    shot(page, artifacts_dir, "1-generate")
    page.get_by_test_id("generate-submit").click()

    # The worker writes it; the job page says so and opens the draft.
    expect(page.get_by_test_id("job-state")).to_have_text("已完成")
    expect(page.get_by_test_id("briefing-result")).to_contain_text("第 1 版草稿")
    page.get_by_test_id("open-briefing").click()
    expect(page.locator("h1")).to_contain_text("常州市武进区科技局 科技工作月报 2024年第9期")
    expect(page.get_by_test_id("status")).to_have_text("草稿")
    first = page.locator("textarea[name=text_0]")
    expect(first).to_have_value(
        "1—9月，全区申报高企757家，全市第一；获评独角兽企业（潜在独角兽企业）10家、瞪羚企业2家，"
        "均为全市第一；申请入库评价科技型中小企业1732家，申报数全市第一；"
        "招引科技型中小微企业372家（市目标240家），系全市第一；已有203个项目通过区科技项目认定。"
    )
    expect(page.get_by_test_id("figures")).to_contain_text("招引科技型中小微企业数")
    first.fill(first.input_value().replace("1—9月，", "今年1—9月，"))
    page.get_by_test_id("save-draft").click()
    expect(page.locator("body")).to_contain_text("月报正文已保存。")
    shot(page, artifacts_dir, "2-edited")

    with page.expect_download() as download:
        page.get_by_test_id("download-docx").click()
    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "常州市武进区科技局 科技工作月报" in text and "2024年第9期" in text
    assert "今年1—9月，全区申报高企757家，全市第一；" in text
    assert "招引科技型中小微企业372家（市目标240家），系全市第一" in text
