"""Input shapes for the ladder pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from xinzhi.core.forms import BootstrapMixin
from xinzhi.cultivation.choices import LadderStage, fact_label
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


def _plain(value: Any) -> Any:
    """100.00 → 100, 12.50 → 12.5: amounts read the same whichever database stored them."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


class WhatIfForm(BootstrapMixin, forms.Form):
    """What-if inputs (模拟测算): every fact the verdicts depend on, pre-filled; nothing is saved.

    The fields come from `selectors.what_if_fields` (the rule sets' `facts:` declarations);
    cross-field rules (主营 ≤ 收入, 境内研发 ≤ 研发, Ⅰ类细分 ≤ Ⅰ类 …) are the engine's shared
    validation, reported on the field by `add_engine_error`.
    """

    window = forms.ChoiceField(
        label="测算窗口",
        choices=[("now", "本次申报（现有数据）"), ("next", "下一申报窗口（当年数据按上年推算）")],
        initial="now",
        required=False,
    )

    def __init__(self, *args, fact_fields: list, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fact_fields = {f.name: f for f in fact_fields}
        for f in fact_fields:
            if f.kind == "int":
                field: forms.Field = forms.IntegerField(label=f.label, required=False, min_value=0)
            else:
                field = forms.DecimalField(
                    label=f.label,
                    required=False,
                    max_digits=20,
                    decimal_places=4 if f.kind == "ratio" else 2,
                )
            field.initial = f.current
            self.fields[f.name] = field
        self._style()

    def changes(self) -> list[dict[str, Any]]:
        """Engine changes for the values that differ from the current facts (blank = keep)."""
        out = []
        for name, f in self.fact_fields.items():
            value = self.cleaned_data.get(name)
            if value is None:
                continue
            if f.current is None or Decimal(str(value)) != Decimal(str(f.current)):
                out.append({"path": f.path, "value": value})
        return out

    def describe(self, changes: list[dict[str, Any]]) -> list[tuple[str, Any, Any]]:
        """(Chinese label, current value, new value) of each change."""
        by_path = {f.path: f for f in self.fact_fields.values()}
        out = []
        for change in changes:
            f = by_path.get(change["path"])
            label = f.label if f else fact_label(change["path"])
            new = change.get("value", change.get("delta"))
            out.append((label, _plain(f.current if f else None), _plain(new)))
        return out

    def add_engine_error(self, path: str, message: str) -> None:
        """Put the engine's validation message on the field it names (else on the form)."""
        field = next((n for n, f in self.fact_fields.items() if f.path == path), None)
        self.add_error(field, f"{fact_label(path)}：{message}" if field is None else message)


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
