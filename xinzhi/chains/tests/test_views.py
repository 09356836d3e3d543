"""Pages, exports and API: what each role sees, jurisdiction scope (404, nothing changed)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from xinzhi.chains.models import GapTarget, Membership


def _sheet(response):
    from python_calamine import CalamineWorkbook

    data = b"".join(response.streaming_content)
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


@pytest.fixture
def world(chain, nodes, place, buy, make_enterprise):
    lixiang = make_enterprise("江苏理想汽车", "gxq", revenue=100000)
    huichuan = make_enterprise("汇川动力", "gxq", revenue=20000)
    hella = make_enterprise("海拉车灯", "xth", revenue=5000)
    place(nodes["vehicle"], lixiang, role="leader")
    place(nodes["drive"], huichuan, role="core")
    lamp = place(nodes["lamps"], hella, role="core")
    place(nodes["solid"], outside="清陶能源", region="昆山", role="core")
    buy(lixiang, 4000, supplier=huichuan, node=nodes["drive"])
    buy(lixiang, 1000, supplier=hella, node=nodes["lamps"])
    buy(lixiang, 5000, name="宁德动力电池供应商", region="宁德", node=nodes["solid"])
    return {"lixiang": lixiang, "hella": hella, "lamp": lamp}


def test_chain_page_shows_figures_definitions_and_the_map(login, users, chain, world):
    response = login(users["admin"]).get(f"/chains/{chain.pk}/?year=2025")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="value-local_supply">50.0%' in body
    assert 'data-testid="value-completeness">50.0%' in body
    assert "链主当年向本地供应商的采购额 ÷ 链主当年登记的采购总额。" in body
    assert 'id="chain-map"' in body and "chainTree" in body
    assert "份额" not in response.context["metrics"].share


def test_an_officer_gets_their_share_marked(login, users, chain, world):
    body = login(users["xth"]).get(f"/chains/{chain.pk}/?year=2025").content.decode()
    assert 'data-testid="share-badge">常州西太湖科技产业园份额' in body
    assert 'data-testid="value-local_supply">10.0%' in body  # 海拉 1000 ÷ 10000


def test_drill_down_lists_only_the_officers_enterprises(login, users, chain, world):
    response = login(users["xth"]).get(f"/chains/{chain.pk}/metrics/concentration/?year=2025")
    names = [row.cells[0] for row in response.context["rows"]]
    assert names == ["海拉车灯", "清陶能源"]  # not 理想 or 汇川 (高新区)


def test_unknown_metric_is_404(login, users, chain):
    assert login(users["admin"]).get(f"/chains/{chain.pk}/metrics/nope/").status_code == 404


def test_node_page_hides_other_bankuai_enterprises(login, users, nodes, world):
    response = login(users["gxq"]).get(f"/chains/nodes/{nodes['lamps'].pk}/")
    assert response.context["members"] == []
    assert 'data-testid="hidden-count">另有 1 家在其他板块' in response.content.decode()


def test_leader_page_of_another_bankuai_is_404(login, users, chain, world):
    url = f"/chains/{chain.pk}/leaders/{world['lixiang'].pk}/?year=2025"
    assert login(users["xth"]).get(url).status_code == 404
    response = login(users["gxq"]).get(url)
    assert response.context["view"].local_percent == Decimal("50.0")
    assert [r for r, *_ in response.context["view"].outside_by_region] == ["宁德"]


def test_a_non_leader_has_no_leader_page(login, users, chain, world):
    url = f"/chains/{chain.pk}/leaders/{world['hella'].pk}/"
    assert login(users["admin"]).get(url).status_code == 404


def test_removing_another_bankuais_membership_is_404_and_changes_nothing(login, users, world):
    response = login(users["gxq"]).post(f"/chains/members/{world['lamp'].pk}/remove/")
    assert response.status_code == 404
    assert Membership.objects.unscoped().filter(pk=world["lamp"].pk).exists()


def test_officer_adds_own_enterprise_by_credit_code(login, users, nodes, make_enterprise):
    firm = make_enterprise("新车灯公司", "gxq")
    response = login(users["gxq"]).post(
        f"/chains/nodes/{nodes['lamps'].pk}/members/new/",
        {"enterprise": firm.credit_code, "role": "general"},
    )
    assert response.status_code == 302
    assert Membership.objects.unscoped().get(enterprise=firm).node == nodes["lamps"]


def test_officer_cannot_add_another_bankuais_enterprise(login, users, nodes, make_enterprise):
    firm = make_enterprise("西太湖公司", "xth")
    response = login(users["gxq"]).post(
        f"/chains/nodes/{nodes['lamps'].pk}/members/new/", {"enterprise": firm.name, "role": "core"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["enterprise"] == [
        "在您的管辖范围内未找到“西太湖公司”，请核对统一社会信用代码或企业全称。"
    ]
    assert not Membership.objects.unscoped().filter(enterprise=firm).exists()


def test_convert_page_makes_a_lead_and_redirects_to_it(login, users, nodes, jurisdictions):
    from xinzhi.attraction.services import stages_ensure_defaults
    from xinzhi.chains import services

    stages_ensure_defaults()
    target = services.target_create(
        actor=users["admin"], node=nodes["solid"], data={"name": "清陶", "source": "research"}
    )
    response = login(users["gxq"]).post(
        f"/chains/targets/{target.pk}/convert/",
        {"jurisdiction": jurisdictions["gxq"].pk, "officer": users["gxq"].pk, "version": 1},
    )
    target.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"/attraction/leads/{target.lead_id}/"
    assert target.lead.officer == users["gxq"]


def test_stale_convert_form_is_refused(login, users, nodes, jurisdictions):
    from xinzhi.chains import services

    target = services.target_create(
        actor=users["admin"], node=nodes["solid"], data={"name": "清陶", "source": "research"}
    )
    GapTarget.objects.filter(pk=target.pk).update(version=2)
    response = login(users["admin"]).post(
        f"/chains/targets/{target.pk}/convert/",
        {"jurisdiction": jurisdictions["gxq"].pk, "version": 1},
    )
    assert response.status_code == 200
    assert "该目标刚被他人更新过，请刷新后再操作。" in response.content.decode()


def test_membership_export_is_the_filtered_list(login, users, chain, world):
    response = login(users["admin"]).get("/chains/members/export.xlsx?role=core")
    rows = _sheet(response)
    assert rows[0][:4] == ["产业链", "环节", "产业链位置", "企业"]
    assert sorted(r[3] for r in rows[1:]) == ["汇川动力", "海拉车灯", "清陶能源"]
    # an officer's export holds only their 板块's enterprises
    rows = _sheet(login(users["xth"]).get("/chains/members/export.xlsx"))
    assert [r[3] for r in rows[1:]] == ["海拉车灯"]


def test_api_metrics_give_numerator_denominator_and_definition(login, users, chain, world):
    response = login(users["admin"]).get(f"/api/chains/{chain.pk}/metrics?year=2025")
    assert response.status_code == 200
    figures = {f["key"]: f for f in response.json()["figures"]}
    supply = figures["local_supply"]
    assert (Decimal(supply["numerator"]), Decimal(supply["denominator"])) == (5000, 10000)
    assert supply["percent"] == "50.0"
    assert supply["definition"] == "链主当年向本地供应商的采购额 ÷ 链主当年登记的采购总额。"
    assert figures["concentration"]["count"] == 3
    assert figures["value_added"]["reason"] == ""
    empty = login(users["admin"]).get(f"/api/chains/{chain.pk}/metrics?year=2023").json()
    supply = next(f for f in empty["figures"] if f["key"] == "local_supply")
    assert supply["value"] is None
    assert supply["reason"] == "链主2023年尚无采购记录（可导入链主采购清单）"


def test_api_lists_chains_with_their_leader(login, users, chain, world):
    data = login(users["leader"]).get("/api/chains").json()
    assert data[0]["name"] == "新能源汽车"
    assert data[0]["leaders"] == [{"id": world["lixiang"].pk, "name": "江苏理想汽车"}]


def test_api_memberships_are_scoped(login, users, chain, world):
    data = login(users["xth"]).get(f"/api/chains/memberships?chain={chain.pk}").json()
    assert [r["name"] for r in data["results"]] == ["海拉车灯"]
    bad = login(users["xth"]).get("/api/chains/memberships?jurisdiction=999999")
    assert bad.status_code == 400


def test_enterprise_panel_lists_the_seats_by_scope(login, users, world):
    lixiang = world["lixiang"]
    body = login(users["gxq"]).get(f"/chains/enterprises/{lixiang.pk}/").content.decode()
    assert "新能源汽车</a> › <a" in body and "整车制造</a>：链主" in body
    assert login(users["xth"]).get(f"/chains/enterprises/{lixiang.pk}/").status_code == 404
    fragment = login(users["gxq"]).get(
        f"/chains/enterprises/{lixiang.pk}/", headers={"HX-Request": "true"}
    )
    assert fragment.content.decode().lstrip().startswith('<div class="xz-card"')


def test_linking_an_existing_lead_then_landing_puts_it_on_the_node(login, users, nodes):
    from xinzhi.attraction.services import lead_create, stages_ensure_defaults
    from xinzhi.chains.models import LeadNode

    stages_ensure_defaults()
    mine = lead_create(
        actor=users["gxq"],
        data={"name": "碳化硅模块项目", "jurisdiction": users["gxq"].jurisdiction},
    )
    theirs = lead_create(
        actor=users["xth"], data={"name": "西太湖项目", "jurisdiction": users["xth"].jurisdiction}
    )
    page = login(users["gxq"]).get(f"/chains/nodes/{nodes['chips'].pk}/leads/link/")
    assert list(page.context["form"].fields["lead"].queryset) == [mine]
    refused = login(users["gxq"]).post(
        f"/chains/nodes/{nodes['chips'].pk}/leads/link/", {"lead": theirs.pk, "role": "core"}
    )
    assert refused.status_code == 200 and not LeadNode.objects.unscoped().exists()
    done = login(users["gxq"]).post(
        f"/chains/nodes/{nodes['chips'].pk}/leads/link/", {"lead": mine.pk, "role": "core"}
    )
    assert done.status_code == 302
    link = LeadNode.objects.unscoped().get(lead=mine)
    assert (link.node, link.role) == (nodes["chips"], "core")
    mine.refresh_from_db()
    assert mine.segment == "新能源汽车·车载芯片"


def test_chain_list_shows_each_chain_with_its_leader_and_figures(login, users, chain, world):
    response = login(users["leader"]).get("/chains/")
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert [e.name for e in row["leaders"]] == ["江苏理想汽车"]
    assert row["year"] == 2025  # the 链主's latest purchases
    assert [f.percent for f in row["metrics"].figures][3] == Decimal("50.0")
    assert [g.node.name for g in row["gaps"]] == [
        "整车制造",
        "电驱电控",
        "固态电池",
        "车载芯片",
        "车灯",
    ]
