"""Forms of 项目推进; they shape input, the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.core.forms import BootstrapMixin
from xinzhi.enterprises.models import Enterprise
from xinzhi.projects.choices import AcceptanceResult, MidtermResult
from xinzhi.projects.models import FundedProject, KeyProject, ProjectType
from xinzhi.projects.services import FUNDED_FIELDS, PROJECT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m"]


def _officers(user: User) -> Any:
    from xinzhi.attraction.filters import responsible_officers

    return responsible_officers(user)


class _ProjectForm(BootstrapMixin, forms.ModelForm):
    # Declared, not generated: a generated field would query every enterprise unscoped.
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.unscoped().none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        self.fields["officer"].queryset = _officers(user)
        enterprise = self.fields["enterprise"]
        enterprise.queryset = Enterprise.objects.visible_to(user).order_by("name")
        enterprise.label = str(self._meta.model._meta.get_field("enterprise").verbose_name)
        enterprise.required = not self._meta.model._meta.get_field("enterprise").null
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._style()


class KeyProjectForm(_ProjectForm):
    class Meta:
        model = KeyProject
        fields = PROJECT_FIELDS
        widgets = {
            "reports_from": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["project_type"].queryset = ProjectType.objects.filter(is_active=True)
        if self.instance.pk:
            self.fields["project_type"].disabled = True
        else:
            today = timezone.localdate()
            for name, value in (
                ("year", today.year),
                ("plan_year", today.year),
                ("reports_from", today.replace(day=1)),
            ):
                self.fields[name].initial = value


class MilestoneForm(BootstrapMixin, forms.Form):
    planned_on = forms.DateField(label="计划日期", required=False, widget=DATE)
    actual_on = forms.DateField(label="实际日期", required=False, widget=DATE)
    note = forms.CharField(label="说明", required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class MilestonesForm(BootstrapMixin, forms.Form):
    """All of a project's milestones in one form: `planned_<id>` and `actual_<id>`."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, milestones: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milestones = milestones
        for m in milestones:
            self.fields[f"planned_{m.pk}"] = forms.DateField(
                label=f"{m.kind.name}计划日期", required=False, widget=DATE, initial=m.planned_on
            )
            self.fields[f"actual_{m.pk}"] = forms.DateField(
                label=f"{m.kind.name}实际日期", required=False, widget=DATE, initial=m.actual_on
            )
        self._style()

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(m, self[f"planned_{m.pk}"], self[f"actual_{m.pk}"]) for m in self.milestones]

    def dates(self) -> dict[int, tuple[Any, Any]]:
        data = self.cleaned_data
        return {m.pk: (data[f"planned_{m.pk}"], data[f"actual_{m.pk}"]) for m in self.milestones}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ReportForm(BootstrapMixin, forms.Form):
    """报送月报, with one optional problem to coordinate and site photos."""

    month = forms.DateField(
        label="月份",
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    invested_month = forms.DecimalField(
        label="当月完成投资（万元）", max_digits=16, decimal_places=2, min_value=0
    )
    invested_total = forms.DecimalField(
        label="累计完成投资（万元）", max_digits=16, decimal_places=2, min_value=0
    )
    progress = forms.CharField(label="形象进度", widget=forms.Textarea(attrs={"rows": 3}))
    issue_description = forms.CharField(label="需协调问题（可选）", required=False, max_length=500)
    issue_owner = forms.CharField(label="问题责任单位（人）", required=False, max_length=60)
    issue_due_on = forms.DateField(label="要求办结日期", required=False, widget=DATE)
    photos = MultipleFileField(label="现场照片", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class ReportEditForm(BootstrapMixin, forms.Form):
    invested_month = forms.DecimalField(
        label="当月完成投资（万元）", max_digits=16, decimal_places=2, min_value=0
    )
    invested_total = forms.DecimalField(
        label="累计完成投资（万元）", max_digits=16, decimal_places=2, min_value=0
    )
    progress = forms.CharField(label="形象进度", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class IssueForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label="问题描述", max_length=500)
    owner = forms.CharField(label="责任单位（人）", max_length=60)
    due_on = forms.DateField(label="要求办结日期", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class IssueCloseForm(BootstrapMixin, forms.Form):
    resolution = forms.CharField(label="办理结果", max_length=500)
    on = forms.DateField(label="办结日期", required=False, widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class FundedProjectForm(_ProjectForm):
    class Meta:
        model = FundedProject
        fields = FUNDED_FIELDS
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "approved_on": DATE,
            "partners": forms.Textarea(attrs={"rows": 3}),
        }


class FundedStageForm(BootstrapMixin, forms.Form):
    """中期检查 or 验收, one form: `step` says which."""

    step = forms.ChoiceField(
        label="登记", choices=[("midterm", "中期检查"), ("acceptance", "验收")]
    )
    on = forms.DateField(label="日期", widget=DATE)
    result = forms.ChoiceField(
        label="结论",
        choices=[
            ("", "请选择"),
            *[(f"midterm:{v}", f"中期检查{label}") for v, label in MidtermResult.choices],
            *[(f"acceptance:{v}", f"验收{label}") for v, label in AcceptanceResult.choices],
        ],
    )
    note = forms.CharField(label="意见/文件", required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        step, result = data.get("step"), data.get("result") or ""
        if step and result and not result.startswith(f"{step}:"):
            self.add_error("result", "结论与登记事项不一致。")
        elif result:
            data["result"] = result.split(":", 1)[1]
        return data
