from django import forms
from django.contrib import admin

from xinzhi.dashboards.computations import computation_choices
from xinzhi.dashboards.models import Indicator


class IndicatorAdminForm(forms.ModelForm):
    computation = forms.ChoiceField(
        label="计算方式",
        choices=computation_choices,
        required=False,
        help_text="平台记录计算的口径；选“手工填报”则按期填写数值并注明来源",
    )

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "unit",
            "period_type",
            "cumulative",
            "direction",
            "computation",
            "source_note",
            "order",
            "is_key",
            "is_active",
        ]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """指标库 is data: name, unit, period, computation or manual, 口径, order, cockpit flag.

    The code is what the monthly briefing's sentence templates name: change it with care.
    """

    form = IndicatorAdminForm
    list_display = (
        "order",
        "code",
        "name",
        "unit",
        "period_type",
        "computation",
        "is_key",
        "is_active",
    )
    list_editable = ("is_key", "is_active")
    ordering = ("order",)
