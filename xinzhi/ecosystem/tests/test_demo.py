"""The 创新生态 demo tells the seeds' figures, and answers the issue's three questions."""

from __future__ import annotations

import datetime as dt

from xinzhi.ecosystem import selectors
from xinzhi.ecosystem.demo import load_demo
from xinzhi.ecosystem.models import Carrier, CompetitionEntry

NAMED = ("江苏恒立液压股份有限公司", "江苏君华特种高分子材料股份有限公司", "常州优磁科技有限公司")


def test_the_demo_holds_the_seeds_figures(users, stages, make_enterprise):
    make_enterprise(NAMED[0], "gxq", is_demo=True)
    make_enterprise(NAMED[1], "gxq", is_demo=True)
    make_enterprise(NAMED[2], "htkjy", is_demo=True)
    for i in range(45):
        make_enterprise(
            f"高新区示例{i:02d}有限公司",
            "gxq",
            is_demo=True,
            registered_on=dt.date(2010, 1, 1) + dt.timedelta(days=90 * i),
        )
    for i in range(5):
        make_enterprise(f"西太湖示例{i}有限公司", "xth", is_demo=True)
    admin = users["admin"]

    counts = load_demo(admin=admin, seed=1, today=dt.date.today(), real_names=frozenset(NAMED))
    assert load_demo(admin=admin, seed=1, real_names=frozenset(NAMED)) == counts  # idempotent

    # "技术转移中心推送了多少项目、落地了几个"
    centre = selectors.carrier_list(user=admin, params={"kind": "transfer"}).get()
    assert (centre.name, centre.leads_pushed, centre.leads_landed) == (
        "上海高校技术转移（常州）中心",
        14,
        2,
    )
    carriers = selectors.carrier_counts(user=admin)["by_kind"]
    assert (carriers["智能车间"], carriers["博士后工作站"]) == (44, 1)
    # "今年大赛获奖多少、全市第几"
    awards = selectors.award_counts(user=admin, year=dt.date.today().year)
    junhua = CompetitionEntry.objects.unscoped().get(enterprise__name=NAMED[1])
    assert (junhua.award, junhua.rank, junhua.result_note) == (
        "first",
        1,
        "在1204个报名项目中脱颖而出，斩获全场总分第一",
    )
    assert awards["by_award"]["一等奖"] == 1 and awards["leads_converted"] == 0
    assert [c.city_rank for c in selectors.city_rankings(year=dt.date.today().year)] == [1, 1]
    youci = CompetitionEntry.objects.unscoped().get(enterprise__name=NAMED[2])
    assert (youci.competition.year, youci.award) == (2022, "first")
    # "上市后备企业各在什么阶段": 15 listed and 22 on 新三板 in 武进国家高新区.
    listing = selectors.listing_counts(user=users["gxq"])
    assert (listing["listed"], listing["neeq"]) == (15, 22)
    assert listing["reserve"] >= 8
    assert Carrier.objects.filter(is_demo=False).count() == 0
