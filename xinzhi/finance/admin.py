from django.contrib import admin

from xinzhi.finance.models import Bank, GuaranteePool, LoanProduct


@admin.register(LoanProduct)
class LoanProductAdmin(admin.ModelAdmin):
    """科技贷款产品 are data: banks, guarantor, risk split, caps, 贴息 and qualifying titles."""

    list_display = (
        "name",
        "pool",
        "pool_share",
        "bank_share",
        "guarantor_share",
        "cap_per_enterprise",
        "rate_cap",
        "is_active",
    )
    filter_horizontal = ("banks",)


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name")


@admin.register(GuaranteePool)
class GuaranteePoolAdmin(admin.ModelAdmin):
    list_display = ("name", "manager", "leverage_cap")
