"""Input shapes of the enterprise side (企业服务端)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from xinzhi.attraction.choices import AftercareType
from xinzhi.core.forms import BootstrapMixin
from xinzhi.enterprises.services import FIGURE_FIELDS
from xinzhi.portal.models import Declaration


class InvitationForm(BootstrapMixin, forms.Form):
    credit_code = forms.CharField(label="统一社会信用代码", max_length=30)
    contact_name = forms.CharField(label="联系人姓名", max_length=60)
    mobile = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    is_manager = forms.BooleanField(
        label="设为企业管理员（可邀请本企业其他联系人）", required=False
    )

    def __init__(self, *args, manager_only: bool = False, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        if manager_only:  # an enterprise manager invites colleagues of their own enterprise
            del self.fields["is_manager"]
            self.fields["credit_code"].widget = forms.HiddenInput()
        self._style()


class AcceptForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=150, help_text="登录时使用，字母或数字")
    password1 = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return cleaned


class DeclarationForm(BootstrapMixin, forms.ModelForm):
    year = forms.IntegerField(label="年度", min_value=1990)

    class Meta:
        model = Declaration
        fields = ["year", *FIGURE_FIELDS]

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        last = timezone.localdate().year - 1
        self.fields["year"].max_value = last
        self.fields["year"].widget.attrs["max"] = last
        self.fields["year"].initial = last
        for name in FIGURE_FIELDS:
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self._style()

    def validate_unique(self) -> None:
        # One waiting declaration per year is the service's rule, with its own message.
        pass


class AcceptValuesForm(BootstrapMixin, forms.ModelForm):
    """The officer's accepted values, prefilled with the declared ones (may be corrected)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Declaration
        fields = list(FIGURE_FIELDS)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        self._style()

    def validate_unique(self) -> None:
        pass


class ReturnForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label="退回原因", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()


class ServiceRequestForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="诉求类型", choices=AftercareType.choices)
    title = forms.CharField(label="诉求事项", max_length=120)
    description = forms.CharField(
        label="具体说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self._style()
