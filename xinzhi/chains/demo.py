"""Demo data of the industry-chain map (示例数据): the seeds' chains, 链主 and suppliers.

新能源汽车 with 江苏理想 as 链主 and the suppliers 武高新 brought in "围绕新能源汽车产业的强链
补链延链" (汇川、豪森、移远、恩迪、博俊、新泉、佛吉亚、法雷奥、大陆贝内克、格拉默、海拉); a
purchasing list sized from 理想's own revenue; gaps at 车载芯片, 第三代半导体 and 固态电池 with
targets and some leads in the pipeline; 新型储能 (星辰新能、屹创), 氢能 (兴燃) and 化合物半导体.
Company full names of the suppliers' local entities and every figure are illustrative (示例).
Everything goes through the services, so audit and history are what real use produces.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.attraction import services as attraction_services
from xinzhi.attraction.models import Stage
from xinzhi.chains import services
from xinzhi.chains.choices import FunctionKind, MemberRole, TargetSource
from xinzhi.chains.models import Chain, GapTarget, Membership, Node, SupplyRelation, ValueAdded
from xinzhi.enterprises import services as enterprise_services
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.enterprises.uscc import make_credit_code

D = dt.date
NOTE = "（来源：武进日报；企业全称与经营数据为示例）"

# name, node code, role, revenue (万元, last year), joined (years ago or None), product
SUPPLIERS = (
    ("汇川新能源汽车动力总成（常州）有限公司", "e-drive", "core", 86000, 3, "电驱动总成"),
    ("豪森智能装备（常州）有限公司", "equipment", "core", 21000, 3, "整车焊装产线"),
    ("移远汽车通信技术（常州）有限公司", "telematics", "core", 15000, 1, "车载通信模组"),
    ("恩迪汽车智能舒适系统（常州）有限公司", "comfort", "core", 18000, 2, "座椅舒适系统"),
    ("常州博俊科技有限公司", "lightweight", "core", 32000, 3, "车身轻量化结构件"),
    ("新泉汽车内饰件（常州）有限公司", "interior", "core", 26000, 3, "仪表板、门板"),
    ("佛吉亚（常州）汽车部件有限公司", "interior", "core", 41000, None, "座舱内饰模块"),
    ("法雷奥汽车热系统（常州）有限公司", "thermal", "core", 29000, None, "热泵空调模块"),
    ("大陆贝内克（常州）汽车内饰材料有限公司", "interior", "core", 9000, None, "内饰表面材料"),
    ("格拉默汽车内饰（常州）有限公司", "comfort", "core", 12000, None, "头枕、扶手"),
    ("海拉车灯（常州）有限公司", "lamps", "core", 17000, 2, "前大灯、贯穿式尾灯"),
)
FUNCTIONAL = ("国创移动能源创新中心（江苏）有限公司", "services", FunctionKind.RD_DESIGN, 3000)
STORY_MEMBERS = (
    # story enterprise, chain, node, role
    ("江苏理想汽车智能科技有限公司", "nev", "vehicle", MemberRole.CHAIN_LEADER),
    ("毫厘科技（常州）有限公司", "nev", "chips", MemberRole.GENERAL),
    ("常州锋弛新能源科技有限公司", "nev", "adas", MemberRole.GENERAL),
    ("景铂汽车零部件制造（常州）有限公司", "nev", "lightweight", MemberRole.GENERAL),
    ("万帮数字能源股份有限公司", "nev", "charging", MemberRole.CORE),
    ("星辰新能（常州）储能科技有限公司", "storage", "flow", MemberRole.CHAIN_LEADER),
    ("国信新能源科技（常州）有限公司", "storage", "flywheel", MemberRole.CORE),
    ("兴燃科技（常州）有限公司", "hydrogen", "electrolysis", MemberRole.CHAIN_LEADER),
    ("国信新能源科技（常州）有限公司", "hydrogen", "fuel-cell", MemberRole.CORE),
    ("常州纵慧芯光半导体科技有限公司", "compound-semi", "device", MemberRole.CHAIN_LEADER),
    ("常州承芯半导体有限公司", "compound-semi", "device", MemberRole.CORE),
    ("毫厘科技（常州）有限公司", "compound-semi", "design", MemberRole.GENERAL),
)
OUTSIDE_CORE = (
    ("nev", "battery", "宁德时代新能源科技股份有限公司", "福建宁德"),
    ("nev", "chips", "地平线（北京）", "北京"),
    ("storage", "materials", "大连融科储能技术发展有限公司", "辽宁大连"),
)
# synthetic enterprises placed as 一般配套: chain, node, industry, how many
SYNTHETIC_PLACES = (
    ("nev", "e-drive", "汽车零部件制造", 2),
    ("nev", "battery", "电池制造", 3),
    ("nev", "comfort", "汽车零部件制造", 1),
    ("nev", "interior", "汽车零部件制造", 2),
    ("nev", "telematics", "电子元器件制造", 1),
    ("nev", "adas", "软件和信息技术服务", 2),
    ("nev", "lightweight", "汽车零部件制造", 1),
    ("nev", "lamps", "汽车零部件制造", 1),
    ("nev", "thermal", "汽车零部件制造", 2),
    ("nev", "equipment", "专用设备制造", 2),
    ("nev", "services", "检验检测服务", 1),
    ("storage", "lithium", "电池制造", 3),
    ("storage", "pcs", "电子元器件制造", 2),
    ("storage", "integration", "电池制造", 2),
    ("storage", "flow", "新材料制造", 1),
    ("storage", "materials", "新材料制造", 1),
    ("hydrogen", "electrolysis", "专用设备制造", 1),
    ("hydrogen", "testing", "检验检测服务", 1),
    ("compound-semi", "packaging", "电子元器件制造", 2),
    ("compound-semi", "design", "软件和信息技术服务", 1),
)
YICHUANG = "屹创新型储能科技（常州）有限公司"
# Real companies this demo adds (their local entities): the demo loader keeps them clean.
REAL_NAMES = frozenset([*(s[0] for s in SUPPLIERS), FUNCTIONAL[0], YICHUANG])
# outside suppliers on 理想's purchasing list: name, region, node, share of purchases
OUTSIDE_PURCHASES = (
    ("动力电池供应商甲", "福建宁德", "battery", Decimal("0.36")),
    ("动力电池供应商乙", "江苏常州（金坛）", "battery", Decimal("0.06")),
    ("车载计算芯片供应商", "上海", "chips", Decimal("0.05")),
    ("功率半导体模块供应商", "浙江嘉兴", "wbg-semi", Decimal("0.04")),
    ("智驾传感器供应商", "上海", "adas", Decimal("0.03")),
    ("轮胎与底盘件供应商", "山东青岛", None, Decimal("0.03")),
)
STORAGE_OUTSIDE = (
    ("钒电解液供应商", "辽宁大连", "materials", Decimal("0.30")),
    ("离子交换膜供应商", "山东淄博", "materials", Decimal("0.12")),
    ("储能变流器供应商", "广东深圳", "pcs", Decimal("0.08")),
)
# gap targets: chain, node, name, region, source, reason, pipeline (stage codes walked) or None
TARGETS = (
    (
        "nev",
        "solid-state",
        "清陶（昆山）能源发展股份有限公司",
        "江苏昆山",
        TargetSource.RESEARCH,
        "固态电池产业化领先企业，可与链主整车验证需求对接",
        None,
    ),
    (
        "nev",
        "solid-state",
        "北京卫蓝新能源科技股份有限公司",
        "北京",
        TargetSource.RESEARCH,
        "半固态电池量产经验，补齐动力电池高端环节",
        None,
    ),
    (
        "nev",
        "wbg-semi",
        "山东天岳先进科技股份有限公司",
        "山东济南",
        TargetSource.RESEARCH,
        "碳化硅衬底龙头，配套电驱电控碳化硅模块",
        ("docking",),
    ),
    (
        "nev",
        "wbg-semi",
        "英诺赛科（苏州）科技股份有限公司",
        "江苏苏州",
        TargetSource.EVENT,
        "氮化镓功率器件，车载充电与电源应用",
        None,
    ),
    (
        "nev",
        "chips",
        "地平线机器人技术研发有限公司",
        "北京",
        TargetSource.LEADER_SUPPLIER,
        "链主外地采购占比高的车载计算芯片环节",
        ("docking", "negotiation"),
    ),
    (
        "nev",
        "chips",
        "南京芯驰半导体科技有限公司",
        "江苏南京",
        TargetSource.REFERRAL,
        "智能座舱与车控芯片，经以商招商推荐",
        None,
    ),
    (
        "hydrogen",
        "storage-transport",
        "江苏国富氢能技术装备股份有限公司",
        "江苏张家港",
        TargetSource.RESEARCH,
        "车载储氢瓶与液氢装备，补齐氢储运环节",
        ("docking",),
    ),
    (
        "storage",
        "materials",
        "大连融科储能技术发展有限公司",
        "辽宁大连",
        TargetSource.RESEARCH,
        "全钒液流电解液，配套星辰新能液流电池基地",
        None,
    ),
)


class _Loader:
    def __init__(self, admin: User, seed: int, today: dt.date) -> None:
        self.admin, self.today = admin, today
        self.rng = random.Random(seed + 10)
        self.year = today.year - 1
        self.gxq = Jurisdiction.objects.get(code="wjhtz")
        self.nodes = {(n.chain.code, n.code): n for n in Node.objects.select_related("chain").all()}
        self.placed: set[int] = set()

    def enterprise(self, name: str) -> Enterprise | None:
        return Enterprise.objects.unscoped().filter(name=name).first()

    def supplier(
        self, name: str, revenue: int, industry: str, summary: str, tag: str = "新能源汽车"
    ) -> Enterprise:
        found = self.enterprise(name)
        if found:
            return found
        firm = enterprise_services.enterprise_create(
            actor=self.admin,
            data={
                "name": name,
                "credit_code": make_credit_code(self.rng),
                "jurisdiction": self.gxq,
                "registered_on": D(
                    self.year - 4 - self.rng.randint(0, 4), 3 + self.rng.randint(0, 8), 8
                ),
                "industry": industry,
                "scale": "large" if revenue >= 40000 else "medium",
                "summary": summary,
            },
            tags=[tag],
            is_demo=True,
        )
        for offset, factor in ((0, 1), (1, 0.86), (2, 0.74)):
            sales = Decimal(round(revenue * factor))
            AnnualFigures.all_objects.create(
                enterprise=firm,
                year=self.year - offset,
                employees=int(revenue * factor / 90) + 20,
                tech_staff=int(revenue * factor / 600) + 5,
                rd_staff=int(revenue * factor / 800) + 4,
                revenue=sales,
                main_revenue=(sales * Decimal("0.95")).quantize(Decimal(1)),
                total_income=(sales * Decimal("1.02")).quantize(Decimal(1)),
                rd_expense=(sales * Decimal("0.045")).quantize(Decimal(1)),
                total_assets=(sales * Decimal("1.2")).quantize(Decimal(1)),
                net_assets=(sales * Decimal("0.55")).quantize(Decimal(1)),
                net_profit=(sales * Decimal("0.06")).quantize(Decimal(1)),
                is_demo=True,
            )
        return firm

    def place(self, firm: Enterprise, chain: str, node: str, role: str, **data) -> None:
        target = self.nodes[(chain, node)]
        if Membership.all_objects.filter(node=target, enterprise=firm).exists():
            return
        services.membership_add(
            actor=self.admin,
            node=target,
            enterprise=firm,
            data={"role": role, **data},
            is_demo=True,
        )
        self.placed.add(firm.pk)

    def members(self) -> dict[str, Enterprise]:
        firms = {}
        for name, node, role, revenue, years, product in SUPPLIERS:
            firm = self.supplier(
                name,
                revenue,
                "汽车零部件制造",
                f"围绕新能源汽车产业强链补链延链引进的重大项目，主营{product}，为理想汽车配套。{NOTE}",
            )
            joined = D(self.year - years + 1, 4, 1) if years else None
            self.place(firm, "nev", node, role, joined_on=joined)
            firms[name] = firm
        name, node, kind, revenue = FUNCTIONAL
        firm = self.supplier(
            name,
            revenue,
            "研究和试验发展",
            f"园区建设的新能源汽车创新服务平台，承担研发设计与检验检测服务。{NOTE}",
        )
        self.place(firm, "nev", node, MemberRole.FUNCTIONAL, function_kind=kind)
        for name, chain, node, role in STORY_MEMBERS:
            story = self.enterprise(name)
            if story is None:
                continue
            joined = (
                story.registered_on if role == MemberRole.CHAIN_LEADER and chain == "nev" else None
            )
            self.place(story, chain, node, role, joined_on=joined)
            firms[name] = story
        yichuang = self.supplier(
            YICHUANG,
            2000,
            "电池制造",
            "由美国斯坦福大学崔屹教授创办的新型镍氢电池公司EnerVenue在武高新投资建设的屹创新型"
            f"储能项目，已开工建设；超长寿命、宽温区，适用于可再生能源配储与电网调峰调频。{NOTE}",
            tag="新型储能",
        )
        self.place(yichuang, "storage", "nimh", MemberRole.CORE, joined_on=D(self.year, 10, 15))
        for chain, node, name, region in OUTSIDE_CORE:
            target = self.nodes[(chain, node)]
            if not Membership.all_objects.filter(node=target, outside_name=name).exists():
                services.membership_add(
                    actor=self.admin,
                    node=target,
                    outside_name=name,
                    outside_region=region,
                    data={"role": MemberRole.CORE},
                    is_demo=True,
                )
        return firms

    def synthetic(self) -> list[Enterprise]:
        """Synthetic enterprises of fitting industries as 一般配套 (deterministic choice)."""
        placed = []
        for chain, node, industry, count in SYNTHETIC_PLACES:
            pool = (
                Enterprise.objects.unscoped()
                .filter(is_demo=True, industry=industry, figures__year=self.year)
                .exclude(pk__in=self.placed)
                .order_by("pk")[:count]
            )
            for firm in pool:
                self.place(firm, chain, node, MemberRole.GENERAL)
                placed.append(firm)
        return placed

    def purchases(
        self,
        leader: Enterprise,
        chain: str,
        suppliers: list[tuple[Enterprise, str, str]],
        outside: tuple = OUTSIDE_PURCHASES,
    ) -> int:
        """The 链主's purchasing list for the last two years, sized from its own revenue."""
        created = 0
        first_revenue: Decimal | None = None
        for year, local_factor in ((self.year, Decimal(1)), (self.year - 1, Decimal("0.78"))):
            figures = AnnualFigures.objects.unscoped().filter(enterprise=leader, year=year).first()
            revenue = figures.revenue if figures and figures.revenue else None
            if revenue is None and year < self.year and first_revenue:
                revenue = first_revenue * Decimal("0.45")  # a first, partial year of operation
            if revenue is None:
                continue
            first_revenue = first_revenue or revenue
            budget = revenue * Decimal("0.55")  # purchases ≈ 55% of revenue
            outside_share = sum(s for *_, s in outside)
            local_budget = budget * (1 - outside_share) * local_factor
            weights = [self.rng.uniform(0.5, 1.5) for _ in suppliers]
            total_weight = sum(weights)
            rows = [
                (
                    firm,
                    firm.name,
                    "",
                    self.nodes.get((chain, node)),
                    product,
                    local_budget * Decimal(w / total_weight),
                )
                for (firm, node, product), w in zip(suppliers, weights, strict=True)
            ]
            rows += [
                (
                    None,
                    name,
                    region,
                    self.nodes.get((chain, node)) if node else None,
                    "",
                    budget * share,
                )
                for name, region, node, share in outside
            ]
            for firm, name, region, node, product, amount in rows:
                _, made = SupplyRelation.all_objects.get_or_create(
                    buyer=leader,
                    supplier_name=name,
                    year=year,
                    product=product,
                    defaults={
                        "supplier": firm,
                        "supplier_region": region,
                        "node": node,
                        "amount": amount.quantize(Decimal("0.01")),
                        "is_demo": True,
                    },
                )
                created += made
            if figures and figures.revenue:  # reported value added only beside real figures
                ValueAdded.all_objects.get_or_create(
                    enterprise=leader,
                    year=year,
                    defaults={
                        "amount": (figures.revenue * Decimal("0.18")).quantize(Decimal("0.01")),
                        "is_demo": True,
                    },
                )
        return created

    def targets(self) -> int:
        stages = {s.code: s for s in Stage.objects.all()}
        created = 0
        for chain, node, name, region, source, reason, walk in TARGETS:
            target_node = self.nodes[(chain, node)]
            if GapTarget.objects.filter(node=target_node, name=name).exists():
                continue
            target = services.target_create(
                actor=self.admin,
                node=target_node,
                data={"name": name, "region": region, "source": source, "reason": reason},
                is_demo=True,
            )
            created += 1
            if walk and stages:
                start = self.today - dt.timedelta(days=20 + 25 * len(walk))
                lead = services.target_convert(
                    actor=self.admin, target=target, jurisdiction=self.gxq, on=start
                )
                for i, code in enumerate(walk, start=1):
                    attraction_services.lead_move(
                        actor=self.admin,
                        lead=lead,
                        to_stage=stages[code],
                        on=start + dt.timedelta(days=25 * i),
                        today=self.today,
                    )
        return created


def demo_counts() -> dict[str, int]:
    """What the chain demo holds (for the seed command's summary)."""
    return {
        "产业链": Chain.objects.count(),
        "链上企业": Membership.objects.unscoped().filter(is_demo=True).count(),
        "配套关系": SupplyRelation.objects.unscoped().filter(is_demo=True).count(),
        "补链招商目标": GapTarget.objects.filter(is_demo=True).count(),
    }


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),  # the seed-named firms are placed by hand above
) -> dict[str, int]:
    """Load the chain demo once (idempotent), dated relative to `today`; counts by kind."""
    services.chains_load()
    if Membership.objects.unscoped().filter(is_demo=True).exists():
        return demo_counts()
    loader = _Loader(admin, seed, today or timezone.localdate())
    firms = loader.members()
    synthetic = loader.synthetic()
    leader = firms.get("江苏理想汽车智能科技有限公司")
    if leader is not None:
        suppliers = [(firms[name], node, product) for name, node, _, _, _, product in SUPPLIERS]
        suppliers += [
            (firms[name], node, product)
            for name, node, product in (
                ("毫厘科技（常州）有限公司", "chips", "感知芯片"),
                ("景铂汽车零部件制造（常州）有限公司", "lightweight", "结构件"),
            )
            if name in firms
        ]
        suppliers += [(firm, "interior", "零部件") for firm in synthetic[:6]]
        loader.purchases(leader, "nev", suppliers)
    star = firms.get("星辰新能（常州）储能科技有限公司")
    if star is not None:
        storage = [
            (m.enterprise, m.node.code, "储能配套")
            for m in Membership.objects.unscoped()
            .filter(node__chain__code="storage", enterprise__isnull=False)
            .exclude(enterprise=star)
            .select_related("enterprise", "node")
        ]
        loader.purchases(star, "storage", storage, STORAGE_OUTSIDE)
    loader.targets()
    return demo_counts()
