"""Input shapes for the ladder pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from xinzhi.core.forms import BootstrapMixin
from xinzhi.cultivation.choices import LadderStage
from xinzhi.cultivation.models import QualificationProfile
from xinzhi.cultivation.services import PROFILE_EDITABLE


class MoveForm(BootstrapMixin, forms.Form):
    family = forms.CharField(widget=forms.HiddenInput)
    stage = forms.ChoiceField(label="阶段", choices=LadderStage.choices)
    note = forms.CharField(label="说明", required=False, max_length=300)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class WhatIfForm(BootstrapMixin, forms.Form):
    """What-if inputs (模拟测算): new values for the last fiscal year; nothing is saved."""

    rd_expense = forms.DecimalField(
        label="研发费用（万元）", required=False, min_value=0, max_digits=16, decimal_places=2
    )
    revenue = forms.DecimalField(
        label="销售收入（万元）", required=False, min_value=0, max_digits=16, decimal_places=2
    )
    employees = forms.IntegerField(label="职工总数", required=False, min_value=0)
    tech_staff = forms.IntegerField(label="科技人员数", required=False, min_value=0)
    ip_class1 = forms.IntegerField(label="Ⅰ类知识产权（件）", required=False, min_value=0)
    ip_class2 = forms.IntegerField(label="Ⅱ类知识产权（件）", required=False, min_value=0)
    conversions_3y = forms.IntegerField(label="近三年成果转化（项）", required=False, min_value=0)

    def __init__(self, *args, year: int, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["rd_expense"].label = f"{year}年研发费用（万元）"
        self.fields["revenue"].label = f"{year}年销售收入（万元）"
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        employees, tech = data.get("employees"), data.get("tech_staff")
        if employees is not None and tech is not None and tech > employees:
            self.add_error("tech_staff", "科技人员数不能超过职工总数。")
        return data

    def _paths(self) -> dict[str, str]:
        """Form field → the engine's change path."""
        return {
            "rd_expense": f"financials.{self.year}.rd_expense",
            "revenue": f"financials.{self.year}.revenue",
            "employees": "employees",
            "tech_staff": "tech_staff",
            "ip_class1": "ip.class1",
            "ip_class2": "ip.class2",
            "conversions_3y": "conversions_3y",
        }

    def describe(self, changes: dict[str, Any]) -> list[tuple[str, Any]]:
        """(Chinese label, new value) for each change path, e.g. “2025年研发费用（万元）”."""
        labels = {path: str(self.fields[name].label) for name, path in self._paths().items()}
        return [(labels.get(path, path), value) for path, value in changes.items()]

    def changes(self, initial: dict[str, Any]) -> dict[str, Any]:
        """Engine change paths for the values that differ from the current facts."""
        out = {}
        for name, path in self._paths().items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            current = initial.get(name)
            if current is None or Decimal(str(value)) != Decimal(str(current)):
                out[path] = value
        return out


class ProfileForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = QualificationProfile
        fields = list(PROFILE_EDITABLE)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()
