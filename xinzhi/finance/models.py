"""Models of 科技金融: loan products on the guarantee pool, loans and their life cycle,
长三角双创券 institutions, grants and orders, and equity financing rounds.

Amounts are 万元 (Decimal, two places); rates are percentages per year.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from xinzhi.core.limits import DecimalField
from xinzhi.core.models import TimeStampedModel
from xinzhi.core.scoping import Scope, ScopedModel
from xinzhi.enterprises.models import money
from xinzhi.finance.choices import (
    OUTSTANDING_STATUSES,
    InstitutionStatus,
    LoanStatus,
    OrderStatus,
    PoolEntryKind,
    Region,
    RoundName,
    ServiceType,
)

ENTERPRISE_SCOPE = Scope(jurisdiction="enterprise__jurisdiction", enterprise="enterprise_id")
HUNDRED = Decimal(100)


def percent(verbose_name: str, **kwargs) -> DecimalField:  # noqa: ANN003
    """A percentage 0–100 with two decimals."""
    return DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(Decimal(0), message="百分比不能为负数"),
            MaxValueValidator(HUNDRED, message="百分比不能超过100"),
        ],
        help_text="%",
        **kwargs,
    )


def required_money(verbose_name: str) -> DecimalField:
    return money(verbose_name, null=False)


class Bank(TimeStampedModel):
    """合作银行 (reference data)."""

    name = models.CharField("银行名称", max_length=60, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)

    class Meta:
        verbose_name = "合作银行"
        verbose_name_plural = "合作银行"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class GuaranteePool(TimeStampedModel):
    """科技担保资金池: district money that absorbs its share of defaulted tech loans."""

    name = models.CharField("资金池名称", max_length=60, unique=True)
    manager = models.CharField("管理机构", max_length=80, blank=True)
    leverage_cap = DecimalField(
        "放大倍数上限",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message="放大倍数上限不能为负数")],
    )
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "科技担保资金池"
        verbose_name_plural = "科技担保资金池"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LoanProduct(TimeStampedModel):
    """科技贷款产品 (e.g. 武科贷, 惠科企): banks, guarantor, risk split, caps, 贴息, titles."""

    code = models.SlugField("编码", max_length=30, unique=True)
    name = models.CharField("产品名称", max_length=30, unique=True)
    pool = models.ForeignKey(
        GuaranteePool, verbose_name="担保资金池", on_delete=models.PROTECT, related_name="products"
    )
    banks = models.ManyToManyField(Bank, verbose_name="合作银行", related_name="products")
    guarantor = models.CharField("担保机构", max_length=80, blank=True)
    pool_share = percent("资金池分担比例")
    bank_share = percent("银行分担比例")
    guarantor_share = percent("担保机构分担比例")
    cap_per_enterprise = required_money("单户贷款上限")
    rate_cap = percent("年利率上限")
    subsidy_rate = percent("贴息比例", default=Decimal(0))
    subsidy_cap = money("单户年度贴息上限")
    qualifying_titles = models.JSONField(
        "准入资质",
        default=list,
        blank=True,
        help_text="申请日须持有其中任一有效资质（资质类型编码，如 tech_sme、hnte）；留空不限",
    )
    is_active = models.BooleanField("在办", default=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "科技贷款产品"
        verbose_name_plural = "科技贷款产品"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        shares = [self.pool_share, self.bank_share, self.guarantor_share]
        if all(s is not None for s in shares) and sum(shares) != HUNDRED:
            raise ValidationError(
                f"资金池、银行、担保机构分担比例之和须为100%（现为{sum(shares):g}%）。"
            )

    @property
    def title_labels(self) -> list[str]:
        from xinzhi.enterprises.choices import TitleType

        labels = dict(TitleType.choices)
        return [labels.get(code, code) for code in self.qualifying_titles]


class Loan(ScopedModel, TimeStampedModel):
    """One enterprise's tech loan through its life cycle (科技贷款)."""

    SCOPE = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="loans",
    )
    product = models.ForeignKey(
        LoanProduct, verbose_name="贷款产品", on_delete=models.PROTECT, related_name="loans"
    )
    bank = models.ForeignKey(Bank, verbose_name="贷款银行", on_delete=models.PROTECT)
    applied_on = models.DateField("申请日期")
    amount_requested = required_money("申请金额")
    purpose = models.CharField("用途", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=LoanStatus.choices, default=LoanStatus.APPLIED, db_index=True
    )
    decided_on = models.DateField("审批日期", null=True, blank=True)
    approved_amount = money("审批金额")
    refusal_reason = models.CharField("拒绝原因", max_length=300, blank=True)
    disbursed_on = models.DateField("放款日期", null=True, blank=True, db_index=True)
    disbursed_amount = money("放款金额")
    term_months = models.PositiveSmallIntegerField(
        "期限（月）",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message="期限至少1个月"), MaxValueValidator(120)],
    )
    rate = DecimalField(
        "年利率",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0), message="利率不能为负数")],
        help_text="%",
    )
    maturity_on = models.DateField("到期日", null=True, blank=True)
    balance = required_money("贷款余额")
    repaid_amount = required_money("累计还款")
    settled_on = models.DateField("结清日期", null=True, blank=True)
    overdue_on = models.DateField("逾期日期", null=True, blank=True)
    compensated_on = models.DateField("代偿日期", null=True, blank=True)
    compensation_amount = required_money("资金池代偿")
    recovered_amount = required_money("追偿回收")
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "科技贷款"
        verbose_name_plural = "科技贷款"
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["product", "disbursed_on"]),
            models.Index(fields=["enterprise", "product"]),
        ]

    def __str__(self) -> str:
        return f"{self.product}·{self.enterprise}（{self.applied_on:%Y-%m-%d}）"

    def get_absolute_url(self) -> str:
        return reverse("finance:loan_detail", args=[self.pk])

    @property
    def is_outstanding(self) -> bool:
        return self.status in OUTSTANDING_STATUSES

    @property
    def annual_subsidy(self) -> Decimal | None:
        """贴息 per year under the product's rule: interest × 贴息比例, within the yearly cap."""
        product = self.product
        if not (self.disbursed_amount and self.rate and product.subsidy_rate):
            return None
        interest = self.disbursed_amount * self.rate / HUNDRED
        subsidy = (interest * product.subsidy_rate / HUNDRED).quantize(Decimal("0.01"))
        return min(subsidy, product.subsidy_cap) if product.subsidy_cap is not None else subsidy


class Repayment(ScopedModel, TimeStampedModel):
    """还款 (principal); from the officer or a bank's monthly ledger."""

    SCOPE = Scope(jurisdiction="loan__enterprise__jurisdiction", enterprise="loan__enterprise_id")

    loan = models.ForeignKey(
        Loan, verbose_name="贷款", on_delete=models.CASCADE, related_name="repayments"
    )
    paid_on = models.DateField("还款日期")
    amount = required_money("还款本金")
    source = models.CharField("来源", max_length=20, default="手工登记")
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "还款记录"
        verbose_name_plural = "还款记录"
        ordering = ["paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.paid_on:%Y-%m-%d} 还款 {self.amount}万元"


class PoolEntry(TimeStampedModel):
    """资金池流水: 注资, 代偿 (with the loan) and 追偿回收. Append-only history."""

    pool = models.ForeignKey(
        GuaranteePool, verbose_name="资金池", on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField("类型", max_length=12, choices=PoolEntryKind.choices)
    on = models.DateField("日期", db_index=True)
    amount = required_money("金额")
    loan = models.ForeignKey(
        Loan,
        verbose_name="贷款",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    # The loan balance closed by a compensation: it leaves the pool's outstanding on that day.
    loan_balance = money("代偿时贷款余额")
    note = models.CharField("说明", max_length=200, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "资金池流水"
        verbose_name_plural = "资金池流水"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}万元（{self.on:%Y-%m-%d}）"


class ServiceInstitution(TimeStampedModel):
    """长三角双创券服务机构 (district-wide reference data, edited by the admin)."""

    name = models.CharField("机构名称", max_length=120, unique=True)
    region = models.CharField("所在省市", max_length=10, choices=Region.choices)
    city = models.CharField("所在城市", max_length=20)
    service_types = models.JSONField("服务类型", default=list)
    status = models.CharField(
        "状态", max_length=10, choices=InstitutionStatus.choices, default=InstitutionStatus.ACTIVE
    )
    joined_on = models.DateField("入驻日期")
    exited_on = models.DateField("退出日期", null=True, blank=True)
    contact = models.CharField("联系人", max_length=60, blank=True)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "双创券服务机构"
        verbose_name_plural = "双创券服务机构"
        ordering = ["region", "city", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def service_type_labels(self) -> list[str]:
        labels = dict(ServiceType.choices)
        return [labels.get(code, code) for code in self.service_types]


class VoucherGrant(ScopedModel, TimeStampedModel):
    """双创券额度: what one enterprise may spend on institutions' services until the use-by date."""

    SCOPE = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="voucher_grants",
    )
    granted_on = models.DateField("发放日期")
    use_by = models.DateField("使用截止日期")
    quota = required_money("额度")
    redeemed_amount = required_money("已兑付")
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "双创券额度"
        verbose_name_plural = "双创券额度"
        ordering = ["-granted_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} 双创券 {self.quota}万元"

    def clean(self) -> None:
        if self.use_by and self.granted_on and self.use_by < self.granted_on:
            raise ValidationError({"use_by": "使用截止日期不能早于发放日期。"})

    @property
    def remaining(self) -> Decimal:
        return self.quota - self.redeemed_amount


class VoucherOrder(ScopedModel, TimeStampedModel):
    """双创券订单: an enterprise buys an institution's service, part paid by its voucher."""

    SCOPE = Scope(jurisdiction="grant__enterprise__jurisdiction", enterprise="grant__enterprise_id")

    grant = models.ForeignKey(
        VoucherGrant, verbose_name="双创券额度", on_delete=models.PROTECT, related_name="orders"
    )
    institution = models.ForeignKey(
        ServiceInstitution, verbose_name="服务机构", on_delete=models.PROTECT, related_name="orders"
    )
    service_type = models.CharField("服务类型", max_length=20, choices=ServiceType.choices)
    title = models.CharField("服务内容", max_length=120)
    contract_amount = required_money("合同金额")
    voucher_share = required_money("用券金额")
    status = models.CharField(
        "状态",
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.INITIATED,
        db_index=True,
    )
    initiated_on = models.DateField("发起日期")
    effective_on = models.DateField("生效日期", null=True, blank=True, db_index=True)
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    redeemed_on = models.DateField("兑付日期", null=True, blank=True, db_index=True)
    redeemed_amount = required_money("兑付金额")
    void_reason = models.CharField("作废原因", max_length=200, blank=True)
    # Derived when the order is made (and when the institution moves), never typed:
    # the institution is outside the enterprise's city.
    is_cross_region = models.BooleanField("跨区订单", default=False, editable=False)
    is_demo = models.BooleanField("示例数据", default=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)

    class Meta:
        verbose_name = "双创券订单"
        verbose_name_plural = "双创券订单"
        ordering = ["-initiated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title}（{self.institution}）"

    def get_absolute_url(self) -> str:
        return reverse("finance:order_detail", args=[self.pk])

    def clean(self) -> None:
        if (
            self.voucher_share is not None
            and self.contract_amount is not None
            and self.voucher_share > self.contract_amount
        ):
            raise ValidationError({"voucher_share": "用券金额不能超过合同金额。"})


class EquityRound(ScopedModel, TimeStampedModel):
    """股权融资: one closed round of an enterprise."""

    SCOPE = ENTERPRISE_SCOPE

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="企业",
        on_delete=models.PROTECT,
        related_name="equity_rounds",
    )
    round_name = models.CharField("轮次", max_length=12, choices=RoundName.choices)
    closed_on = models.DateField("交割日期")
    amount = required_money("融资金额")
    investors = models.CharField("投资方", max_length=300)
    post_money_valuation = money("投后估值")
    is_institutional = models.BooleanField("专业机构投资", default=True)
    is_demo = models.BooleanField("示例数据", default=False)

    class Meta:
        verbose_name = "股权融资"
        verbose_name_plural = "股权融资"
        ordering = ["-closed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_round_name_display()} {self.amount}万元"
