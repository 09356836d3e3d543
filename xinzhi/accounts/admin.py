from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from xinzhi.accounts.models import ApiToken, Jurisdiction, User


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "parent", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "role", "jurisdiction", "is_active"]
    list_filter = ["role", "jurisdiction", "is_active"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            "平台角色",
            {
                "fields": [
                    "role",
                    "full_name",
                    "jurisdiction",
                    "enterprise",
                    "phone",
                    "employer",
                    "expertise",
                ]
            },
        ),
    )
    raw_id_fields = ["enterprise"]


class ApiTokenAdminForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["user", "name", "expires_at", "revoked_at"]
        help_texts = {
            "expires_at": "签发时默认一年后到期；到期后请用 create_api_token 重新签发。"
            "留空表示永不过期，不建议。",
        }


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenAdminForm
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "expires_at", "revoked_at", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:  # noqa: ANN001
        return False  # issued with `xinzhi create_api_token`, which shows the key once
