"""Input shapes for the 科技招商 pages; business rules live in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction.choices import AftercareStatus, LostReason, ReferralStatus
from xinzhi.attraction.filters import responsible_officers
from xinzhi.attraction.models import AftercareRequest, Docking, Lead, Stage, TalentReferral
from xinzhi.attraction.services import (
    AFTERCARE_FIELDS,
    DOCKING_FIELDS,
    LEAD_FIELDS,
    REFERRAL_FIELDS,
)
from xinzhi.core.forms import BootstrapMixin

DATE = {"type": "date"}


class LeadForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Lead
        fields = list(LEAD_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "team_background": forms.Textarea(attrs={"rows": 2}),
            "tech_strength": forms.Textarea(attrs={"rows": 2}),
            "market_strength": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        # Only officers who can open a lead of the actor's 板块 (the service checks the 板块).
        self.fields["officer"].queryset = responsible_officers(user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["officer"].initial = user.pk
            self.fields["jurisdiction"].initial = user.jurisdiction_id
        self._style()


class MoveForm(BootstrapMixin, forms.Form):
    """阶段变更: the stage select + 移动 button on every board card and the detail page."""

    stage = forms.ModelChoiceField(
        label="目标阶段", queryset=Stage.objects.filter(is_active=True), empty_label=None
    )
    note = forms.CharField(label="说明", required=False, max_length=500)
    on = forms.DateField(label="变更日期", required=False, widget=forms.DateInput(attrs=DATE))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class DockingForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = Docking
        fields = list(DOCKING_FIELDS)
        widgets = {
            "held_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "next_follow_up_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()
        self._style()


class LandForm(BootstrapMixin, forms.Form):
    """落地登记: link an enterprise already in the 企业库 or create its master record."""

    mode = forms.ChoiceField(
        label="方式",
        choices=[("create", "新建企业（录入企业库）"), ("link", "关联已有企业")],
        widget=forms.RadioSelect,
        initial="create",
    )
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30)
    name = forms.CharField(label="企业名称", max_length=120, required=False)
    registered_on = forms.DateField(
        label="成立日期", required=False, widget=forms.DateInput(attrs=DATE)
    )
    legal_representative = forms.CharField(label="法定代表人", max_length=60, required=False)
    address = forms.CharField(label="注册地址", max_length=200, required=False)
    on = forms.DateField(label="落地日期", required=False, widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", required=False, max_length=500)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["mode"].widget.attrs["class"] = "form-check-input"


class DropForm(BootstrapMixin, forms.Form):
    reason = forms.ChoiceField(label="流失原因", choices=[("", "请选择"), *LostReason.choices])
    note = forms.CharField(label="说明", required=False, max_length=300)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False  # the service says what is missing
        self._style()


class AftercareForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = AftercareRequest
        fields = list(AFTERCARE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = responsible_officers(user)
        self._style()


class AftercareAdvanceForm(BootstrapMixin, forms.Form):
    status = forms.ChoiceField(
        label="办理状态",
        choices=[(AftercareStatus.IN_PROGRESS, "办理中"), (AftercareStatus.CLOSED, "已办结")],
    )
    resolution = forms.CharField(
        label="办理结果", required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class ReferralForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TalentReferral
        fields = [f for f in REFERRAL_FIELDS if f != "lead"]
        widgets = {"pushed_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d")}

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        self.fields["pushed_on"].initial = timezone.localdate()
        self._style()


class ReferralAdvanceForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=ReferralStatus.choices)
