"""Browser flow in real Chromium: an officer sees only its park, edits a firm, sees the audit."""

import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"enterprises-{name}.png"), full_page=True)


def test_officer_sees_own_park_edits_and_finds_the_change_in_the_audit_log(
    page: Page, live_server, users, make_enterprise, artifacts_dir
):
    mine = make_enterprise("常州优磁科技有限公司", "gxq", revenue=7000, year=2024)
    make_enterprise("常州西太湖示例科技有限公司", "xth", revenue=300, year=2024)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    shot(page, artifacts_dir, "1-login")
    page.click("button[type=submit]")
    expect(page.get_by_test_id("current-user")).to_contain_text("武进国家高新区")

    page.goto(f"{live_server.url}/enterprises/")
    expect(page.get_by_test_id("total")).to_have_text("1")
    rows = page.get_by_test_id("enterprise-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("常州优磁科技有限公司")
    expect(page.locator("body")).not_to_contain_text("常州西太湖示例科技有限公司")
    shot(page, artifacts_dir, "2-list")

    page.click("text=常州优磁科技有限公司")
    expect(page.get_by_test_id("enterprise-name")).to_contain_text("常州优磁科技有限公司")
    expect(page.locator("[data-testid=revenue-chart][data-ready='1']")).to_have_count(1)
    shot(page, artifacts_dir, "3-detail")

    page.click("text=编辑")
    page.fill("input[name=contact_name]", "姜政")
    page.fill("input[name=tags_text]", "新能源汽车、动力系统")
    shot(page, artifacts_dir, "4-edit")
    page.click("button:has-text('保存')")
    expect(page.locator(".alert-success")).to_contain_text("企业信息已保存")
    audit = page.get_by_test_id("audit-log")
    expect(audit).to_contain_text("联系人")
    expect(audit).to_contain_text("姜政")
    expect(audit).to_contain_text("GXQ")
    shot(page, artifacts_dir, "5-audit")

    page.goto(f"{live_server.url}/enterprises/{mine.pk + 1}/")
    expect(page.locator("h1")).to_contain_text("页面不存在")


def test_import_checks_then_commits_the_same_file_without_choosing_it_again(
    page: Page, live_server, users, make_enterprise, artifacts_dir, settings, tmp_path
):
    from xinzhi.enterprises.tests.test_import import xlsx

    settings.VAR_DIR = tmp_path
    mine = make_enterprise("常州优磁科技有限公司", "gxq")
    upload = tmp_path / "年度数据.xlsx"
    upload.write_bytes(xlsx([[mine.credit_code, 2024, 120, 30, 4800, 300]]))

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("button:has-text('上传')")
    expect(page.get_by_test_id("import-result")).to_contain_text("将新增 1 条、更新 0 条")
    expect(page.get_by_test_id("import-enterprises")).to_contain_text(mine.credit_code)
    shot(page, artifacts_dir, "6-import-checked")
    page.get_by_role("button", name="正式导入刚才校验的文件（年度数据.xlsx）").click()
    done = page.get_by_test_id("import-done")
    expect(done).to_contain_text("已导入 1 行：新增 1 条、更新 0 条年度数据。")
    shot(page, artifacts_dir, "7-import-done")
    done.get_by_role("link", name="常州优磁科技有限公司").click()
    expect(page.get_by_test_id("enterprise-name")).to_contain_text("常州优磁科技有限公司")
