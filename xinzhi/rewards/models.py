"""政策兑现（免申即享）: reward policies and items as data, entitlements found from records,
publicity lists with objections, payments and the budget they draw on."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from xinzhi.core.limits import DecimalField, LimitedNumbersMixin
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import money
from xinzhi.rewards import rules
from xinzhi.rewards.choices import EntitlementStatus, ObjectionStatus

NON_NEGATIVE = [MinValueValidator(Decimal("0"), message="金额不能为负数")]


def yuan(verbose_name: str, **kwargs) -> DecimalField:  # noqa: ANN003
    """An amount in 元 (rewards are decided to the yuan: 软科学配套 ≤ 3,000元)."""
    return DecimalField(
        verbose_name, max_digits=14, decimal_places=2, validators=NON_NEGATIVE, **kwargs
    )


class RewardPolicy(TimeStampedModel):
    """A reward policy document (奖补政策), loaded from YAML and editable by the admin.

    Versioned by year: a run for year Y uses the policy in force in Y (the latest whose
    effective dates cover it).
    """

    code = models.SlugField("编码", max_length=60, unique=True)
    name = models.CharField("政策名称", max_length=120)
    document_no = models.CharField("文号", max_length=80, blank=True)
    issuer = models.CharField("发文单位", max_length=120, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    is_example = models.BooleanField(
        "示例规则", default=False, help_text="示例规则仅供演示，并非正式政策文本"
    )
    note = models.TextField("说明", blank=True)
    source = models.TextField("规则文件（YAML）", blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "奖补政策"
        verbose_name_plural = "奖补政策"
        ordering = ["-effective_from", "code"]

    def __str__(self) -> str:
        return self.name

    def covers(self, year: int) -> bool:
        return self.effective_from.year <= year and (
            self.effective_to is None or self.effective_to.year >= year
        )


class BudgetLine(LimitedNumbersMixin):
    """One budget line of a policy for one year (预算科目), in 万元."""

    policy = models.ForeignKey(
        RewardPolicy, verbose_name="奖补政策", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField("年度")
    code = models.SlugField("科目编码", max_length=40)
    name = models.CharField("预算科目", max_length=60)
    amount_wan = money("年度预算（万元）", null=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "预算科目"
        verbose_name_plural = "预算科目"
        ordering = ["year", "policy", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "year", "code"],
                name="uniq_reward_budget_line",
                violation_error_message="该年度已有同一预算科目。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.name}"

    @property
    def amount_yuan(self) -> Decimal:
        return self.amount_wan * 10000


class RewardItem(LimitedNumbersMixin):
    """One reward item of a policy (奖补事项): trigger, amount rule, exclusions, budget line."""

    policy = models.ForeignKey(
        RewardPolicy, verbose_name="奖补政策", on_delete=models.CASCADE, related_name="items"
    )
    code = models.SlugField("编码", max_length=60)
    name = models.CharField("事项名称", max_length=120)
    trigger = models.JSONField("触发条件", help_text='如 {"kind": "title_new", "title": "hnte"}')
    amount_rule = models.JSONField(
        "金额规则", help_text='如 {"kind": "fixed", "yuan": "200000"}；分档 tiered；比例 percentage'
    )
    budget_line_code = models.SlugField("预算科目编码", max_length=40)
    exclusive_group = models.CharField(
        "就高不重复分组", max_length=40, blank=True, help_text="同组事项只兑现金额最高的一项"
    )
    once_key = models.CharField(
        "限享一次标识", max_length=40, blank=True, help_text="同一企业同一资质只兑现一次"
    )
    note = models.CharField("说明", max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "奖补事项"
        verbose_name_plural = "奖补事项"
        ordering = ["policy", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "code"],
                name="uniq_reward_item",
                violation_error_message="同一政策下事项编码不能重复。",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from django.core.exceptions import ValidationError

        try:
            rules.AmountRule.from_dict(self.amount_rule or {}, where=self.name or "事项")
        except rules.RuleError as exc:
            raise ValidationError({"amount_rule": str(exc)}) from exc
        if not isinstance(self.trigger, dict) or not self.trigger.get("kind"):
            raise ValidationError({"trigger": '触发条件须包含 kind，如 {"kind": "title_new"}'})

    @property
    def amount(self) -> rules.AmountRule:
        return rules.AmountRule.from_dict(self.amount_rule, where=self.name)

    @property
    def amount_words(self) -> str:
        return self.amount.describe()


class EntitlementRun(models.Model):
    """One 测算 of a year (兑现测算): when, by whom, and what changed since the last one."""

    year = models.PositiveSmallIntegerField("年度", db_index=True)
    policy = models.ForeignKey(
        RewardPolicy, verbose_name="奖补政策", on_delete=models.PROTECT, related_name="runs"
    )
    started_at = models.DateTimeField("测算时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    counts = models.JSONField("统计", default=dict, blank=True)
    # [{"change": added|changed|withdrawn|frozen, "entitlement": id, "enterprise": name,
    #   "item": name, "before": "...", "after": "..."}]
    changes = models.JSONField("与上次相比的变化", default=list, blank=True)

    class Meta:
        verbose_name = "兑现测算"
        verbose_name_plural = "兑现测算"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year}年测算 {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class Publicity(TimeStampedModel):
    """A publicity list (公示名单) with its start and end dates; the public page shows it."""

    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("公示标题", max_length=120)
    starts_on = models.DateField("公示开始日期")
    ends_on = models.DateField("公示结束日期")
    contact = models.CharField("异议受理联系方式", max_length=120, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "公示名单"
        verbose_name_plural = "公示名单"
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rewards:publicity_public", args=[self.pk])

    def is_open(self, today=None) -> bool:  # noqa: ANN001
        today = today or timezone.localdate()
        return self.starts_on <= today <= self.ends_on

    def has_ended(self, today=None) -> bool:  # noqa: ANN001
        return (today or timezone.localdate()) > self.ends_on


class Entitlement(ScopedModel, TimeStampedModel):
    """What one enterprise is owed under one item for one triggering record (兑现事项)."""

    SCOPE = Scope(jurisdiction="jurisdiction", enterprise="enterprise_id")

    year = models.PositiveSmallIntegerField("年度")
    policy = models.ForeignKey(
        RewardPolicy, verbose_name="奖补政策", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        RewardItem, verbose_name="奖补事项", on_delete=models.PROTECT, related_name="entitlements"
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        verbose_name="预算科目",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="reward_entitlements",
    )
    jurisdiction = models.ForeignKey(
        "accounts.Jurisdiction", verbose_name="所属板块", on_delete=models.PROTECT, related_name="+"
    )
    # The triggering record: kind ("title", "lead", "application" …), its id, a label and link.
    source_kind = models.CharField("依据记录类型", max_length=30)
    source_id = models.BigIntegerField("依据记录编号")
    source_label = models.CharField("依据记录", max_length=200)
    source_url = models.CharField("依据记录链接", max_length=200, blank=True)
    trigger_date = models.DateField("触发日期")
    amount_yuan = yuan("兑现金额（元）")
    explanation = models.CharField("测算说明", max_length=500)
    exclusion_reason = models.CharField("排除原因", max_length=300, blank=True)
    exclusive_group = models.CharField("就高不重复分组", max_length=40, blank=True)
    once_key = models.CharField("限享一次标识", max_length=40, blank=True)
    status = models.CharField(
        "状态",
        max_length=20,
        choices=EntitlementStatus.choices,
        default=EntitlementStatus.CALCULATED,
        db_index=True,
    )
    last_run = models.ForeignKey(
        EntitlementRun,
        verbose_name="最近测算",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    budget_override_reason = models.CharField("超预算审批理由", max_length=300, blank=True)
    publicity = models.ForeignKey(
        Publicity,
        verbose_name="公示名单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "兑现事项"
        verbose_name_plural = "兑现事项"
        ordering = ["-year", "jurisdiction", "enterprise__name", "item", "id"]
        constraints = [
            # A re-run finds the same row again instead of adding a second one (idempotent).
            models.UniqueConstraint(
                fields=["year", "item", "enterprise", "source_kind", "source_id"],
                name="uniq_reward_entitlement",
                violation_error_message="该企业的同一依据记录已有兑现事项。",
            )
        ]
        indexes = [
            models.Index(fields=["year", "status"]),
            models.Index(fields=["jurisdiction", "year"]),
            models.Index(fields=["enterprise", "once_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.year}年 {self.enterprise} · {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("rewards:detail", args=[self.pk])

    @property
    def amount_words(self) -> str:
        return rules.yuan_words(self.amount_yuan)


class Objection(ScopedModel):
    """An objection raised during publicity (公示异议), recorded and then resolved."""

    SCOPE = Scope(jurisdiction="entitlement__jurisdiction", enterprise="entitlement__enterprise_id")

    publicity = models.ForeignKey(
        Publicity, verbose_name="公示名单", on_delete=models.CASCADE, related_name="objections"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name="异议事项", on_delete=models.CASCADE, related_name="objections"
    )
    submitter = models.CharField("异议人", max_length=60)
    contact = models.CharField("联系方式", max_length=60, blank=True)
    content = models.TextField("异议内容", max_length=2000)
    received_on = models.DateField("收到日期")
    status = models.CharField(
        "处理结果", max_length=20, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN
    )
    resolution = models.CharField("处理意见", max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "公示异议"
        verbose_name_plural = "公示异议"
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.submitter} 对 {self.entitlement} 的异议"


class BankAccount(ScopedModel, TimeStampedModel):
    """The account an enterprise confirms for its rewards (收款账户), from its own login."""

    SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.CASCADE,
        related_name="reward_bank_account",
    )
    account_name = models.CharField("户名", max_length=120)
    bank_name = models.CharField("开户银行", max_length=120)
    account_no = models.CharField("银行账号", max_length=40)
    confirmed_at = models.DateTimeField("企业确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "收款账户"
        verbose_name_plural = "收款账户"

    def __str__(self) -> str:
        return f"{self.account_name} {self.bank_name}"

    @property
    def masked_no(self) -> str:
        return "****" + self.account_no[-4:] if len(self.account_no) > 4 else self.account_no


class Payment(ScopedModel):
    """A disbursement (拨付): one per entitlement, enforced by the database."""

    SCOPE = Scope(jurisdiction="entitlement__jurisdiction", enterprise="entitlement__enterprise_id")

    entitlement = models.OneToOneField(
        Entitlement, verbose_name="兑现事项", on_delete=models.PROTECT, related_name="payment"
    )
    paid_on = models.DateField("拨付日期")
    amount_yuan = yuan("拨付金额（元）")
    voucher_no = models.CharField(
        "凭证号", max_length=60, unique=True, error_messages={"unique": "该凭证号已被使用。"}
    )
    account_name = models.CharField("收款户名", max_length=120)
    bank_name = models.CharField("开户银行", max_length=120)
    account_no = models.CharField("银行账号", max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "拨付记录"
        verbose_name_plural = "拨付记录"
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.amount_yuan}元"
