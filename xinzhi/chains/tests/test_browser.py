"""Browser flow in real Chromium: the admin opens 新能源汽车, reads the four figures with their
definitions, clicks 固态电池 on the chain map, turns a target into a lead, lands it, and sees
产业链完整度 rise."""

import os

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLICK_NODE = """name => {
  const chart = window.XinzhiChainMap;
  const series = chart.getModel().getSeriesByIndex(0);
  const data = series.getData();
  const box = series.layoutInfo;  // the tree lays nodes out inside its box
  for (let i = 0; i < data.count(); i++) {
    if (data.getName(i) === name) {
      const p = data.getItemLayout(i);
      return [box.x + p.x, box.y + p.y];
    }
  }
  return null;
}"""


def shot(page: Page, artifacts_dir: str, name: str) -> None:
    page.screenshot(path=os.path.join(artifacts_dir, f"chains-{name}.png"), full_page=True)


def test_admin_closes_a_gap_from_the_chain_map(
    page: Page, live_server, users, chain, nodes, place, buy, make_enterprise, artifacts_dir
):
    from xinzhi.attraction import services as attraction
    from xinzhi.attraction.models import Lead
    from xinzhi.attraction.services import stages_ensure_defaults
    from xinzhi.chains import services

    stages = {s.code: s for s in stages_ensure_defaults()}
    lixiang = make_enterprise("江苏理想汽车", "gxq", revenue=100000)
    place(nodes["vehicle"], lixiang, role="leader")
    place(nodes["drive"], make_enterprise("汇川动力", "gxq", revenue=20000), role="core")
    buy(lixiang, 4000, supplier=lixiang.__class__.objects.unscoped().get(name="汇川动力"))
    buy(lixiang, 6000, name="宁德动力电池供应商", region="宁德")
    services.target_create(
        actor=users["admin"],
        node=nodes["solid"],
        data={"name": "清陶能源", "region": "江苏昆山", "source": "research", "reason": "固态电池"},
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "xinzhi-test-pass")
    page.click("button[type=submit]")

    # From the menu, as a new user finds it: 产业生态 → 产业链图谱.
    page.get_by_test_id("nav-industry").click()
    page.get_by_test_id("nav-chains").click()
    expect(page).to_have_url(f"{live_server.url}/chains/")
    page.get_by_test_id("chain-link").first.click()
    expect(page.get_by_test_id("chain-name")).to_have_text("新能源汽车产业链")
    expect(page.get_by_test_id("value-local_supply")).to_have_text("40.0%")
    expect(page.get_by_test_id("definition-completeness")).to_contain_text(
        "至少有一家本地企业的关键环节数 ÷ 关键环节总数。"
    )
    expect(page.get_by_test_id("now-completeness")).to_have_text("50.0%")
    map_ = page.get_by_test_id("chain-map")
    expect(map_).to_have_attribute("data-ready", "1")
    shot(page, artifacts_dir, "1-chain")

    # Click 固态电池 on the ECharts canvas: the node page opens.
    x, y = page.evaluate(CLICK_NODE, "固态电池")
    map_.click(position={"x": x, "y": y})
    expect(page.get_by_test_id("node-name")).to_contain_text("固态电池")
    expect(page.get_by_test_id("presence")).to_have_text("缺链")
    shot(page, artifacts_dir, "2-node")

    page.get_by_test_id("convert").click()
    page.select_option("select[name=jurisdiction]", label="武进国家高新区")
    page.get_by_test_id("convert-submit").click()
    expect(page.get_by_test_id("lead-stage")).to_have_text("线索")
    lead = Lead.objects.unscoped().get(name="清陶能源固态电池项目")
    for code in ("docking", "negotiation", "signed"):  # the pipeline's own steps
        attraction.lead_move(actor=users["admin"], lead=lead, to_stage=stages[code])

    page.goto(f"{live_server.url}/attraction/leads/{lead.pk}/land/")
    from conftest import make_credit_code

    page.fill("input[name=credit_code]", make_credit_code())
    page.fill("input[name=name]", "清陶（常州）能源科技有限公司")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("lead-stage")).to_have_text("落地注册")

    page.goto(f"{live_server.url}/chains/{chain.pk}/")
    expect(page.get_by_test_id("now-completeness")).to_have_text("75.0%")
    expect(page.get_by_test_id("loop-landed")).to_have_text("1")
    shot(page, artifacts_dir, "3-after-landing")
    page.goto(f"{live_server.url}/chains/nodes/{nodes['solid'].pk}/")
    expect(page.get_by_test_id("presence")).to_have_text("弱链")
    expect(page.get_by_test_id("members")).to_contain_text("清陶（常州）能源科技有限公司")
