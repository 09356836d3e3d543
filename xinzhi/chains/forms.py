"""Forms of the chain pages (入链、补链招商目标、转为招商项目)."""

from __future__ import annotations

from django import forms

from xinzhi.accounts.models import User
from xinzhi.attraction.filters import responsible_officers
from xinzhi.chains.choices import FunctionKind, MemberRole
from xinzhi.chains.models import GapTarget
from xinzhi.core.forms import BootstrapMixin


class MembershipForm(BootstrapMixin, forms.Form):
    """Place an enterprise on a node: a local one by credit code or full name, or an outside one."""

    enterprise = forms.CharField(
        label="本地企业",
        max_length=120,
        required=False,
        help_text="统一社会信用代码或企业全称（须在企业库中，且在您的管辖范围内）",
    )
    outside_name = forms.CharField(label="外地企业名称", max_length=120, required=False)
    outside_region = forms.CharField(label="外地企业所在地", max_length=40, required=False)
    role = forms.ChoiceField(label="链上角色", choices=MemberRole.choices)
    function_kind = forms.ChoiceField(
        label="功能类型",
        choices=[("", "—")] + FunctionKind.choices,
        required=False,
        help_text="仅功能性机构填写",
    )
    joined_on = forms.DateField(
        label="入链日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, allow_outside: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if not allow_outside:
            del self.fields["outside_name"]
            del self.fields["outside_region"]
        self._style()

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("enterprise", "").strip() and not data.get("outside_name", "").strip():
            raise forms.ValidationError("请填写本地企业，或外地企业名称。")
        return data


class TargetForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = GapTarget
        fields = ["name", "region", "reason", "source", "proposed_role"]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class ConvertForm(BootstrapMixin, forms.Form):
    """转为招商项目: the 板块 the lead is registered in and its responsible officer."""

    jurisdiction = forms.ModelChoiceField(label="所属板块", queryset=None)
    officer = forms.ModelChoiceField(label="责任人", queryset=None, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        self.fields["jurisdiction"].label_from_instance = lambda j: j.label
        self.fields["officer"].queryset = responsible_officers(user)
        self.fields["officer"].label_from_instance = lambda u: u.display_name
        self._style()


class TargetStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("open", "待接洽"), ("shelved", "暂缓")])
    version = forms.IntegerField()


class LeadLinkForm(BootstrapMixin, forms.Form):
    """关联已有招商项目: a lead the user may see, and the role its enterprise takes on landing."""

    lead = forms.ModelChoiceField(label="招商项目", queryset=None)
    role = forms.ChoiceField(label="落地后角色", choices=MemberRole.choices, initial="general")

    def __init__(self, *args, leads, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["lead"].label_from_instance = lambda lead: (
            f"{lead.name}（{lead.jurisdiction.label}，{lead.stage.name}）"
        )
        self._style()
