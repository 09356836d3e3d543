"""Browser flow in real Chromium: a promising outside competition entry becomes a 招商 lead."""

import datetime as dt
import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"ecosystem-{name}.png"), full_page=True)


def test_officer_turns_an_outside_entry_into_a_lead(
    page: Page, live_server, users, jurisdictions, stages, competition, artifacts_dir
):
    from xinzhi.ecosystem import services

    entry = services.entry_create(
        actor=users["admin"],
        data={
            "competition": competition,
            "track": "新材料行业赛",
            "project_name": "高导热氮化硼复合膜材料",
            "team_name": "上海氮硼新材料团队",
            "team_leader": "陈博士",
            "source_region": "上海",
            "jurisdiction": jurisdictions["gxq"],
            "entered_on": dt.date.today() - dt.timedelta(days=30),
        },
    )
    services.entry_result(
        actor=users["admin"],
        entry=entry,
        data={"award": "third", "rank": 9, "result_note": ""},
        expected_version=1,
    )
    services.competition_update(
        actor=users["admin"],
        competition=competition,
        data={"city_rank": 1, "city_rank_note": "获奖数全市第一"},
        expected_version=1,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gxq")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/ecosystem/competitions/")
    expect(page.get_by_test_id("year-awards")).to_have_text("1")
    expect(page.get_by_test_id("city-rank")).to_contain_text("全市第1")
    shot(page, artifacts_dir, "1-competitions")

    page.get_by_role("link", name="第十二届“创业江苏”科技创新大赛").first.click()
    page.get_by_role("link", name="高导热氮化硼复合膜材料").click()
    expect(page.get_by_test_id("award")).to_contain_text("三等奖（第9名）")
    expect(page.get_by_test_id("lead")).to_have_text("尚未转为招商项目")
    shot(page, artifacts_dir, "2-entry")

    page.get_by_test_id("to-lead").click()
    expect(page.locator("h1")).to_contain_text("高导热氮化硼复合膜材料")
    expect(page.locator("body")).to_contain_text("已转为招商项目（线索阶段）")
    expect(page.locator("body")).to_contain_text("陈博士")
    shot(page, artifacts_dir, "3-lead")

    page.goto(f"{live_server.url}/ecosystem/entries/{entry.pk}/")
    expect(page.get_by_test_id("lead")).to_contain_text("高导热氮化硼复合膜材料（线索）")
    expect(page.get_by_test_id("to-lead")).to_have_count(0)
