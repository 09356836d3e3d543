from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.limits import DecimalField
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.choices import (
    CLASS_ONE_KINDS,
    EnterpriseScale,
    HightechField,
    IncidentKind,
    IncidentSeverity,
    IPKind,
    TitleLevel,
    TitleType,
)
from xinzhi.enterprises.validators import validate_credit_code

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="金额不能为负数")]


def money(verbose_name: str, *, null: bool = True, signed: bool = False) -> DecimalField:
    """A 万元 amount with two decimals (i.e. to the hundred yuan)."""
    return DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        null=null,
        blank=null,
        validators=[] if signed else NON_NEGATIVE,
        help_text="万元",
    )


class Tag(models.Model):
    """Free-text industry chain / segment tag (产业链标签) until chains arrive."""

    name = models.CharField("标签", max_length=40, unique=True)

    class Meta:
        verbose_name = "产业标签"
        verbose_name_plural = "产业标签"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Enterprise(ScopedModel, TimeStampedModel):
    """Enterprise master record (企业库), keyed by 统一社会信用代码."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="pk")

    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已登记在企业库中。"},
    )
    name = models.CharField("企业名称", max_length=120, db_index=True)
    registered_on = models.DateField("成立日期", null=True, blank=True)
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction",
        verbose_name="所属板块",
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    address = models.CharField("注册地址", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=60, blank=True)
    contact_name = models.CharField("联系人", max_length=60, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    contact_email = models.EmailField("联系邮箱", blank=True)
    industry = models.CharField("所属行业", max_length=80, blank=True)
    hightech_field = models.CharField(
        "技术领域",
        max_length=20,
        choices=HightechField.choices,
        blank=True,
        help_text="《国家重点支持的高新技术领域》",
    )
    scale = models.CharField("企业规模", max_length=10, choices=EnterpriseScale.choices, blank=True)
    tags = models.ManyToManyField(Tag, verbose_name="产业链标签", blank=True, related_name="+")
    summary = models.TextField("企业简介", blank=True)
    is_listed = models.BooleanField("已上市", default=False)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业库"
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["jurisdiction", "name"]),
            models.Index(fields=["registered_on"]),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.registered_on and self.registered_on > timezone.localdate():
            # A future founding date makes every age-based policy check meaningless.
            raise ValidationError({"registered_on": "成立日期不能晚于今天，请核对营业执照。"})

    def get_absolute_url(self) -> str:
        return reverse("enterprises:detail", args=[self.pk])


class AnnualFigures(ScopedModel, TimeStampedModel):
    """One fiscal year's figures of an enterprise (年度经营数据), in 万元 and headcount."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    # No index of its own: uniq_figures_year's index starts with the enterprise and serves
    # every lookup by it, so a second one only cost each imported row another B-tree write.
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="figures",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("年度")
    employees = models.PositiveIntegerField("职工总数", null=True, blank=True)
    tech_staff = models.PositiveIntegerField("科技人员数", null=True, blank=True)
    rd_staff = models.PositiveIntegerField("研发人员数", null=True, blank=True)
    revenue = money("销售收入")
    main_revenue = money("主营业务收入")
    total_income = money("收入总额")
    hightech_revenue = money("高新技术产品（服务）收入")
    rd_expense = money("研发费用")
    rd_expense_domestic = money("境内研发费用")
    total_cost = money("成本费用总额")
    total_assets = money("资产总额")
    total_liabilities = money("负债总额")
    net_assets = money("净资产", signed=True)
    net_profit = money("净利润", signed=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "年度经营数据"
        verbose_name_plural = "年度经营数据"
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="uniq_figures_year",
                violation_error_message="该企业该年度的数据已存在。",
            ),
        ]
        # The list sorted by a year's revenue or R&D expense walks these in order, largest
        # first, with ties by enterprise as the page orders them (selectors.FiguresSorted).
        indexes = [
            models.Index(fields=["year", "-revenue", "enterprise"], name="figures_year_revenue"),
            models.Index(fields=["year", "-rd_expense", "enterprise"], name="figures_year_rd"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年"

    @property
    def rd_intensity(self) -> Decimal | None:
        """R&D expense ÷ sales revenue (研发强度)."""
        if self.rd_expense is None or not self.revenue:
            return None
        return self.rd_expense / self.revenue


class IntellectualProperty(ScopedModel, TimeStampedModel):
    """A granted IP right (知识产权) held by an enterprise."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="ip_rights"
    )
    kind = models.CharField("类型", max_length=20, choices=IPKind.choices)
    number = models.CharField("授权号", max_length=40)
    title = models.CharField("名称", max_length=200)
    granted_on = models.DateField("授权日期", null=True, blank=True)
    self_developed = models.BooleanField("自主研发", default=True)
    high_value = models.BooleanField("高价值", default=False)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "知识产权"
        verbose_name_plural = "知识产权"
        ordering = ["enterprise", "-granted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"],
                name="uniq_ip_number",
                violation_error_message="该授权号已登记。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def ip_class(self) -> str:
        return "Ⅰ类" if self.kind in CLASS_ONE_KINDS else "Ⅱ类"


class TitleHeld(ScopedModel, TimeStampedModel):
    """A title or honour held by an enterprise (资质荣誉), with its validity."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="titles"
    )
    title = models.CharField("资质类型", max_length=30, choices=TitleType.choices)
    name = models.CharField(
        "名称", max_length=120, blank=True, help_text="如“龙城英才计划第十七批”"
    )
    level = models.CharField("级别", max_length=20, choices=TitleLevel.choices, blank=True)
    certificate_no = models.CharField("证书编号", max_length=60, blank=True)
    valid_from = models.DateField("认定日期", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "资质荣誉"
        verbose_name_plural = "资质荣誉"
        ordering = ["enterprise", "-valid_from"]
        # Covering for "who holds this title now" (the list's 资质 filter): with enterprise_id
        # in the index the holders are read from it alone, not row by row from the table.
        indexes = [
            models.Index(
                fields=["title", "valid_until", "enterprise"], name="titles_current_holders"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.get_title_display()

    @property
    def display_name(self) -> str:
        return self.name or self.get_title_display()


class Incident(ScopedModel, TimeStampedModel):
    """A dated incident or credit event (事故与信用事件): 安全/质量/环境/税务/失信/数据安全.

    Each rule set reads its own window (科技型中小企业: the previous and current year; 高企: the
    year before applying; 专精特新/小巨人: three years); an unknown date sends it to review.
    """

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="incidents"
    )
    occurred_on = models.DateField(
        "发生日期", null=True, blank=True, help_text="日期不详请留空（相关资质转人工核查）"
    )
    kind = models.CharField("类型", max_length=20, choices=IncidentKind.choices)
    severity = models.CharField("程度", max_length=10, choices=IncidentSeverity.choices)
    description = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "事故与信用事件"
        verbose_name_plural = "事故与信用事件"
        ordering = ["enterprise", "-occurred_on", "-id"]

    def __str__(self) -> str:
        when = f"{self.occurred_on:%Y-%m-%d}" if self.occurred_on else "日期不详"
        return f"{when} {self.get_severity_display()}{self.get_kind_display()}事件"
