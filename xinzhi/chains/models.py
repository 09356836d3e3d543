"""Industry chains (产业链图谱): chains as trees of nodes, enterprises on nodes, supply relations,
value added, and the gap targets that feed the 招商 pipeline.

A chain's structure (Chain, Node, GapTarget) is district reference data every bureau user sees;
what is enterprise-level (Membership, SupplyRelation, ValueAdded, LeadNode) is scoped by the
enterprise's (or lead's) 板块.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from xinzhi.chains.choices import (
    FunctionKind,
    MemberRole,
    Position,
    TargetSource,
    TargetStatus,
)
from xinzhi.core.limits import DecimalField
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import money

DEFAULT_VALUE_ADDED_RATE = Decimal("0.2500")


class Chain(TimeStampedModel):
    """An industry chain (产业链), e.g. 新能源汽车; loaded from the district's YAML file."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    description = models.TextField("说明", blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    value_added_rate = DecimalField(
        "增加值率",
        max_digits=5,
        decimal_places=4,
        default=DEFAULT_VALUE_ADDED_RATE,
        validators=[
            MinValueValidator(Decimal("0"), message="增加值率不能为负数"),
            MaxValueValidator(Decimal("1"), message="增加值率不能超过 1"),
        ],
        help_text="企业未填报增加值时，以销售收入 × 增加值率估算（标注为估算）",
    )
    weak_threshold = models.PositiveSmallIntegerField(
        "弱链阈值",
        default=2,
        validators=[MinValueValidator(1, message="弱链阈值至少为 1")],
        help_text="本地企业少于此数的环节视为弱链；没有本地企业为缺链",
    )
    definitions = models.JSONField(
        "指标口径",
        default=dict,
        blank=True,
        help_text='按指标编码覆盖“三度一率”的口径说明，如 {"completeness": "…"}',
    )
    is_active = models.BooleanField("启用", default=True)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "产业链"
        verbose_name_plural = "产业链"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("chains:detail", args=[self.pk])


class Node(TimeStampedModel):
    """A segment of a chain (产业链环节), e.g. 动力系统 → 电驱; a tree under its chain."""

    chain = models.ForeignKey(
        Chain, verbose_name="产业链", on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级环节",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.SlugField("编码", max_length=40)
    name = models.CharField("名称", max_length=40)
    position = models.CharField("产业链位置", max_length=12, choices=Position.choices)
    is_key = models.BooleanField("关键环节", default=False, help_text="产业链完整度以关键环节计算")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    description = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "产业链环节"
        verbose_name_plural = "产业链环节"
        ordering = ["chain", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "code"],
                name="uniq_chain_node_code",
                violation_error_message="同一产业链内环节编码不能重复。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chain.name}·{self.name}" if self.chain_id else self.name

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent.chain_id != self.chain_id:
            raise ValidationError({"parent": "上级环节必须属于同一产业链。"})

    def get_absolute_url(self) -> str:
        return reverse("chains:node", args=[self.pk])


class Membership(ScopedModel, TimeStampedModel):
    """An enterprise on a node with its role (链上企业); an outside core company has no record.

    A local enterprise is one in the 企业库; an outside company (外地核心企业) is listed by name
    and region so the chain's core list (核心企业集聚度's denominator) is complete.
    """

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    node = models.ForeignKey(
        Node, verbose_name="环节", on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="本地企业",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_memberships",
    )
    outside_name = models.CharField("外地企业名称", max_length=120, blank=True)
    outside_region = models.CharField("外地企业所在地", max_length=40, blank=True)
    role = models.CharField("链上角色", max_length=12, choices=MemberRole.choices)
    function_kind = models.CharField(
        "功能类型", max_length=12, choices=FunctionKind.choices, blank=True
    )
    joined_on = models.DateField(
        "入链日期", null=True, blank=True, help_text="留空表示一直在链（按年度计算时计入各年）"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "链上企业"
        verbose_name_plural = "链上企业"
        ordering = ["node", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "enterprise"],
                condition=Q(enterprise__isnull=False),
                name="uniq_chain_membership",
                violation_error_message="该企业已在此环节。",
            ),
            models.CheckConstraint(
                condition=Q(enterprise__isnull=False, outside_name="")
                | Q(enterprise__isnull=True) & ~Q(outside_name=""),
                name="chain_membership_local_or_outside",
                violation_error_message="请选择本地企业，或填写外地企业名称（二选一）。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}（{self.get_role_display()}）"

    @property
    def display_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.outside_name

    @property
    def is_local(self) -> bool:
        return self.enterprise_id is not None

    def clean(self) -> None:
        super().clean()
        if self.function_kind and self.role != MemberRole.FUNCTIONAL:
            raise ValidationError({"function_kind": "只有功能性机构需要填写功能类型。"})
        if self.role == MemberRole.FUNCTIONAL and not self.function_kind:
            raise ValidationError({"function_kind": "功能性机构请选择功能类型。"})


class SupplyRelation(ScopedModel, TimeStampedModel):
    """A buyer's purchases from one supplier in a year (配套关系), in 万元.

    The supplier is a local enterprise (in the 企业库) or an outside company with its region;
    the 链主's purchasing list gives the 本地化配套率.
    """

    SCOPE = Scope(jurisdiction="buyer__jurisdiction", enterprise="buyer_id")

    buyer = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="采购企业",
        on_delete=models.CASCADE,
        related_name="chain_purchases",
    )
    supplier = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="本地供应商",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chain_sales",
    )
    supplier_name = models.CharField("供应商名称", max_length=120)
    supplier_region = models.CharField(
        "供应商所在地", max_length=40, blank=True, help_text="外地供应商填写，如 上海、苏州"
    )
    node = models.ForeignKey(
        Node,
        verbose_name="环节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supply_relations",
    )
    product = models.CharField("配套产品", max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(
        "年度",
        validators=[
            MinValueValidator(2000, message="年度不能早于 2000 年"),
            MaxValueValidator(2100, message="年度不能晚于 2100 年"),
        ],
    )
    amount = money("年采购额", null=False)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "配套关系"
        verbose_name_plural = "配套关系"
        ordering = ["buyer", "-year", "-amount", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "supplier_name", "year", "product"],
                name="uniq_supply_relation",
                violation_error_message="该采购企业该年度已登记此供应商的同一配套产品。",
            ),
        ]
        indexes = [models.Index(fields=["buyer", "year"])]

    def __str__(self) -> str:
        return f"{self.buyer} ← {self.supplier_name} {self.year}年"

    @property
    def is_local(self) -> bool:
        return self.supplier_id is not None


class ValueAdded(ScopedModel, TimeStampedModel):
    """An enterprise's reported value added for a year (工业增加值), in 万元."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="value_added",
    )
    year = models.PositiveSmallIntegerField("年度")
    amount = money("增加值", null=False)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "增加值"
        verbose_name_plural = "增加值"
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                name="uniq_value_added_year",
                violation_error_message="该企业该年度的增加值已登记。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年增加值"


class GapTarget(TimeStampedModel):
    """An outside company worth attracting to a gap node (补链招商目标)."""

    node = models.ForeignKey(
        Node, verbose_name="环节", on_delete=models.CASCADE, related_name="targets"
    )
    name = models.CharField("目标企业", max_length=120)
    region = models.CharField("所在地", max_length=40, blank=True)
    reason = models.CharField("招引理由", max_length=300, blank=True)
    source = models.CharField("来源", max_length=20, choices=TargetSource.choices)
    proposed_role = models.CharField(
        "落地后角色",
        max_length=12,
        choices=MemberRole.choices,
        default=MemberRole.CORE,
        help_text="落地后该企业在此环节的角色",
    )
    status = models.CharField(
        "状态", max_length=12, choices=TargetStatus.choices, default=TargetStatus.OPEN
    )
    lead = models.OneToOneField(
        "attraction.Lead",
        verbose_name="招商项目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chain_target",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "补链招商目标"
        verbose_name_plural = "补链招商目标"
        ordering = ["node", "status", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "name"],
                name="uniq_gap_target",
                violation_error_message="该环节已登记同名目标企业。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LeadNode(ScopedModel):
    """The node a 招商 lead serves (招商项目所属环节); once landed, its enterprise is on it."""

    SCOPE = Scope(jurisdiction="lead__jurisdiction", enterprise="lead__enterprise_id")

    lead = models.OneToOneField(
        "attraction.Lead",
        verbose_name="招商项目",
        on_delete=models.CASCADE,
        related_name="chain_node",
    )
    node = models.ForeignKey(
        Node, verbose_name="环节", on_delete=models.CASCADE, related_name="lead_links"
    )
    role = models.CharField(
        "落地后角色", max_length=12, choices=MemberRole.choices, default=MemberRole.GENERAL
    )
    created_at = models.DateTimeField("关联时间", auto_now_add=True)

    class Meta:
        verbose_name = "招商项目所属环节"
        verbose_name_plural = "招商项目所属环节"

    def __str__(self) -> str:
        return f"{self.lead} → {self.node}"
