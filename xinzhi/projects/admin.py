from django.contrib import admin

from xinzhi.projects.models import MilestoneKind, ProjectType, WarningSettings


class MilestoneKindInline(admin.TabularInline):
    model = MilestoneKind
    extra = 0


@admin.register(ProjectType)
class ProjectTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order", "is_active")
    inlines = [MilestoneKindInline]


@admin.register(WarningSettings)
class WarningSettingsAdmin(admin.ModelAdmin):
    list_display = ("report_due_day", "late_grace_days")
