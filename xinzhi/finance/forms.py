"""Input shapes for the 科技金融 pages; business rules live in services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.forms import BootstrapMixin
from xinzhi.enterprises.models import Enterprise
from xinzhi.finance.choices import RoundName, ServiceType
from xinzhi.finance.models import Bank, LoanProduct, ServiceInstitution
from xinzhi.finance.services import INSTITUTION_FIELDS

DATE = {"type": "date"}


def date_field(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs=DATE),
    )


def amount_field(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label}（万元）",
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )


class _Form(BootstrapMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class EnterpriseField(forms.CharField):
    """An enterprise named by its full name or 统一社会信用代码, among those the user sees."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        kwargs.setdefault("label", "企业（全称或统一社会信用代码）")
        kwargs.setdefault("max_length", 120)
        super().__init__(**kwargs)
        self.user: User | None = None

    def clean(self, value: str) -> Enterprise:  # type: ignore[override]
        text = super().clean(value).strip()
        match = list(
            Enterprise.objects.visible_to(self.user)
            .filter(Q(name=text) | Q(credit_code=text.upper()))
            .order_by("pk")[:2]
        )
        if not match:
            raise forms.ValidationError("在您的管辖范围内找不到该企业，请核对全称或信用代码。")
        return match[0]


class _EnterpriseForm(_Form):
    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].user = user


class LoanApplyForm(_EnterpriseForm):
    enterprise = EnterpriseField()
    product = forms.ModelChoiceField(
        label="贷款产品", queryset=LoanProduct.objects.filter(is_active=True)
    )
    bank = forms.ModelChoiceField(label="贷款银行", queryset=Bank.objects.all())
    applied_on = date_field("申请日期")
    amount = amount_field("申请金额")
    purpose = forms.CharField(label="用途", max_length=200, required=False)


class DecideForm(_Form):
    approved = forms.TypedChoiceField(
        label="审批结果",
        choices=[("1", "审批通过"), ("0", "银行拒绝")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    on = date_field("审批日期")
    amount = amount_field("审批金额", required=False)
    reason = forms.CharField(label="拒绝原因", max_length=300, required=False)


class DisburseForm(_Form):
    on = date_field("放款日期")
    amount = amount_field("放款金额")
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=120, initial=12)
    rate = forms.DecimalField(
        label="年利率（%）", max_digits=5, decimal_places=2, min_value=Decimal(0)
    )


class RepayForm(_Form):
    on = date_field("还款日期")
    amount = amount_field("还款本金")


class OverdueForm(_Form):
    on = date_field("逾期日期")


class CompensateForm(_Form):
    on = date_field("代偿日期")
    amount = amount_field("代偿金额", required=False)


class RecoverForm(_Form):
    on = date_field("回收日期")
    amount = amount_field("回收金额")


class CapitalForm(_Form):
    on = date_field("注资日期")
    amount = amount_field("注资金额")
    note = forms.CharField(label="说明", max_length=200, required=False)


class InstitutionForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    service_types = forms.MultipleChoiceField(
        label="服务类型", choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ServiceInstitution
        fields = list(INSTITUTION_FIELDS)
        widgets = {"joined_on": forms.DateInput(attrs=DATE)}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()


class GrantForm(_EnterpriseForm):
    enterprise = EnterpriseField()
    granted_on = date_field("发放日期")
    use_by = forms.DateField(label="使用截止日期", widget=forms.DateInput(attrs=DATE))
    quota = amount_field("额度")


class OrderForm(_EnterpriseForm):
    enterprise = EnterpriseField()
    institution = forms.ModelChoiceField(
        label="服务机构", queryset=ServiceInstitution.objects.filter(status="active")
    )
    service_type = forms.ChoiceField(label="服务类型", choices=ServiceType.choices)
    title = forms.CharField(label="服务内容", max_length=120)
    contract_amount = amount_field("合同金额")
    voucher_share = amount_field("用券金额")
    initiated_on = date_field("发起日期")


class OrderStepForm(_Form):
    on = date_field("日期")


class RedeemForm(_Form):
    on = date_field("兑付日期")
    amount = amount_field("兑付金额")


class VoidForm(_Form):
    reason = forms.CharField(label="作废原因", max_length=200)


class RoundForm(_EnterpriseForm):
    enterprise = EnterpriseField()
    round_name = forms.ChoiceField(label="轮次", choices=RoundName.choices)
    closed_on = date_field("交割日期")
    amount = amount_field("融资金额")
    investors = forms.CharField(label="投资方", max_length=300)
    post_money_valuation = amount_field("投后估值", required=False)
    is_institutional = forms.BooleanField(label="专业机构投资", required=False, initial=True)
