"""Models of the monthly briefing (科技工作月报): its sentence templates, the briefings and the
snapshot of every figure a briefing used."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from xinzhi.briefings.choices import BriefingStatus, Joiner
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel


class Section(TimeStampedModel):
    """A paragraph of the briefing (月报段落): heading, opening words and order."""

    code = models.SlugField("编码", max_length=40, unique=True)
    title = models.CharField("标题", max_length=40)
    opening = models.CharField(
        "开头", max_length=100, blank=True, help_text="段首文字，可用 {期间} {年份} {范围}"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "月报段落"
        verbose_name_plural = "月报段落"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class SentenceTemplate(TimeStampedModel):
    """One indicator's sentence in the briefing (句式模板), edited by the bureau admin."""

    code = models.SlugField("指标编码", max_length=60, unique=True)
    section = models.ForeignKey(
        Section, verbose_name="所属段落", on_delete=models.PROTECT, related_name="sentences"
    )
    order = models.PositiveSmallIntegerField("段内顺序", default=0)
    text = models.CharField("句式", max_length=300)
    rank_text = models.CharField(
        "排名表述",
        max_length=60,
        default="，{排名}",
        blank=True,
        help_text="有全市排名时接在句式后，如 “，{排名}” 写作 “，全市第一”；没有排名时整段省略",
    )
    joiner = models.CharField(
        "与下一句的连接", max_length=1, choices=Joiner.choices, default=Joiner.SEMICOLON
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "句式模板"
        verbose_name_plural = "句式模板"
        ordering = ["section__order", "order", "id"]

    def __str__(self) -> str:
        return self.code


class Briefing(ScopedModel, TimeStampedModel):
    """A generated monthly briefing (科技工作月报) of the district or one 板块, one version of it.

    The figures it was written from are stored with it (`BriefingFigure`), and its text is
    written from them, so nothing here changes when the records behind the figures do.
    """

    SCOPE = Scope(jurisdiction="jurisdiction")

    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    month = models.PositiveSmallIntegerField(
        "月份", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空为全区",
    )
    # "district" or the 板块's id: one key for the unique edition number (NULL is never equal).
    unit_key = models.CharField("统计范围键", max_length=20, editable=False)
    unit_name = models.CharField("统计范围", max_length=80)
    edition = models.PositiveSmallIntegerField("版次", default=1)
    status = models.CharField(
        "状态", max_length=10, choices=BriefingStatus.choices, default=BriefingStatus.DRAFT
    )
    title = models.CharField("标题", max_length=120)
    compiled_by = models.CharField("编制单位", max_length=80)
    period_label = models.CharField("统计期", max_length=20)
    issued_on = models.DateField("日期")
    paragraphs = models.JSONField("正文", default=list)
    version = models.PositiveIntegerField("修改版本", default=1)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "科技工作月报"
        verbose_name_plural = "科技工作月报"
        ordering = ["-year", "-month", "unit_key", "-edition"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "month", "unit_key", "edition"], name="briefing_edition_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.edition}版）"

    def get_absolute_url(self) -> str:
        return reverse("briefings:detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == BriefingStatus.FINAL


class BriefingFigure(ScopedModel):
    """One figure as it stood when the briefing was generated (快照): never updated."""

    SCOPE = Scope(jurisdiction="briefing__jurisdiction")

    briefing = models.ForeignKey(
        Briefing, verbose_name="月报", on_delete=models.CASCADE, related_name="figures"
    )
    order = models.PositiveIntegerField("顺序")
    unit_id = models.BigIntegerField("板块编号", null=True, blank=True)  # None: the district
    jurisdiction_name = models.CharField("统计范围", max_length=80)
    code = models.CharField("指标编码", max_length=60)
    name = models.CharField("指标", max_length=80)
    unit = models.CharField("单位", max_length=20)
    period_label = models.CharField("统计期", max_length=20)
    period_start = models.DateField("起始日")
    period_end = models.DateField("截止日")
    cumulative = models.BooleanField("累计", default=True)
    elapsed = models.DecimalField("序时进度", max_digits=6, decimal_places=4)
    actual = models.DecimalField("实际", max_digits=20, decimal_places=4, null=True, blank=True)
    # [{"level", "level_label", "value", "progress"}] with decimals as strings (exact)
    targets = models.JSONField("目标", default=list)
    progress = models.DecimalField("完成进度", max_digits=12, decimal_places=4, null=True)
    source = models.CharField("来源类型", max_length=10)
    source_note = models.TextField("来源说明", blank=True)
    city_rank = models.PositiveSmallIntegerField("全市排名", null=True, blank=True)
    city_among = models.PositiveSmallIntegerField("参评地区数", null=True, blank=True)
    city_rank_source = models.CharField("排名来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "月报指标快照"
        verbose_name_plural = "月报指标快照"
        ordering = ["briefing", "order"]

    def __str__(self) -> str:
        return f"{self.jurisdiction_name} {self.name}"
