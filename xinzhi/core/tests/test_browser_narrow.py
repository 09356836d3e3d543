"""A phone (390×844) with an English browser: the main pages fit, are Chinese, the menu opens.

Also the attraction board on a 1024 px laptop: it scrolls inside its own container.
"""

import os
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from xinzhi.attraction.tests import conftest as attraction_fixtures
from xinzhi.calls import services as calls_services
from xinzhi.calls.choices import Stage
from xinzhi.calls.tests import conftest as calls_fixtures
from xinzhi.cultivation.services import evaluations_refresh
from xinzhi.cultivation.tests import conftest as cultivation_fixtures
from xinzhi.enterprises.models import Enterprise

# The apps' fixtures this cross-app walk needs.
stages, make_lead = attraction_fixtures.stages, attraction_fixtures.make_lead
make_call, make_application = calls_fixtures.make_call, calls_fixtures.make_application
set_stage = calls_fixtures.set_stage
qualified = cultivation_fixtures.qualified

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENGLISH_STRINGS = ("This field is required", "Select an option", "Enter a valid")

# Elements sticking out of the viewport, for a readable failure message.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      let clipped = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const s = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden'].includes(s.overflowX)) { clipped = true; break; }
      }
      if (!clipped) out.push(el.tagName + '.' + el.className + ' → ' + Math.round(r.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, out: out.slice(0, 8)};
}"""


@pytest.fixture
def phone(browser: Browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="en-US",
        extra_http_headers={"Accept-Language": "en-US,en;q=0.9"},
    )
    yield context.new_page()
    context.close()


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")
    page.wait_for_load_state()


def misfits(page: Page, artifacts_dir: str, name: str) -> list:
    """What is wrong with the page shown: horizontal overflow, English strings."""
    page.screenshot(path=os.path.join(artifacts_dir, f"narrow-{name}.png"), full_page=True)
    problems = []
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow["scroll"] > overflow["width"]:
        problems.append((name, overflow))
    body = page.locator("body").inner_text()
    problems += [(name, english) for english in ENGLISH_STRINGS if english in body]
    return problems


def test_main_pages_fit_a_phone_in_an_english_browser(
    phone: Page,
    live_server,
    users,
    make_enterprise,
    qualified,
    make_lead,
    make_call,
    make_application,
    artifacts_dir,
):
    page = phone
    enterprise = qualified("常州高新评估有限公司", "gxq")
    make_enterprise(
        "常州超长名称的示例新能源汽车零部件与储能系统科技有限公司", "gxq", revenue=123456
    )
    evaluations_refresh(Enterprise.objects.unscoped())
    lead = make_lead("高功率超快固体激光器产业化项目", "gxq", stage="docking", source_region="合肥")
    for i, stage in enumerate(("clue", "clue", "negotiation", "signed")):
        make_lead(f"示例招商项目{i}", "gxq", stage=stage, planned_investment=Decimal("52000"))
    call = make_call(stage=Stage.SUBMISSION)
    application = make_application(call, enterprise, actor=users["admin"])
    set_stage(call, Stage.EXPERT_REVIEW)
    calls_services.assignment_create(
        actor=users["admin"], application=application, reviewer=users["expert"]
    )

    login(page, live_server, "gxq")
    # The menu is collapsed behind the toggler and opens on a tap.
    nav_link = page.locator("#xz-nav").get_by_role("link", name="企业库")
    expect(nav_link).to_be_hidden()
    page.get_by_test_id("nav-toggler").click()
    expect(nav_link).to_be_visible()
    problems = misfits(page, artifacts_dir, "0-menu-open")
    nav_link.click()
    expect(page).to_have_url(f"{live_server.url}/enterprises/")

    pages = {
        "home": "/",
        "enterprises": "/enterprises/",
        "enterprise": f"/enterprises/{enterprise.pk}/",
        "enterprise-edit": f"/enterprises/{enterprise.pk}/edit/",
        "ladder": "/cultivation/",
        "candidates": "/cultivation/candidates/tech_sme/",
        "what-if": f"/cultivation/enterprises/{enterprise.pk}/what-if/",
        "board": "/attraction/",
        "leads": "/attraction/leads/",
        "lead": f"/attraction/leads/{lead.pk}/",
        "stats": "/attraction/stats/",
        "calls": "/calls/",
        "call": f"/calls/{call.pk}/",
        "applications": f"/calls/{call.pk}/applications/",
        "application": f"/calls/applications/{application.pk}/",
        "expiring": "/cultivation/expiring/",
        "follow-ups": "/attraction/follow-ups/",
        "aftercare": "/attraction/aftercare/",
        "talent": "/attraction/talent/",
        "lead-new": "/attraction/leads/new/",
        "import": "/enterprises/import/",
        "password": "/accounts/password/",
    }
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        expect(page.locator("main")).to_be_visible()
        problems += misfits(page, artifacts_dir, name)

    # An empty required field answers in Chinese, not "This field is required".
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/edit/")
    page.fill("input[name=name]", "")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("这个字段是必填项。")
    problems += misfits(page, artifacts_dir, "enterprise-edit-errors")

    page.context.clear_cookies()
    login(page, live_server, "admin")
    admin_pages = {
        "ranking": f"/calls/{call.pk}/ranking/",
        "experts": "/calls/experts/",
        "call-new": "/calls/new/",
    }
    for name, url in admin_pages.items():
        page.goto(f"{live_server.url}{url}")
        problems += misfits(page, artifacts_dir, name)

    page.context.clear_cookies()
    login(page, live_server, "expert")
    for name, url in {"reviews": "/calls/reviews/", "call-expert": f"/calls/{call.pk}/"}.items():
        page.goto(f"{live_server.url}{url}")
        problems += misfits(page, artifacts_dir, name)
    page.goto(f"{live_server.url}/calls/reviews/")
    page.get_by_role("link", name="评分", exact=True).click()
    problems += misfits(page, artifacts_dir, "review-score")
    assert problems == [], "\n".join(map(str, problems))


def test_the_board_scrolls_inside_its_own_container_on_a_laptop(
    browser: Browser,
    live_server,
    users,
    stages,
    make_lead,
    artifacts_dir,
):
    from xinzhi.attraction.models import Lead

    for i, stage in enumerate(("clue", "docking", "negotiation", "signed") * 2):
        make_lead(f"长名称的示例招商项目第{i}号（高端装备）", "gxq", stage=stage)
    # The last two columns (落地注册, 投产运营) hold cards too, as in the demo.
    for code in ("registered", "production"):
        lead = make_lead(f"{code}阶段的示例项目", "gxq", stage="signed")
        Lead.objects.unscoped().filter(pk=lead.pk).update(stage=stages[code])
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    page = context.new_page()
    login(page, live_server, "gxq")
    page.goto(f"{live_server.url}/attraction/")
    expect(page.get_by_test_id("column-clue")).to_be_visible()
    assert misfits(page, artifacts_dir, "board-1024") == []
    board = page.get_by_test_id("board").locator(".xz-board")
    sizes = board.evaluate("el => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]")
    assert sizes[0] > sizes[1] and sizes[2] == "auto", sizes
    context.close()


def test_the_later_apps_pages_fit_a_phone(phone: Page, live_server, users, artifacts_dir):
    """科技金融, 项目, 产业链, 创新生态, 奖补, 统计考核 and 我的任务, as the bureau admin."""
    from xinzhi.briefings.services import templates_load_defaults
    from xinzhi.dashboards.services import indicators_ensure_defaults

    indicators_ensure_defaults()  # a transactional test flushes the migrations' rows
    templates_load_defaults()
    page = phone
    login(page, live_server, "admin")
    urls = [
        "/finance/", "/finance/loans/", "/finance/loans/new/", "/finance/loans/ledger/",
        "/finance/institutions/", "/finance/grants/", "/finance/orders/", "/finance/rounds/",
        "/projects/", "/projects/new/", "/projects/issues/", "/projects/dashboard/",
        "/projects/funded/", "/chains/", "/chains/members/", "/chains/targets/",
        "/chains/supplies/", "/chains/supplies/import/", "/ecosystem/", "/ecosystem/carriers/",
        "/ecosystem/tasks/", "/ecosystem/competitions/", "/ecosystem/entries/",
        "/ecosystem/listing/", "/ecosystem/listing/list/", "/rewards/", "/rewards/run/",
        "/rewards/policies/", "/rewards/budget/", "/rewards/publicity/", "/dashboards/",
        "/dashboards/compare/", "/dashboards/targets/", "/dashboards/targets/new/",
        "/dashboards/targets/import/", "/dashboards/values/", "/dashboards/values/import/",
        "/dashboards/rankings/",
        "/briefings/", "/briefings/generate/", "/briefings/templates/", "/jobs/",
    ]  # fmt: skip
    problems = []
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response is not None and response.status == 200, url
        expect(page.locator("main")).to_be_visible()
        problems += misfits(page, artifacts_dir, url.strip("/").replace("/", "-"))
    assert problems == [], "\n".join(map(str, problems))
