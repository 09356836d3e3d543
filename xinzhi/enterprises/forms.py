"""Input shapes for the enterprise pages; business rules live in services."""

from django import forms

from xinzhi.accounts.models import User
from xinzhi.core.exceptions import ConcurrentEditError
from xinzhi.core.forms import BootstrapMixin
from xinzhi.enterprises.models import AnnualFigures, Enterprise, IntellectualProperty, TitleHeld
from xinzhi.enterprises.services import ENTERPRISE_FIELDS, FIGURE_FIELDS, TITLE_FIELDS
from xinzhi.enterprises.validators import normalize_credit_code


class EnterpriseForm(BootstrapMixin, forms.ModelForm):
    tags_text = forms.CharField(
        label="产业链标签",
        required=False,
        help_text="多个标签用顿号或逗号分隔，如：新能源汽车、车载芯片",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = list(ENTERPRISE_FIELDS)
        widgets = {
            "registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["tags_text"].initial = "、".join(t.name for t in self.instance.tags.all())
        self._style()

    def clean_credit_code(self) -> str:
        return normalize_credit_code(self.cleaned_data["credit_code"])


class FiguresForm(BootstrapMixin, forms.ModelForm):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2100)
    updated_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = AnnualFigures
        fields = list(FIGURE_FIELDS)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["year"].initial = self.instance.year
            self.fields["year"].disabled = True
            self.fields["updated_at"].initial = self.instance.updated_at
        self._style()

    def validate_unique(self) -> None:
        # The service creates or replaces the year's row; uniqueness is not a form error here.
        pass

    def clean(self) -> dict:
        cleaned = super().clean()
        # Editing a stored year without the token read with the page cannot be checked for a
        # concurrent edit: refuse rather than overwrite (并发保护不能被绕过).
        if self.instance.pk and not cleaned.get("updated_at"):
            raise forms.ValidationError(ConcurrentEditError().message, code="conflict")
        return cleaned


class TitleForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TitleHeld
        fields = list(TITLE_FIELDS)
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class IPForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = IntellectualProperty
        fields = ["kind", "number", "title", "granted_on", "self_developed", "high_value"]
        widgets = {"granted_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()
