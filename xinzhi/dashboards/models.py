"""Targets and statistics (目标考核与统计): the indicator library, targets, typed-in values and
the city's rankings. The actuals themselves are computed from the other apps' records
(`xinzhi.dashboards.computations`) or typed in (`ManualValue`) — never stored twice."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from xinzhi.core.limits import DecimalField
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.dashboards.choices import Direction, PeriodType, TargetLevel

MONTH_VALIDATORS = [
    MinValueValidator(1, message="月份应在 1—12 之间"),
    MaxValueValidator(12, message="月份应在 1—12 之间"),
]
YEAR_VALIDATORS = [
    MinValueValidator(2000, message="年度应在 2000—2100 之间"),
    MaxValueValidator(2100, message="年度应在 2000—2100 之间"),
]
TARGET_TAKEN = "该指标在该年度、该板块已有同一层级的目标，请修改原目标。"
MANUAL_VALUE_TAKEN = "该指标在该年度、该月、该板块已有填报值，请修改原记录。"
RANKING_TAKEN = "该指标在该统计期已有全市排名，请修改原记录。"
NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="数值不能为负数")]


def figure(verbose_name: str) -> DecimalField:
    """An indicator value: counts, 万元 or 万人, up to four decimals."""
    return DecimalField(verbose_name, max_digits=16, decimal_places=4, validators=NON_NEGATIVE)


class Indicator(TimeStampedModel):
    """An indicator of the library (指标库): what is counted, how, and where it comes from."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("指标名称", max_length=60, unique=True)
    unit = models.CharField("单位", max_length=10)
    period_type = models.CharField(
        "统计周期", max_length=10, choices=PeriodType.choices, default=PeriodType.MONTH
    )
    cumulative = models.BooleanField(
        "默认累计", default=True, help_text="勾选：默认按 1—N月 累计；否则按当月"
    )
    direction = models.CharField(
        "方向", max_length=10, choices=Direction.choices, default=Direction.UP
    )
    computation = models.CharField(
        "计算方式",
        max_length=40,
        blank=True,
        help_text="平台记录计算的口径编码；留空表示手工填报指标",
    )
    source_note = models.CharField("口径/来源说明", max_length=300, blank=True)
    order = models.PositiveIntegerField("顺序", default=100)
    is_key = models.BooleanField("驾驶舱重点指标", default=False)
    is_active = models.BooleanField("启用", default=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "指标"
        verbose_name_plural = "指标库"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_manual(self) -> bool:
        return not self.computation

    def clean(self) -> None:
        from xinzhi.dashboards.computations import COMPUTATIONS

        if self.computation and self.computation not in COMPUTATIONS:
            raise ValidationError(
                {"computation": "未知的计算方式，请从列表中选择或留空（手工填报）"}
            )


def _unique_per_unit(fields: list[str], name: str, message: str) -> list[models.UniqueConstraint]:
    """One row per unit: the district (jurisdiction null) and each 板块 (a null is not equal)."""
    return [
        models.UniqueConstraint(
            fields=fields,
            condition=Q(jurisdiction__isnull=True),
            name=f"{name}_district",
            violation_error_message=message,
        ),
        models.UniqueConstraint(
            fields=[*fields, "jurisdiction"],
            name=f"{name}_unit",
            violation_error_message=message,
        ),
    ]


class Target(ScopedModel, TimeStampedModel):
    """A yearly target (目标) for the district or one 板块, set by the city or the district."""

    SCOPE = Scope(jurisdiction="jurisdiction")

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示全区",
    )
    level = models.CharField("目标层级", max_length=10, choices=TargetLevel.choices)
    value = figure("目标值")
    note = models.CharField("说明", max_length=200, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "目标"
        verbose_name_plural = "目标"
        ordering = ["year", "indicator__order", "jurisdiction__sort_order", "level"]
        constraints = _unique_per_unit(["indicator", "year", "level"], "uniq_target", TARGET_TAKEN)

    def __str__(self) -> str:
        unit = self.jurisdiction.label if self.jurisdiction_id else "全区"
        return f"{self.year}年{unit}{self.indicator.name}{self.get_level_display()}"


class ManualValue(ScopedModel, TimeStampedModel):
    """A typed-in figure (手工填报值): 1—N月 cumulative as bulletins report it, with its source."""

    SCOPE = Scope(jurisdiction="jurisdiction")

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="manual_values"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        "截至月份", validators=MONTH_VALIDATORS, help_text="数值为当年 1 月至该月的累计数"
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空表示全区",
    )
    value = figure("数值")
    source_note = models.CharField("数据来源", max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "手工填报值"
        verbose_name_plural = "手工填报值"
        ordering = ["-year", "-month", "indicator__order"]
        constraints = _unique_per_unit(
            ["indicator", "year", "month"], "uniq_manual", MANUAL_VALUE_TAKEN
        )

    def __str__(self) -> str:
        unit = self.jurisdiction.label if self.jurisdiction_id else "全区"
        return f"{self.year}年1—{self.month}月{unit}{self.indicator.name}"


class CityRanking(TimeStampedModel):
    """The district's place among the city's districts (全市排名), typed in from a bulletin."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.CASCADE, related_name="city_rankings"
    )
    year = models.PositiveSmallIntegerField("年度", validators=YEAR_VALIDATORS)
    month = models.PositiveSmallIntegerField(
        "截至月份", validators=MONTH_VALIDATORS, help_text="通报的统计期：1 月至该月"
    )
    rank = models.PositiveSmallIntegerField(
        "全市排名", validators=[MinValueValidator(1, message="排名从 1 开始")]
    )
    among = models.PositiveSmallIntegerField(
        "参与排名地区数", validators=[MinValueValidator(1, message="地区数至少为 1")]
    )
    source = models.CharField("通报来源", max_length=200)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "全市排名"
        verbose_name_plural = "全市排名"
        ordering = ["-year", "-month", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "month"], name="uniq_city_ranking")
        ]

    def __str__(self) -> str:
        return f"{self.year}年1—{self.month}月{self.indicator.name} 全市第{self.rank}"

    def clean(self) -> None:
        if self.rank and self.among and self.rank > self.among:
            raise ValidationError({"rank": "排名不能大于参与排名的地区数"})
