"""企业服务端: enterprise contacts, their invitations and the figures they declare."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import Enterprise, money
from xinzhi.portal.choices import DeclarationStatus


class Invitation(ScopedModel, TimeStampedModel):
    """A one-time, expiring link that lets a contact of an enterprise set a password (邀请)."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="invitations"
    )
    contact_name = models.CharField("联系人姓名", max_length=60)
    mobile = models.CharField("手机号", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_manager = models.BooleanField("企业管理员", default=False)
    # Only a digest is kept: the link itself is shown or mailed once.
    token_hash = models.CharField("链接摘要", max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="邀请人", on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField("有效期至")
    accepted_at = models.DateTimeField("接受时间", null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开通的账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业账户邀请"
        verbose_name_plural = "企业账户邀请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.contact_name}"

    @property
    def state_label(self) -> str:
        if self.accepted_at:
            return "已开通"
        if self.revoked_at:
            return "已撤销"
        if self.expires_at <= timezone.now():
            return "已过期"
        return "待接受"


class Contact(ScopedModel, TimeStampedModel):
    """An enterprise's account holder (企业联系人); one per enterprise may be its manager."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账户",
        on_delete=models.CASCADE,
        related_name="enterprise_contact",
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField("姓名", max_length=60)
    mobile = models.CharField("手机号", max_length=20, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    is_manager = models.BooleanField("企业管理员", default=False)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        verbose_name = "企业联系人"
        verbose_name_plural = "企业联系人"
        ordering = ["-is_manager", "created_at"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.name}"


class Declaration(ScopedModel, TimeStampedModel):
    """One year's figures as the enterprise declares them (企业填报), until an officer decides.

    The declared values stay here whatever the officer accepts; accepted values become the
    AnnualFigures row through the enterprises services (so re-evaluation follows as for an edit).
    """

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="declarations"
    )
    year = models.PositiveSmallIntegerField("年度")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.SUBMITTED,
        db_index=True,
    )
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
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    # The values the officer accepted, as stored in the record ({field: text}).
    accepted_values = models.JSONField("采纳值", default=dict, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "企业填报"
        verbose_name_plural = "企业填报"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year"],
                condition=models.Q(status="submitted"),
                name="uniq_open_declaration_year",
                violation_error_message="该年度已有待审核的填报。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年度填报"

    def get_absolute_url(self) -> str:
        return reverse("portal:declaration", args=[self.pk])
