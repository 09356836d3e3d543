"""Deterministic synthetic enterprises for the demo (≈2,000) and for benchmarks (100k+)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from faker import Faker

from xinzhi.accounts.models import Jurisdiction
from xinzhi.core import aggregates
from xinzhi.core.dbstats import planner_statistics_refresh
from xinzhi.enterprises.choices import HightechField, IPKind, TitleLevel, TitleType
from xinzhi.enterprises.models import (
    AnnualFigures,
    Enterprise,
    IntellectualProperty,
    Tag,
    TitleHeld,
)
from xinzhi.enterprises.uscc import make_credit_code

CHAIN_TAGS = (
    "新能源汽车",
    "动力系统",
    "智能座舱",
    "车载芯片",
    "第三代半导体",
    "通信模组",
    "固态电池",
    "机器人",
    "集成电路",
    "化合物半导体",
    "氢能",
    "新型储能",
    "合成生物",
    "低空经济",
    "高端装备",
    "新材料",
    "生物医药",
    "软件和信息服务",
)
INDUSTRIES = (
    ("汽车零部件制造", HightechField.MANUFACTURING),
    ("专用设备制造", HightechField.MANUFACTURING),
    ("电子元器件制造", HightechField.ELECTRONICS),
    ("软件和信息技术服务", HightechField.ELECTRONICS),
    ("电池制造", HightechField.ENERGY),
    ("新材料制造", HightechField.MATERIALS),
    ("医疗器械制造", HightechField.BIO),
    ("生物医药", HightechField.BIO),
    ("检验检测服务", HightechField.SERVICES),
    ("环保设备制造", HightechField.ENVIRONMENT),
    ("通用设备制造", HightechField.MANUFACTURING),
    ("航空零部件制造", HightechField.AEROSPACE),
)
NAME_STEMS = (
    "恒",
    "瑞",
    "华",
    "新",
    "科",
    "创",
    "智",
    "睿",
    "博",
    "宏",
    "鼎",
    "泰",
    "远",
    "航",
    "达",
    "晟",
    "盛",
    "诚",
    "锐",
    "铭",
    "拓",
    "卓",
    "启",
    "凯",
    "迅",
    "峰",
    "源",
    "润",
    "信",
    "安",
    "捷",
    "联",
)
NAME_SUFFIX = (
    "科技有限公司",
    "智能科技有限公司",
    "新材料有限公司",
    "电子科技有限公司",
    "机械有限公司",
    "新能源科技有限公司",
    "精密制造有限公司",
    "生物科技有限公司",
    "汽车部件有限公司",
    "装备有限公司",
    "半导体有限公司",
    "信息技术有限公司",
)
JURISDICTION_WEIGHTS = {
    "wjhtz": 35,
    "xth": 15,
    "wjjkq": 10,
    "htkjy": 8,
    "htz": 5,
    "ntz": 5,
    "lyz": 4,
    "xyz": 3,
    "qhz": 3,
    "ljz": 4,
    "jzz": 3,
    "hlz": 2,
    "nxsjd": 2,
    "xhjd": 1,
}
SCALES = (("micro", 25, 300), ("small", 45, 2500), ("medium", 22, 15000), ("large", 8, 80000))
HNTE_DAYS = 3 * 365  # a 高企 certificate runs three years


def latest_year(today: dt.date) -> int:
    """The last full year with annual figures on the day the demo is loaded."""
    return today.year - 1


def _money(value: float) -> Decimal:
    return Decimal(str(round(max(value, 0.0), 2)))


def _signed(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


class Synthesiser:
    """Builds synthetic rows from one seeded random stream, so every run gives the same data.

    Dates are offsets from `today` (the load day), so titles expire and firms age with the demo.
    """

    def __init__(self, seed: int, today: dt.date | None = None) -> None:
        self.rng = random.Random(seed)
        # Figures and IP draw as many values as the firm has years, which depends on the load
        # day; their own streams keep the enterprises and titles the same whatever the day.
        self.figures_rng = random.Random(seed + 1)
        self.titles_rng = random.Random(seed + 2)
        self.today = today or timezone.localdate()
        self.latest = latest_year(self.today)
        faker = Faker("zh_CN")
        faker.seed_instance(seed)
        self.people = [faker.name() for _ in range(400)]
        self.phones = [faker.phone_number() for _ in range(400)]
        self.streets = [faker.street_name() + faker.building_number() + "号" for _ in range(400)]
        codes = {j.code: j.pk for j in Jurisdiction.objects.all()}
        pairs = [(codes[c], w) for c, w in JURISDICTION_WEIGHTS.items() if c in codes]
        self.jurisdiction_ids = [p for p, _ in pairs]
        self.jurisdiction_weights = [w for _, w in pairs]
        self.used_codes: set[str] = set()
        self.used_names: set[str] = set()

    def credit_code(self) -> str:
        while True:
            code = make_credit_code(self.rng)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def name(self) -> str:
        rng = self.rng
        for _ in range(50):
            name = (
                "常州" + rng.choice(NAME_STEMS) + rng.choice(NAME_STEMS) + rng.choice(NAME_SUFFIX)
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        name = f"常州{rng.choice(NAME_STEMS)}{rng.randrange(10**6):06d}{rng.choice(NAME_SUFFIX)}"
        self.used_names.add(name)
        return name

    def enterprise(self) -> tuple[Enterprise, list[str], float, str]:
        rng = self.rng
        scale, _, base = rng.choices(SCALES, weights=[s[1] for s in SCALES])[0]
        industry, field = rng.choice(INDUSTRIES)
        registered = self.today - dt.timedelta(days=rng.randint(300, 20 * 365))
        enterprise = Enterprise(
            credit_code=self.credit_code(),
            name=self.name(),
            registered_on=registered,
            jurisdiction_id=rng.choices(self.jurisdiction_ids, self.jurisdiction_weights)[0],
            address="常州市武进区" + rng.choice(self.streets),
            legal_representative=rng.choice(self.people),
            contact_name=rng.choice(self.people),
            contact_phone=rng.choice(self.phones),
            industry=industry,
            hightech_field=field,
            scale=scale,
            is_demo=True,
        )
        tags = rng.sample(CHAIN_TAGS, rng.choice((0, 1, 1, 2, 3)))
        revenue = base * rng.lognormvariate(0, 0.6)
        return enterprise, tags, revenue, scale

    def figures(
        self,
        enterprise: Enterprise,
        base_revenue: float,
        growth: float | None = None,
        stated: dict[int, int] | None = None,
        steady: bool = False,
    ) -> list[AnnualFigures]:
        """Annual figures from `base_revenue`; `steady` for a real (seed-named) firm: a staff
        size that follows revenue, at least ten people, and a profit every year."""
        rng = self.figures_rng
        first = max(enterprise.registered_on.year + 1, self.latest - 4)
        if stated:  # the seeds' figures are kept even once they are more than five years old
            first = max(enterprise.registered_on.year + 1, min(first, *stated))
        rows = []
        revenue = base_revenue
        tech_ratio = rng.uniform(0.05, 0.45)
        rd_ratio = rng.uniform(0.005, 0.09)
        hightech_share = rng.uniform(0.3, 0.97)
        assets_ratio = rng.uniform(0.8, 2.0)
        debt_ratio = rng.uniform(0.2, 0.78)
        per_head = rng.uniform(40, 90) if steady else None  # 万元 revenue per employee
        for year in range(first, self.latest + 1):
            if stated and year in stated:
                revenue = float(stated[year])
            if per_head is None:
                employees = max(3, int(revenue / rng.uniform(40, 90)))
            else:
                employees = max(10, int(revenue / per_head * rng.uniform(0.97, 1.03)))
            assets = revenue * assets_ratio
            liabilities = assets * debt_ratio
            rd = revenue * rd_ratio * rng.uniform(0.85, 1.15)
            total_income = revenue * rng.uniform(1.0, 1.04)
            rows.append(
                AnnualFigures(
                    enterprise=enterprise,
                    year=year,
                    employees=employees,
                    tech_staff=int(employees * tech_ratio),
                    rd_staff=int(employees * tech_ratio * 0.8),
                    revenue=_money(revenue),
                    main_revenue=_money(revenue * rng.uniform(0.85, 1.0)),
                    total_income=_money(total_income),
                    hightech_revenue=_money(total_income * hightech_share),
                    rd_expense=_money(rd),
                    rd_expense_domestic=_money(rd * rng.uniform(0.9, 1.0)),
                    total_cost=_money(revenue * rng.uniform(0.8, 0.97)),
                    total_assets=_money(assets),
                    total_liabilities=_money(liabilities),
                    net_assets=_signed(assets - liabilities),
                    net_profit=_signed(revenue * rng.uniform(0.03 if steady else -0.05, 0.15)),
                    is_demo=True,
                )
            )
            step = growth if growth is not None else rng.gauss(0.12, 0.2)
            revenue = max(revenue * (1 + step), 50.0)
        return rows

    def titles(self, enterprise: Enterprise) -> list[TitleHeld]:
        rng = self.titles_rng
        today = self.today
        rows = []
        if rng.random() < 0.45:
            start = today - dt.timedelta(days=rng.randint(20, 300))  # 入库 for a year
            rows.append(
                TitleHeld(
                    enterprise=enterprise,
                    title=TitleType.TECH_SME,
                    level=TitleLevel.NATIONAL,
                    name="科技型中小企业",
                    certificate_no=f"{start.year}320412A{rng.randrange(10**5):05d}",
                    valid_from=start,
                    valid_until=start + dt.timedelta(days=364),
                    is_demo=True,
                )
            )
        if rng.random() < 0.3:
            # Days left on the certificate: some lapsed lately, some expiring in the coming months.
            until = today + dt.timedelta(days=rng.randint(-60, HNTE_DAYS - 30))
            start = until - dt.timedelta(days=HNTE_DAYS - 1)
            rows.append(
                TitleHeld(
                    enterprise=enterprise,
                    title=TitleType.HNTE,
                    level=TitleLevel.NATIONAL,
                    name="高新技术企业",
                    certificate_no=f"GR{start.year}3200{rng.randrange(10**5):05d}",
                    valid_from=start,
                    valid_until=until,
                    is_demo=True,
                )
            )
        if rng.random() < 0.12:
            start = today - dt.timedelta(days=rng.randint(30, 900))
            rows.append(
                TitleHeld(
                    enterprise=enterprise,
                    title=TitleType.INNOVATIVE_SME,
                    level=TitleLevel.PROVINCIAL,
                    name="创新型中小企业",
                    valid_from=start,
                    valid_until=start + dt.timedelta(days=HNTE_DAYS - 1),
                    is_demo=True,
                )
            )
        if rng.random() < 0.05:
            start = today - dt.timedelta(days=rng.randint(30, 1000))
            rows.append(
                TitleHeld(
                    enterprise=enterprise,
                    title=TitleType.SRDI_SME,
                    level=TitleLevel.PROVINCIAL,
                    name="江苏省专精特新中小企业",
                    valid_from=start,
                    valid_until=start + dt.timedelta(days=HNTE_DAYS - 1),
                    is_demo=True,
                )
            )
        if rng.random() < 0.02:
            rows.append(
                TitleHeld(
                    enterprise=enterprise,
                    title=TitleType.GAZELLE,
                    level=TitleLevel.PROVINCIAL,
                    name="江苏省瞪羚企业",
                    valid_from=today - dt.timedelta(days=rng.randint(60, 700)),
                    is_demo=True,
                )
            )
        return rows

    def ip_rights(self, enterprise: Enterprise) -> list[IntellectualProperty]:
        rng = self.figures_rng
        rows = []
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            rows.append(self._ip(enterprise, IPKind.INVENTION, "ZL"))
        for _ in range(rng.choice((0, 1, 2, 4, 6, 9))):
            kind = rng.choice(
                (IPKind.UTILITY_MODEL, IPKind.UTILITY_MODEL, IPKind.SOFTWARE, IPKind.DESIGN)
            )
            rows.append(self._ip(enterprise, kind, "ZL" if kind != IPKind.SOFTWARE else "RZ"))
        return rows

    def _ip(self, enterprise: Enterprise, kind: str, prefix: str) -> IntellectualProperty:
        rng = self.figures_rng
        year = rng.randint(min(max(enterprise.registered_on.year, 2010), self.latest), self.latest)
        return IntellectualProperty(
            enterprise=enterprise,
            kind=kind,
            number=f"{prefix}{year}{rng.randrange(10**9):09d}",
            title=rng.choice(("一种", "基于", "用于"))
            + rng.choice(CHAIN_TAGS)
            + "的"
            + rng.choice(("控制方法", "检测装置", "制备工艺", "管理系统", "结构组件")),
            granted_on=dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            self_developed=rng.random() < 0.85,
            high_value=kind == IPKind.INVENTION and rng.random() < 0.15,
            is_demo=True,
        )


def _tag_ids(names: set[str]) -> dict[str, int]:
    for name in names:
        Tag.objects.get_or_create(name=name)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "id"))


def generate_enterprises(
    count: int,
    *,
    seed: int,
    with_ip: bool = True,
    batch: int = 2000,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> int:
    """Insert `count` synthetic enterprises with figures, titles and IP; returns rows created.

    Dates are relative to `today` (default: the day it runs).
    """
    synth = Synthesiser(seed, today)
    synth.used_codes.update(Enterprise.objects.unscoped().values_list("credit_code", flat=True))
    synth.used_names.update(Enterprise.objects.unscoped().values_list("name", flat=True))
    tag_ids = _tag_ids(set(CHAIN_TAGS))
    through = Enterprise.tags.through
    created = 0
    while created < count:
        size = min(batch, count - created)
        with transaction.atomic():
            built = [synth.enterprise() for _ in range(size)]
            enterprises = Enterprise.objects.unscoped().bulk_create([b[0] for b in built])
            figures, titles, rights, links = [], [], [], []
            for enterprise, (_, tags, revenue, _) in zip(enterprises, built, strict=True):
                figures += synth.figures(enterprise, revenue)
                titles += synth.titles(enterprise)
                if with_ip:
                    rights += synth.ip_rights(enterprise)
                links += [through(enterprise_id=enterprise.pk, tag_id=tag_ids[t]) for t in tags]
            AnnualFigures.objects.unscoped().bulk_create(figures, batch_size=5000)
            TitleHeld.objects.unscoped().bulk_create(titles, batch_size=5000)
            IntellectualProperty.objects.unscoped().bulk_create(
                rights, batch_size=5000, ignore_conflicts=True
            )
            through.objects.bulk_create(links, batch_size=5000)
        created += size
        if progress:
            progress(size)
    aggregates.topics_changed(*aggregates.ALL_TOPICS)
    planner_statistics_refresh()
    return created
