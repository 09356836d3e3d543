"""Forms of targets, typed-in values and city rankings: shape only; the services decide."""

from __future__ import annotations

from django import forms

from xinzhi.core.forms import BootstrapMixin
from xinzhi.dashboards.models import CityRanking, Indicator, ManualValue, Target
from xinzhi.dashboards.selectors import sections
from xinzhi.dashboards.services import MANUAL_VALUE_FIELDS, RANKING_FIELDS, TARGET_FIELDS


class _RowForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True)
        if "jurisdiction" in self.fields:
            field = self.fields["jurisdiction"]
            field.queryset = field.queryset.filter(pk__in=[unit.pk for unit in sections()])
            field.empty_label = "全区"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()


class TargetForm(_RowForm):
    class Meta:
        model = Target
        fields = list(TARGET_FIELDS)


class ManualValueForm(_RowForm):
    class Meta:
        model = ManualValue
        fields = list(MANUAL_VALUE_FIELDS)


class CityRankingForm(_RowForm):
    class Meta:
        model = CityRanking
        fields = list(RANKING_FIELDS)
