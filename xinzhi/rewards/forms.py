"""Input shapes of the 政策兑现 pages (services do the checking that needs the database)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"})
TEXT = {"class": "form-control form-control-sm"}


class RunForm(forms.Form):
    year = forms.IntegerField(
        label="测算年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )


class BudgetForm(forms.Form):
    amount_wan = forms.DecimalField(
        label="年度预算（万元）",
        min_value=0,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={**TEXT, "step": "0.01"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=300, widget=forms.TextInput(attrs=TEXT))


class ApproveForm(forms.Form):
    override_reason = forms.CharField(
        label="超预算理由（仅超预算时填写，记入审计日志）",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=TEXT),
    )


class PublicityForm(forms.Form):
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=TEXT)
    )
    title = forms.CharField(
        label="公示标题", max_length=120, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    starts_on = forms.DateField(label="公示开始日期", widget=DATE)
    ends_on = forms.DateField(label="公示结束日期", widget=DATE)
    contact = forms.CharField(
        label="异议受理联系方式", max_length=120, required=False, widget=forms.TextInput(attrs=TEXT)
    )


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="拨付日期", widget=DATE, initial=timezone.localdate)
    voucher_no = forms.CharField(label="凭证号", max_length=60, widget=forms.TextInput(attrs=TEXT))


class ObjectionForm(forms.Form):
    entitlement = forms.IntegerField(
        label="异议事项", widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    submitter = forms.CharField(
        label="异议人（单位或姓名）", max_length=60, widget=forms.TextInput(attrs=TEXT)
    )
    contact = forms.CharField(
        label="联系方式", max_length=60, required=False, widget=forms.TextInput(attrs=TEXT)
    )
    content = forms.CharField(
        label="异议内容", max_length=2000, widget=forms.Textarea(attrs={**TEXT, "rows": 3})
    )


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="处理结果",
        choices=[("0", "异议不成立"), ("1", "异议成立（撤销该事项）")],
        coerce=lambda v: v == "1",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    resolution = forms.CharField(
        label="处理意见", max_length=300, widget=forms.TextInput(attrs=TEXT)
    )


class BankAccountForm(forms.Form):
    account_name = forms.CharField(label="户名", max_length=120, widget=forms.TextInput(attrs=TEXT))
    bank_name = forms.CharField(
        label="开户银行", max_length=120, widget=forms.TextInput(attrs=TEXT)
    )
    account_no = forms.CharField(
        label="银行账号", max_length=40, widget=forms.TextInput(attrs=TEXT)
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
