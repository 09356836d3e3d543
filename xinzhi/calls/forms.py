"""Input shapes for the call pages; business rules live in services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.calls.choices import APPLICATION_FIELDS, OPTIONAL_STAGES, Stage
from xinzhi.calls.models import Application, Call, Category, Criterion, plain
from xinzhi.calls.services import CALL_FIELDS, CALL_UPDATE_FIELDS, CategorySpec
from xinzhi.core.forms import BootstrapMixin
from xinzhi.enterprises.models import Enterprise

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


STAGE_CHOICES = [(s, Stage(s).label) for s in OPTIONAL_STAGES]
LABEL_TO_FIELD = {f.label: k for k, f in APPLICATION_FIELDS.items()}


class CallForm(BootstrapMixin, forms.ModelForm):
    stages = forms.MultipleChoiceField(
        label="启用的阶段",
        choices=STAGE_CHOICES,
        initial=list(OPTIONAL_STAGES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="申报与立项/认定阶段总是启用",
    )
    categories_text = forms.CharField(
        label="申报类别",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一个类别：名称｜资助上限（元，可空）｜必填字段（用顿号分隔，可空），"
        "如：软科学课题研究｜3000｜研究课题名称、常州市软科学课题立项编号",
    )

    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()

    def clean_categories_text(self) -> list[CategorySpec]:
        specs = []
        for line in self.cleaned_data["categories_text"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
            name = parts[0]
            cap = None
            if len(parts) > 1 and parts[1]:
                try:
                    cap = Decimal(parts[1].replace(",", ""))
                except InvalidOperation as exc:
                    raise forms.ValidationError(f"“{name}”的资助上限应为数字（元）。") from exc
            required = []
            if len(parts) > 2 and parts[2]:
                for label in parts[2].replace(",", "、").replace("，", "、").split("、"):
                    label = label.strip()
                    if label not in LABEL_TO_FIELD:
                        known = "、".join(LABEL_TO_FIELD)
                        raise forms.ValidationError(f"未知的字段“{label}”，可选：{known}")
                    required.append(LABEL_TO_FIELD[label])
            specs.append(CategorySpec(name=name, cap_yuan=cap, required_fields=required))
        if not specs:
            raise forms.ValidationError("至少需要一个申报类别。")
        return specs


class CallEditForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Call
        fields = list(CALL_UPDATE_FIELDS)
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._style()


class StagesForm(forms.Form):
    stages = forms.MultipleChoiceField(
        label="启用的阶段",
        choices=STAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def _extra_field(key: str, required: bool) -> forms.Field:
    spec = APPLICATION_FIELDS[key]
    common: dict[str, Any] = {
        "label": spec.label,
        "required": required,
        "help_text": spec.help_text,
    }
    if spec.kind == "int":
        return forms.IntegerField(min_value=0, **common)
    if spec.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if spec.kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, **common)
    return forms.CharField(max_length=200, **common)


class ApplicationForm(BootstrapMixin, forms.Form):
    """The application form of one category: common fields plus the category's own fields."""

    enterprise = forms.ModelChoiceField(label="申报企业", queryset=None, required=False)
    lead = forms.ModelChoiceField(label="或：招商项目", queryset=None, required=False)
    title = forms.CharField(label="项目名称", max_length=120)
    summary = forms.CharField(
        label="项目简介", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    field = forms.CharField(
        label="专业领域",
        max_length=60,
        required=False,
        help_text="如：新能源、先进制造；用于匹配评审专家",
    )
    requested_amount_yuan = forms.DecimalField(
        label="申请金额（元）", min_value=0, decimal_places=2, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args,  # noqa: ANN002
        user: User,
        category: Category,
        instance: Application | None = None,
        **kwargs,  # noqa: ANN003
    ) -> None:
        if instance is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": instance.title,
                "summary": instance.summary,
                "field": instance.field,
                "requested_amount_yuan": instance.requested_amount_yuan,
                "version": instance.version,
                **instance.extra,
            }
        super().__init__(*args, **kwargs)
        self.category = category
        self.instance = instance
        if instance is not None or user.role == Role.ENTERPRISE:
            del self.fields["enterprise"]
            del self.fields["lead"]
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user).order_by(
                "name"
            )
            from xinzhi.attraction.models import Lead

            self.fields["lead"].queryset = Lead.objects.visible_to(user).order_by("name")
        if category.cap_yuan is None:
            del self.fields["requested_amount_yuan"]
        else:
            self.fields["requested_amount_yuan"].help_text = f"上限 {category.cap_yuan:,.0f} 元"
        for key in category.required_fields:
            self.fields[key] = _extra_field(key, True)
        self._style()

    def data_for_service(self) -> dict[str, Any]:
        data = {k: self.cleaned_data.get(k) for k in ("title", "summary", "field")}
        if "requested_amount_yuan" in self.fields:
            data["requested_amount_yuan"] = self.cleaned_data.get("requested_amount_yuan")
        data["extra"] = {k: self.cleaned_data.get(k) for k in self.category.required_fields}
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="附件", widget=forms.ClearableFileInput(attrs={"class": "form-control"})
    )


class FormalReviewForm(BootstrapMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label="形式审查结论",
        choices=[("1", "通过"), ("0", "不通过")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="意见", max_length=300, required=False)


class AssignForm(BootstrapMixin, forms.Form):
    reviewer = forms.ModelChoiceField(label="评审专家", queryset=User.objects.none())

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            role=Role.REVIEWER, is_active=True
        ).order_by("username")
        self.fields["reviewer"].label_from_instance = lambda u: (
            f"{u.display_name}（{u.employer or '—'}；{u.expertise or '—'}）"
        )
        self._style()


class ScoreForm(BootstrapMixin, forms.Form):
    """One decimal field per rubric criterion (c<id>), a comment and, for a re-score, a reason."""

    comment = forms.CharField(
        label="评审意见", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    reason = forms.CharField(label="重新评分理由", max_length=300, required=False)

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        rescore: bool,
        **kwargs,  # noqa: ANN002, ANN003
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.name}（权重{plain(criterion.weight)}%，满分{plain(criterion.max_score)}）",
                min_value=0,
                max_value=criterion.max_score,
                decimal_places=2,
                help_text=criterion.descriptor
                + (
                    f"；门槛 {plain(criterion.min_score)} 分"
                    if criterion.min_score is not None
                    else ""
                ),
                widget=forms.NumberInput(
                    attrs={
                        "step": "0.5",
                        "data-weight": criterion.weight,
                        "data-max": criterion.max_score,
                    }
                ),
            )
        if rescore:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
        self.order_fields([f"c{c.pk}" for c in criteria] + ["comment", "reason"])
        self._style()

    def items(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}

    def criterion_fields(self) -> list[forms.BoundField]:
        return [self[f"c{c.pk}"] for c in self.criteria]


class DecisionForm(BootstrapMixin, forms.Form):
    approved = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "通过"), ("0", "不通过")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    certificate_no = forms.CharField(
        label="证书编号", max_length=40, required=False, help_text="留空则按前缀自动编号"
    )
    grant_amount_yuan = forms.DecimalField(
        label="资助金额（元）", min_value=0, decimal_places=2, required=False
    )
    note = forms.CharField(label="决定意见", max_length=300, required=False)

    def __init__(self, *args, call: Call, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if call.is_certification:
            del self.fields["grant_amount_yuan"]
        else:
            del self.fields["certificate_no"]
        self._style()


class RescoreRequestForm(BootstrapMixin, forms.Form):
    """申请重新评分: the reason the bureau admin approves and the new version keeps."""

    reason = forms.CharField(
        label="重新评分理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class DeclareRelationForm(BootstrapMixin, forms.Form):
    """利益关系声明 from the expert's review page (the application's enterprise)."""

    relation = forms.CharField(label="利益关系说明", max_length=120)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class RelationForm(DeclareRelationForm):
    """利益关系声明 recorded by the bureau admin on the expert pool page."""

    reviewer = forms.ModelChoiceField(label="评审专家", queryset=User.objects.none())
    credit_code = forms.CharField(label="企业统一社会信用代码", max_length=18)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = User.objects.filter(
            role=Role.REVIEWER, is_active=True
        ).order_by("username")
        self.order_fields(["reviewer", "credit_code", "relation"])
        self._style()

    def clean_credit_code(self) -> Enterprise:
        code = self.cleaned_data["credit_code"].strip().upper()
        enterprise = Enterprise.objects.unscoped().filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError("未找到该统一社会信用代码的企业。")
        return enterprise
