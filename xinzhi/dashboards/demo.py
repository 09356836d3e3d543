"""Demo figures of 目标考核与统计, from the seeds (dates relative to the load day).

The seeds' statistics: "今年1—9月，全区申报高企757家，全市第一；获评独角兽企业（潜在独角兽企业）
10家、瞪羚企业133家，均为全市第一；申请入库评价科技型中小企业1732家…；招引科技型中小微企业372家
（市目标240家），系全市第一" (2024); "已有203个项目通过区科技项目认定"; 武科贷 71户 18,999万元;
"2023年我区共招引科技项目177个，引进各类人才3.66万人，净增高新技术企业280家，新增科技型中小企业
200家".

2023 and 2024 came before the platform held the records, so their figures are typed in (补录,
`ManualValue`) from the bureau's bulletins: the seeds' totals exactly for 1—9月 2024 and 2023,
each month's 1—N月 figure along a plausible curve (synthetic, 示例数据), and a split over the
板块 that adds up to the district. The current year is computed from the demo's records, with
targets set so that some key indicators run ahead of 序时进度 and some behind.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import Jurisdiction, User
from xinzhi.dashboards.models import CityRanking, Indicator, ManualValue, Target
from xinzhi.dashboards.selectors import district_root, indicator_figures, sections
from xinzhi.dashboards.services import indicators_ensure_defaults

BULLETIN_2024 = "武进区科技局《2024年1—9月科技工作情况通报》"
BULLETIN_2023 = "武进区科技局《2023年科技工作总结》"
CITY_2024 = "常州市科技局《2024年1—9月全市科技创新主要指标完成情况通报》"
CITY_2023 = "常州市科技局《2023年度全市科技创新主要指标完成情况通报》（示例数据）"
SYNTHETIC = "（示例数据：各月及各板块分解）"
CITY_UNITS = 6  # 常州市辖金坛、武进、新北、天宁、钟楼五区和溧阳市

# 1—9月 2024 as the seeds give them (code → value); `wukedai_*` from the 科技金融 article.
SEED_2024_SEP = {
    "hnte_applications": Decimal(757),
    "unicorn_titles": Decimal(10),
    "gazelle_titles": Decimal(133),
    "tsme_evaluations": Decimal(1732),
    "attracted_tsme": Decimal(372),
    "project_recognitions": Decimal(203),
    "wukedai_households": Decimal(71),
    "wukedai_amount": Decimal(18999),
}
# 2023 全年 as the seeds give them.
SEED_2023_YEAR = {
    "tech_projects_attracted": Decimal(177),
    "talents_attracted": Decimal("3.66"),
    "hnte_net_increase": Decimal(280),
    "tsme_new": Decimal(200),
}
# The share of the 1—9月 figure reached by the end of each month (synthetic curve); 2023's
# key indicators run at 88% of 2024's, so the trend chart has a last year to compare with.
CURVE = [
    Decimal(share)
    for share in ("0.05", "0.11", "0.20", "0.31", "0.43", "0.56")
    + ("0.69", "0.84", "1", "1.09", "1.18", "1.27")
]
LAST_YEAR_RATIO = Decimal("0.88")
# 2024 targets: (code, level, value). 区目标 of the demo's choosing; the seeds give 市目标 240.
TARGETS_2024 = [
    ("hnte_applications", "district", 800),
    ("unicorn_titles", "district", 8),
    ("gazelle_titles", "district", 120),
    ("tsme_evaluations", "district", 2000),
    ("attracted_tsme", "city", 240),
    ("attracted_tsme", "district", 360),
    ("project_recognitions", "district", 260),
    ("wukedai_households", "district", 100),
    ("wukedai_amount", "district", 25000),
]
TARGETS_2023 = [
    ("tech_projects_attracted", "district", 160),
    ("talents_attracted", "district", Decimal("3.5")),
    ("hnte_net_increase", "district", 250),
    ("tsme_new", "district", 180),
]
# "全市第一" where the seeds claim it (1—9月 2024); 2023's places are synthetic.
RANKINGS = [
    ("hnte_applications", 2024, 9, 1, CITY_2024),
    ("unicorn_titles", 2024, 9, 1, CITY_2024),
    ("gazelle_titles", 2024, 9, 1, CITY_2024),
    ("tsme_evaluations", 2024, 9, 1, CITY_2024),  # "申报数全市第一"
    ("attracted_tsme", 2024, 9, 1, CITY_2024),
    ("tech_projects_attracted", 2023, 12, 2, CITY_2023),
    ("hnte_net_increase", 2023, 12, 2, CITY_2023),
    ("tsme_new", 2023, 12, 3, CITY_2023),
]
# Each 板块's share of the district (by code; the rest share what is left equally).
WEIGHTS = {"wjhtz": 30, "xth": 14, "wjjkq": 12, "htz": 10, "ntz": 6, "lyz": 5}


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def split(total: Decimal, weights: list[int], places: int = 0) -> list[Decimal]:
    """`total` over `weights` by largest remainder, so the parts add up exactly."""
    unit = Decimal(1).scaleb(-places)
    whole = sum(weights) or 1
    raw = [total * w / whole for w in weights]
    parts = [(r / unit).to_integral_value(rounding="ROUND_FLOOR") * unit for r in raw]
    left = int(((total - sum(parts)) / unit).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[:left]:
        parts[i] += unit
    return parts


def _places(indicator: Indicator) -> int:
    return 2 if indicator.unit == "万人" else 0


class _Loader:
    def __init__(self, admin: User, today: dt.date) -> None:
        self.admin = admin
        self.today = today
        self.units = sections()
        self.weights = [WEIGHTS.get(unit.code, 3) for unit in self.units]
        self.indicators = {i.code: i for i in Indicator.objects.all()}

    def _series(self, code: str, year: int, totals: dict[int, tuple[Decimal, str]]) -> list:
        """ManualValue rows of one indicator and year: the district's 1—N月 totals by month, and
        each 板块's share of every month's increase, so each 板块 only grows and they add up."""
        indicator = self.indicators[code]
        places = _places(indicator)
        rows: list[ManualValue] = []
        running = [Decimal(0)] * len(self.units)
        previous = Decimal(0)
        for month in sorted(totals):
            total, note = totals[month]
            step = split(total - previous, self.weights, places)
            running = [r + p for r, p in zip(running, step, strict=True)]
            previous = total
            rows.append(self._row(indicator, year, month, None, total, note))
            rows += [
                self._row(
                    indicator, year, month, unit, part, note.removesuffix(SYNTHETIC) + SYNTHETIC
                )
                for unit, part in zip(self.units, running, strict=True)
            ]
        return rows

    def _row(
        self,
        indicator: Indicator,
        year: int,
        month: int,
        unit: Jurisdiction | None,
        value: Decimal,
        note: str,
    ) -> ManualValue:
        return ManualValue(
            indicator=indicator,
            year=year,
            month=month,
            jurisdiction=unit,
            value=value,
            source_note=note[:300],
            entered_by=self.admin,
            is_demo=True,
        )

    def values(self) -> int:
        rows: list[ManualValue] = []
        for code, september in SEED_2024_SEP.items():
            places = _places(self.indicators[code])
            this_year, last_year = {}, {}
            for month, share in enumerate(CURVE, start=1):
                value = september if month == 9 else _round(september * share, places)
                note = BULLETIN_2024 if month == 9 else f"{BULLETIN_2024}{SYNTHETIC}"
                this_year[month] = (value, note)
                last = _round(september * share * LAST_YEAR_RATIO, places)
                last_year[month] = (last, f"{BULLETIN_2023}{SYNTHETIC}")
            rows += self._series(code, 2024, this_year)
            rows += self._series(code, 2023, last_year)
        for code, year_total in SEED_2023_YEAR.items():
            rows += self._series(code, 2023, {12: (year_total, BULLETIN_2023)})
        ManualValue.all_objects.bulk_create(rows)
        return len(rows)

    def _target_rows(self, year: int, spec: list, note: str) -> list[Target]:
        rows = []
        for code, level, value in spec:
            indicator = self.indicators[code]
            total = Decimal(value)
            rows.append(
                Target(
                    indicator=indicator,
                    year=year,
                    level=level,
                    value=total,
                    note=note,
                    set_by=self.admin,
                    is_demo=True,
                )
            )
            if level != "district":
                continue
            parts = split(total, self.weights, _places(indicator))
            rows += [
                Target(
                    indicator=indicator,
                    year=year,
                    jurisdiction=unit,
                    level="district",
                    value=part,
                    note="区目标分解（示例数据）",
                    set_by=self.admin,
                    is_demo=True,
                )
                for unit, part in zip(self.units, parts, strict=True)
            ]
        return rows

    def current_targets(self) -> list[tuple[str, str, Decimal]]:
        """This year's 区目标 from the records so far: alternately ahead of and behind 序时进度."""
        figures = indicator_figures(user=self.admin, year=self.today.year, through=self.today)
        spec = []
        for index, figure in enumerate(f for f in figures if f.source == "computed"):
            if not figure.actual:
                continue
            pace = figure.actual / max(figure.period.elapsed, Decimal("0.05"))
            factor = Decimal("0.9") if index % 2 == 0 else Decimal("1.2")
            spec.append((figure.code, "district", max(Decimal(1), _round(pace * factor, 0))))
        return spec

    def targets(self) -> int:
        rows = self._target_rows(2024, TARGETS_2024, "2024年度目标（区目标为示例数据）")
        rows += self._target_rows(2023, TARGETS_2023, "2023年度目标（示例数据）")
        if self.today.year not in (2023, 2024):
            rows += self._target_rows(
                self.today.year, self.current_targets(), f"{self.today.year}年度目标（示例数据）"
            )
        Target.all_objects.bulk_create(rows)
        return len(rows)

    def rankings(self) -> int:
        rows = [
            CityRanking(
                indicator=self.indicators[code],
                year=year,
                month=month,
                rank=rank,
                among=CITY_UNITS,
                source=source,
                entered_by=self.admin,
                is_demo=True,
            )
            for code, year, month, rank, source in RANKINGS
        ]
        CityRanking.objects.bulk_create(rows)
        return len(rows)


def demo_counts() -> dict[str, int]:
    """What the 目标考核 demo holds (for the seed command's summary)."""
    return {
        "指标": Indicator.objects.filter(is_active=True).count(),
        "目标": Target.all_objects.filter(is_demo=True).count(),
        "填报值": ManualValue.all_objects.filter(is_demo=True).count(),
        "全市排名": CityRanking.objects.filter(is_demo=True).count(),
    }


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Load the 目标考核 demo once (idempotent): 2023 and 2024 typed in, this year's targets."""
    if district_root() is None or not Jurisdiction.objects.exists():
        return demo_counts()
    indicators_ensure_defaults()
    if not ManualValue.all_objects.filter(is_demo=True).exists():
        loader = _Loader(admin, today or timezone.localdate())
        loader.values()
        loader.targets()
        loader.rankings()
    return demo_counts()
