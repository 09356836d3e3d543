""" "三度一率" on hand-computed fixtures, including the empty and zero-denominator cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.chains import selectors
from xinzhi.chains.models import ValueAdded


def _figures(user, chain, year=2025):
    return {f.key: f for f in selectors.chain_metrics(user=user, chain=chain, year=year).figures}


def test_an_empty_chain_shows_dash_with_a_reason_never_zero(chain, users, make_enterprise):
    figures = _figures(users["admin"], chain)
    assert figures["concentration"].value is None
    assert figures["concentration"].reason == "本链尚未登记核心企业（链主、核心配套）"
    # 4 key nodes, none covered: a real 0, not a missing value.
    assert figures["completeness"].percent == Decimal("0.0")
    assert (figures["completeness"].numerator, figures["completeness"].denominator) == (0, 4)
    assert figures["value_added"].value is None
    assert figures["value_added"].reason == "2025年全区尚无增加值或销售收入数据"
    assert figures["local_supply"].value is None
    assert figures["local_supply"].reason == "本链尚未登记本地链主企业"


def test_no_key_nodes_is_a_reason_not_a_zero(db, users):
    from xinzhi.chains.models import Chain
    from xinzhi.chains.services import chains_load

    chains_load(
        data={
            "chains": [
                {
                    "code": "x",
                    "name": "低空经济",
                    "nodes": [{"code": "a", "name": "整机", "position": "downstream"}],
                }
            ]
        }
    )
    figure = _figures(users["admin"], Chain.objects.get(code="x"))["completeness"]
    assert figure.value is None and figure.reason == "本链尚未标记关键环节"


@pytest.fixture
def world(chain, nodes, place, buy, make_enterprise):
    """理想 (链主) + 汇川 (核心) in 高新区, 海拉 (核心) in 西太湖, one outside core; purchases."""
    lixiang = make_enterprise("江苏理想汽车", "gxq", revenue=100000)
    huichuan = make_enterprise("汇川动力", "gxq", revenue=20000)
    hella = make_enterprise("海拉车灯", "xth", revenue=5000)
    make_enterprise("无关企业", "htkjy", revenue=75000)  # district total only
    place(nodes["vehicle"], lixiang, role="leader")
    place(nodes["drive"], huichuan, role="core")
    place(nodes["lamps"], hella, role="core")
    place(nodes["solid"], outside="清陶能源", region="昆山", role="core")
    ValueAdded.objects.unscoped().create(enterprise=lixiang, year=2025, amount=Decimal(30000))
    buy(lixiang, 4000, supplier=huichuan, node=nodes["drive"])
    buy(lixiang, 1000, supplier=hella, node=nodes["lamps"])
    buy(lixiang, 5000, name="宁德动力电池供应商", region="宁德")
    buy(lixiang, 9999, supplier=huichuan, year=2024)  # another year
    return {"lixiang": lixiang, "huichuan": huichuan, "hella": hella}


def test_the_four_figures_by_hand(world, chain, users):
    f = _figures(users["admin"], chain)
    # 集聚度: 3 local core (理想, 汇川, 海拉) of 3 + 1 outside = 75.0%
    assert (f["concentration"].count, f["concentration"].denominator) == (3, 4)
    assert f["concentration"].percent == Decimal("75.0")
    # 完整度: key 整车, 电驱, 固态, 芯片; covered 整车 + 电驱 → 2/4 (outside ones do not count)
    assert (f["completeness"].numerator, f["completeness"].denominator) == (2, 4)
    assert f["completeness"].percent == Decimal("50.0")
    # 增加值: 理想 30000 reported + 汇川 20000×0.2 + 海拉 5000×0.2 = 35000;
    # district 30000 + (20000 + 5000 + 75000)×0.2 = 50000 → 70.0%
    assert f["value_added"].numerator == Decimal("35000.00")
    assert f["value_added"].denominator == Decimal("50000.00")
    assert f["value_added"].percent == Decimal("70.0")
    assert f["value_added"].notes[0] == "其中 2 家按销售收入 × 增加值率 20% 估算"
    # 本地化配套率: (4000 + 1000) ÷ 10000 = 50.0%
    assert (f["local_supply"].numerator, f["local_supply"].denominator) == (5000, 10000)
    assert f["local_supply"].percent == Decimal("50.0")


def test_an_officer_sees_their_share_against_the_chains_denominators(world, chain, users):
    metrics = selectors.chain_metrics(user=users["xth"], chain=chain, year=2025)
    f = {x.key: x for x in metrics.figures}
    assert metrics.share == "常州西太湖科技产业园"
    assert (f["concentration"].count, f["concentration"].denominator) == (1, 4)  # 海拉 only
    assert (f["completeness"].numerator, f["completeness"].denominator) == (0, 4)  # 车灯 not key
    assert f["value_added"].numerator == Decimal("1000.00")
    assert f["value_added"].denominator == Decimal("50000.00")
    assert (f["local_supply"].numerator, f["local_supply"].denominator) == (1000, 10000)


def test_leader_without_purchases_that_year(world, chain, users):
    figure = _figures(users["admin"], chain, year=2023)["local_supply"]
    assert figure.value is None
    assert figure.reason == "链主2023年尚无采购记录（可导入链主采购清单）"


def test_year_on_year_uses_the_join_date(world, chain, nodes, place, users, make_enterprise):
    late = make_enterprise("固态电池新秀", "gxq", revenue=100)
    place(nodes["solid"], late, role="general", joined_on=dt.date(2025, 3, 1))
    metrics = selectors.chain_metrics(user=users["admin"], chain=chain, year=2025)
    now = {f.key: f for f in metrics.figures}["completeness"]
    before = metrics.previous["completeness"]
    assert (now.numerator, before.numerator) == (3, 2)
    assert metrics.change("completeness") == Decimal("25.0")


def test_value_added_of_a_chain_without_data_is_a_reason(
    chain, nodes, place, users, make_enterprise
):
    make_enterprise("别的企业", "gxq", revenue=1000)  # the district has figures
    place(nodes["vehicle"], make_enterprise("无数据企业", "gxq"), role="leader")
    figure = _figures(users["admin"], chain)["value_added"]
    assert figure.value is None
    assert figure.reason == "本链本地企业2025年均无增加值或销售收入数据"
    assert figure.notes == ["1 家该年度无增加值或销售收入数据，未计入", "全区总额中 1 家为估算"]


def test_definitions_are_the_districts_when_configured(chain, users):
    chain.definitions = {"completeness": "有本地企业的关键环节占比（本区口径）"}
    chain.save()
    figure = _figures(users["admin"], chain)["completeness"]
    assert figure.definition == "有本地企业的关键环节占比（本区口径）"
    assert _figures(users["admin"], chain)["local_supply"].definition.startswith("链主当年")


def test_node_states_mark_missing_weak_and_present(world, chain):
    states = {s.node.code: s for s in selectors.node_states(chain)}
    assert states["vehicle"].presence == "weak"  # 1 < 阈值 2
    assert states["power"].enterprises == 1  # its child 电驱电控's 汇川
    assert states["solid"].presence == "missing"
    gaps = [s.node.code for s in selectors.chain_gaps(list(states.values()))]
    assert gaps == ["vehicle", "drive", "solid", "chips", "lamps"]


def test_district_chain_figures_for_reports(world, chain, jurisdictions):
    figures = selectors.district_chain_figures(year=2025)
    assert [f.key for f in figures["ev"]] == [
        "concentration",
        "completeness",
        "value_added",
        "local_supply",
    ]
    assert figures["ev"][3].percent == Decimal("50.0")
    share = selectors.district_chain_figures(year=2025, jurisdiction_ids=[jurisdictions["xth"].pk])
    assert share["ev"][3].numerator == Decimal("1000.00")
