"""Input shapes for the 创新生态 pages; business rules live in services."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction.filters import responsible_officers
from xinzhi.core.forms import BootstrapMixin
from xinzhi.ecosystem.choices import CarrierKind, ListingStage, SpellOutcome, TaskStatus
from xinzhi.ecosystem.models import (
    Carrier,
    ChallengeTask,
    Competition,
    CompetitionEntry,
    ConsortiumMember,
    ListingCandidate,
    TaskMilestone,
)
from xinzhi.ecosystem.services import (
    CARRIER_FIELDS,
    COMPETITION_FIELDS,
    LISTING_FIELDS,
    MEMBER_FIELDS,
    MILESTONE_FIELDS,
    RESULT_FIELDS,
    TASK_FIELDS,
)
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.validators import normalize_credit_code

DATE = {"type": "date"}


def _date_widgets(*names: str) -> dict[str, forms.Widget]:
    return {n: forms.DateInput(attrs=DATE) for n in names}


class EnterpriseByCodeField(forms.CharField):
    """An enterprise the user may see, typed as its 统一社会信用代码 (scales to any 企业库)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("label", "企业统一社会信用代码")
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)
        self.user: User | None = None

    def clean(self, value: str) -> Enterprise | None:
        value = super().clean(value)
        if not value:
            return None
        code = normalize_credit_code(value).upper()
        enterprise = Enterprise.objects.visible_to(self.user).filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError("企业库中没有该信用代码的企业，或不在您的管辖范围内。")
        return enterprise


class _UserForm(BootstrapMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            if isinstance(field, EnterpriseByCodeField):
                field.user = user
        if "jurisdiction" in self.fields:
            self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        if self.instance.pk and hasattr(self.instance, "version"):
            self.fields["version"].initial = self.instance.version
        self._style()


class CarrierForm(_UserForm):
    host_enterprise = EnterpriseByCodeField(label="依托企业信用代码", required=False)

    class Meta:
        model = Carrier
        fields = list(CARRIER_FIELDS)
        widgets = {
            **_date_widgets("established_on", "recognised_on"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if self.instance.host_enterprise_id:
            self.initial["host_enterprise"] = self.instance.host_enterprise.credit_code


class PushLeadForm(BootstrapMixin, forms.Form):
    """A project the carrier pushes, registered as a new 招商 lead (线索)."""

    name = forms.CharField(label="项目名称", max_length=120)
    summary = forms.CharField(
        label="项目简介", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_region = forms.CharField(label="来源地区", max_length=40, required=False)
    segment = forms.CharField(label="产业链/细分领域", max_length=40, required=False)
    team_leader = forms.CharField(label="团队负责人", max_length=60, required=False)
    jurisdiction = forms.ModelChoiceField(label="对接板块", queryset=None)
    officer = forms.ModelChoiceField(label="责任人", queryset=None, required=False)
    pushed_on = forms.DateField(label="推送日期", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = user.visible_jurisdictions()
        self.fields["jurisdiction"].initial = user.jurisdiction_id
        self.fields["officer"].queryset = responsible_officers(user)
        self.fields["officer"].initial = user.pk
        self.fields["pushed_on"].initial = timezone.localdate()
        self._style()

    def lead_data(self) -> dict:
        data = self.cleaned_data
        return {
            k: data[k]
            for k in (
                "name",
                "summary",
                "source_region",
                "segment",
                "team_leader",
                "jurisdiction",
                "officer",
            )
        }


class LinkLeadForm(BootstrapMixin, forms.Form):
    lead = forms.ModelChoiceField(label="已有招商项目", queryset=None)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, leads, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self._style()


class SpellForm(BootstrapMixin, forms.Form):
    enterprise = EnterpriseByCodeField()
    entered_on = forms.DateField(label="入孵日期", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].user = user
        self._style()


class _StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class SpellCloseForm(_StyledForm):
    outcome = forms.ChoiceField(
        label="结果",
        choices=[(SpellOutcome.GRADUATED, "毕业"), (SpellOutcome.LEFT, "退出")],
    )
    left_on = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=300, required=False)


class MemberForm(_UserForm):
    enterprise = EnterpriseByCodeField(label="关联企业信用代码", required=False)

    class Meta:
        model = ConsortiumMember
        fields = list(MEMBER_FIELDS)


class TaskForm(_UserForm):
    team_enterprise = EnterpriseByCodeField(label="揭榜企业信用代码", required=False)

    class Meta:
        model = ChallengeTask
        fields = list(TASK_FIELDS)
        widgets = {
            **_date_widgets("published_on", "taken_on", "due_on"),
            "challenge": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["carrier"].queryset = Carrier.objects.filter(kind=CarrierKind.CONSORTIUM)


class TaskAdvanceForm(_StyledForm):
    status = forms.ChoiceField(label="推进到", choices=TaskStatus.choices)
    team = forms.CharField(label="揭榜团队", max_length=200, required=False)
    on = forms.DateField(label="日期", required=False, widget=forms.DateInput(attrs=DATE))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class MilestoneForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = TaskMilestone
        fields = list(MILESTONE_FIELDS)
        widgets = _date_widgets("planned_on", "done_on")

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class CompetitionForm(_UserForm):
    class Meta:
        model = Competition
        fields = list(COMPETITION_FIELDS)
        widgets = _date_widgets("held_on")


class EntryForm(_UserForm):
    enterprise = EnterpriseByCodeField(
        label="参赛企业信用代码",
        required=False,
        help_text="企业库中的企业填写信用代码；尚未注册的团队留空并填写团队名称",
    )

    class Meta:
        model = CompetitionEntry
        fields = [
            "competition",
            "track",
            "project_name",
            "enterprise",
            "team_name",
            "team_leader",
            "contact_phone",
            "source_region",
            "jurisdiction",
            "entered_on",
        ]
        widgets = _date_widgets("entered_on")

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].required = False
        self.fields["jurisdiction"].help_text = "参赛企业默认为其所属板块"
        if not self.instance.pk:
            self.fields["jurisdiction"].initial = self.user.jurisdiction_id

    def _post_clean(self) -> None:
        # The service places an enterprise's entry in its 板块 and checks the rest.
        pass


class ResultForm(_UserForm):
    class Meta:
        model = CompetitionEntry
        fields = list(RESULT_FIELDS)


class ListingForm(_UserForm):
    enterprise = EnterpriseByCodeField(required=True)

    class Meta:
        model = ListingCandidate
        fields = ["enterprise", *LISTING_FIELDS]
        widgets = {**_date_widgets("entered_on"), "issues": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = responsible_officers(self.user)
        if self.instance.pk:
            del self.fields["enterprise"]
        else:
            self.fields["entered_on"].initial = timezone.localdate()

    def _post_clean(self) -> None:
        pass


class ListingMoveForm(_StyledForm):
    stage = forms.ChoiceField(label="目标阶段", choices=ListingStage.choices)
    on = forms.DateField(label="变更日期", required=False, widget=forms.DateInput(attrs=DATE))
    note = forms.CharField(label="说明", max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
