"""Input shapes for the 统计报告 pages; business rules live in services."""

from __future__ import annotations

import datetime as dt

from django import forms

from xinzhi.briefings.models import Briefing, Section, SentenceTemplate
from xinzhi.core.forms import BootstrapMixin

DISTRICT = "district"
MONTHS = [(m, f"{m}月") for m in range(1, 13)]


class PeriodForm(BootstrapMixin, forms.Form):
    """统计期 and 统计范围 of a briefing or a report; units are the caller's `visible_units`."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(label="截至月份", choices=MONTHS, coerce=int)
    unit = forms.ChoiceField(label="统计范围")

    def __init__(
        self, *args, units: list[tuple[int | None, str]], default: tuple[int, int], **kwargs
    ) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [
            (DISTRICT if unit_id is None else str(unit_id), "全区" if unit_id is None else name)
            for unit_id, name in units
        ]
        self.fields["year"].initial, self.fields["month"].initial = default
        self._style()

    def jurisdiction_id(self) -> int | None:
        unit = self.cleaned_data["unit"]
        return None if unit == DISTRICT else int(unit)

    def through(self) -> dt.date:
        from xinzhi.briefings.selectors import month_end

        return month_end(self.cleaned_data["year"], self.cleaned_data["month"])


class DraftForm(forms.Form):
    """The briefing's paragraphs, one textarea each (headings stay as generated)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, briefing: Briefing, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = briefing.version
        for index, paragraph in enumerate(briefing.paragraphs):
            self.fields[f"text_{index}"] = forms.CharField(
                label=paragraph["heading"],
                initial=paragraph["text"],
                widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
                required=False,
            )
        self.count = len(briefing.paragraphs)

    def texts(self) -> list[str]:
        return [self.cleaned_data.get(f"text_{i}") or "" for i in range(self.count)]


class SentenceTemplateForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = SentenceTemplate
        fields = ["section", "order", "text", "rank_text", "joiner", "is_active"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self.fields["rank_text"].required = False
        self._style()


class SectionForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Section
        fields = ["title", "opening", "order"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._style()


class NewSentenceTemplateForm(BootstrapMixin, forms.ModelForm):
    """A sentence for an indicator of the library that has none yet."""

    code = forms.ChoiceField(label="指标")

    class Meta:
        model = SentenceTemplate
        fields = ["code", "section", "order", "text", "rank_text", "joiner", "is_active"]

    def __init__(self, *args, indicators: list[tuple[str, str]], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        taken = set(SentenceTemplate.objects.values_list("code", flat=True))
        self.fields["code"].choices = [
            (code, f"{name}（{code}）") for code, name in indicators if code not in taken
        ]
        self.fields["rank_text"].required = False
        self.fields["text"].initial = "{名称}{实际}{单位}"
        self._style()
