"""The admin edits reward rules and budgets here (系统配置 → 政策兑现); entitlements move
only through the audited pages."""

from django.contrib import admin

from xinzhi.rewards.models import BudgetLine, RewardItem, RewardPolicy


class RewardItemInline(admin.StackedInline):
    model = RewardItem
    extra = 0
    fields = (
        "code",
        "name",
        "trigger",
        "amount_rule",
        "budget_line_code",
        "exclusive_group",
        "once_key",
        "note",
        "sort_order",
    )


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ("year", "code", "name", "amount_wan")


@admin.register(RewardPolicy)
class RewardPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "document_no",
        "effective_from",
        "effective_to",
        "is_example",
        "is_active",
    )
    list_editable = ("is_active",)
    inlines = [RewardItemInline, BudgetLineInline]
    readonly_fields = ("source",)
