"""Browser flow in real Chromium: move a card across the kanban board, see the stage history."""

import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"attraction-{name}.png"), full_page=True)


def test_officer_moves_a_card_on_the_board_and_sees_the_stage_history(
    page: Page, live_server, users, make_lead, stages, artifacts_dir
):
    lead = make_lead("高功率超快固体激光器项目", "gxq", stage="clue", source_region="合肥")
    make_lead("西太湖项目", "xth")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/attraction/")
    clue = page.get_by_test_id("column-clue")
    expect(clue.get_by_test_id(f"card-{lead.pk}")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("西太湖项目")
    shot(page, artifacts_dir, "1-board")

    # A skip is refused with a Chinese message and the card stays put.
    page.get_by_test_id(f"move-select-{lead.pk}").select_option(str(stages["negotiation"].pk))
    page.get_by_test_id(f"move-{lead.pk}").click()
    expect(page.get_by_test_id("board-error")).to_contain_text("不能跳过“对接”阶段")
    expect(clue.get_by_test_id(f"card-{lead.pk}")).to_be_visible()

    # The keyboard-friendly select + 移动 moves it (HTMX swaps the board).
    page.get_by_test_id(f"move-select-{lead.pk}").select_option(str(stages["docking"].pk))
    page.get_by_test_id(f"move-{lead.pk}").click()
    expect(page.get_by_test_id("board-success")).to_contain_text("已移至“对接”阶段")
    docking = page.get_by_test_id("column-docking")
    expect(docking.get_by_test_id(f"card-{lead.pk}")).to_be_visible()
    expect(page.get_by_test_id("count-docking")).to_have_text("1")
    expect(page.get_by_test_id("count-clue")).to_have_text("0")
    shot(page, artifacts_dir, "2-moved")

    docking.get_by_role("link", name="高功率超快固体激光器项目").click()
    expect(page.get_by_test_id("lead-stage")).to_have_text("对接")
    history = page.get_by_test_id("stage-history")
    expect(history).to_contain_text("线索 → 对接")
    expect(history).to_contain_text("GXQ")
    shot(page, artifacts_dir, "3-history")


def test_officer_drags_a_signed_card_to_registered_and_lands_it(
    page: Page, live_server, users, make_lead, stages, artifacts_dir
):
    lead = make_lead("超快固体激光器项目", "gxq", stage="signed")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/attraction/")
    card = page.get_by_test_id(f"card-{lead.pk}")
    expect(card.get_by_test_id(f"land-{lead.pk}")).to_have_text("落地登记")
    # Dragging it (by its corner, not its select) to 落地注册 opens the landing form with the
    # reason, not a refusal.
    card.drag_to(page.get_by_test_id("column-registered"), source_position={"x": 3, "y": 3})
    expect(page).to_have_url(f"{live_server.url}/attraction/leads/{lead.pk}/land/")
    expect(page.locator("body")).to_contain_text("进入“落地注册”须关联落地企业")
    shot(page, artifacts_dir, "4-land-form")
    page.fill("input[name=credit_code]", "91320412MA1NAB2K5E")
    page.fill("input[name=name]", "华创鸿度光电（常州）有限公司")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("lead-stage")).to_have_text("落地注册")
    expect(page.get_by_test_id("lead-enterprise")).to_have_text("华创鸿度光电（常州）有限公司")
