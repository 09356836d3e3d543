from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.cache import cache
from django.db import models

from xinzhi.accounts.choices import JurisdictionKind, Role

if TYPE_CHECKING:
    from xinzhi.core.scoping import Scope


class Jurisdiction(models.Model):
    """Administrative unit (区 / 板块: park, town or subdistrict), a tree loaded as data."""

    code = models.SlugField("编码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=80, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True)
    kind = models.CharField("类型", max_length=20, choices=JurisdictionKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of ancestor ids ("/1/4/"), so a subtree is one prefix query.
    path = models.CharField("路径", max_length=255, editable=False, db_index=True)
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "行政板块"
        verbose_name_plural = "行政板块"
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        # The path depends on the primary key, so a new row is saved twice.
        super().save(*args, **kwargs)
        prefix = self.parent.path if self.parent_id else "/"
        path = f"{prefix}{self.pk}/"
        if path != self.path:
            old = self.path
            self.path = path
            Jurisdiction.objects.filter(pk=self.pk).update(path=path)
            if old:
                for child in Jurisdiction.objects.filter(path__startswith=old).exclude(pk=self.pk):
                    child.path = path + child.path[len(old) :]
                    Jurisdiction.objects.filter(pk=child.pk).update(path=child.path)
        # A move changes the subtrees of old and new ancestors alike; the tree is small.
        ids = Jurisdiction.objects.values_list("id", flat=True)
        cache.delete_many([f"jurisdiction-subtree:{pk}" for pk in ids])

    def subtree_ids(self) -> list[int]:
        """This unit and every unit below it (cached; the tree is small and rarely edited)."""
        key = f"jurisdiction-subtree:{self.pk}"
        ids = cache.get(key)
        if ids is None:
            ids = list(
                Jurisdiction.objects.filter(path__startswith=self.path).values_list("id", flat=True)
            )
            cache.set(key, ids, 300)
        return ids


class XinzhiUserManager(UserManager):
    pass


class User(AbstractUser):
    """Platform user with a role and, for officers and enterprises, what they belong to."""

    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.OFFICER)
    full_name = models.CharField("姓名", max_length=60, blank=True)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name="所属板块",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name="所属企业",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )
    phone = models.CharField("电话", max_length=30, blank=True)
    expertise = models.CharField("专业领域", max_length=200, blank=True)
    employer = models.CharField("工作单位", max_length=120, blank=True)

    objects = XinzhiUserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_bureau_admin(self) -> bool:
        from xinzhi.accounts import permissions

        return permissions.is_bureau_admin(self)

    @property
    def can_edit_enterprises(self) -> bool:
        from xinzhi.accounts import permissions

        return permissions.can_edit_enterprise(self)

    @property
    def sees_whole_district(self) -> bool:
        from xinzhi.accounts import permissions

        return permissions.sees_whole_district(self)

    def visible_jurisdiction_ids(self) -> list[int]:
        """Jurisdictions whose records this user may see; cached on the instance per request."""
        cached = getattr(self, "_visible_jurisdiction_ids", None)
        if cached is not None:
            return cached
        if self.role in (Role.ADMIN, Role.LEADER) and self.jurisdiction_id is None:
            ids = list(Jurisdiction.objects.values_list("id", flat=True))
        elif self.role in (Role.ADMIN, Role.LEADER, Role.OFFICER) and self.jurisdiction_id:
            ids = self.jurisdiction.subtree_ids()
        else:
            ids = []
        self._visible_jurisdiction_ids = ids
        return ids

    def visible_jurisdictions(self) -> models.QuerySet[Jurisdiction]:
        return Jurisdiction.objects.filter(id__in=self.visible_jurisdiction_ids(), is_active=True)

    def restrict_to_scope(self, queryset: models.QuerySet, scope: Scope) -> models.QuerySet:
        """The rows of a scoped model's `queryset` this (active) user may see, by role."""
        if self.role in (Role.ADMIN, Role.LEADER, Role.OFFICER):
            if self.role != Role.OFFICER and self.jurisdiction_id is None:
                return queryset
            if scope.jurisdiction is None or self.jurisdiction_id is None:
                return queryset.none()
            return queryset.filter(
                **{f"{scope.jurisdiction}_id__in": self.visible_jurisdiction_ids()}
            )
        if self.role == Role.REVIEWER:
            if scope.reviewer is None:
                return queryset.none()
            assigned = queryset.model.all_objects.filter(**{scope.reviewer: self.pk}).values("pk")
            return queryset.filter(pk__in=assigned)
        if self.role == Role.ENTERPRISE:
            if scope.enterprise is None or self.enterprise_id is None:
                return queryset.none()
            return queryset.filter(**{scope.enterprise: self.enterprise_id})
        return queryset.none()

    def scope_key(self) -> str:
        """What `restrict_to_scope` lets this user see, as a cache key: equal keys, equal rows."""
        if not self.is_active:
            return "none"
        if self.role in (Role.ADMIN, Role.LEADER, Role.OFFICER):
            if self.role != Role.OFFICER and self.jurisdiction_id is None:
                return "all"
            if self.jurisdiction_id is None:
                return "none"
            ids = ",".join(str(i) for i in sorted(self.visible_jurisdiction_ids()))
            return "j:" + hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()
        if self.role == Role.REVIEWER:
            return f"r:{self.pk}"
        if self.role == Role.ENTERPRISE and self.enterprise_id:
            return f"e:{self.enterprise_id}"
        return "none"


class ApiToken(models.Model):
    """API access token for another system (接口令牌); only a hash of the key is stored.

    A token acts as its user: the same role and jurisdiction scope apply to every call.
    """

    user = models.ForeignKey(
        User, verbose_name="所属用户", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("用途", max_length=80)
    prefix = models.CharField("前缀", max_length=12, db_index=True)
    key_hash = models.CharField("密钥摘要", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("到期时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"
