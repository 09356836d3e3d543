from django.contrib import admin

from xinzhi.attraction.models import Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """招商阶段 are data: order, name, code, 停滞预警天数 and whether a stage may be skipped."""

    list_display = ("order", "name", "code", "stale_after_days", "may_skip", "is_active")
    list_editable = ("stale_after_days", "may_skip", "is_active")
    ordering = ("order",)
