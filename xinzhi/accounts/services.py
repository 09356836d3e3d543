"""Writes for accounts and jurisdictions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.choices import JurisdictionKind, Role
from xinzhi.accounts.models import ApiToken, Jurisdiction, User
from xinzhi.core.exceptions import ApplicationError

DEFAULT_JURISDICTIONS = Path(__file__).parent / "data" / "wujin.yaml"


def _load_node(node: dict[str, Any], parent: Jurisdiction | None, order: int) -> int:
    for key in ("code", "name", "kind"):
        if not node.get(key):
            raise ApplicationError(f"板块数据缺少字段 {key}：{node!r}")
    if node["kind"] not in JurisdictionKind.values:
        raise ApplicationError(f"板块 {node['name']} 的类型 {node['kind']} 无效")
    unit, _ = Jurisdiction.objects.update_or_create(
        code=node["code"],
        defaults={
            "name": node["name"],
            "short_name": node.get("short_name", ""),
            "kind": node["kind"],
            "parent": parent,
            "sort_order": order,
        },
    )
    count = 1
    for index, child in enumerate(node.get("children") or [], start=1):
        count += _load_node(child, unit, index)
    return count


@transaction.atomic
def jurisdictions_load(*, path: Path = DEFAULT_JURISDICTIONS) -> int:
    """Create or update the jurisdiction tree from a YAML file; returns the number of units."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ApplicationError(f"{path}: 顶层应为一个板块")
    return _load_node(data, None, 0)


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    jurisdiction: Jurisdiction | None = None,
    enterprise_id: int | None = None,
    employer: str = "",
    expertise: str = "",
) -> User:
    """Create a user; officers must belong to a jurisdiction, enterprise users to an enterprise."""
    if role not in Role.values:
        raise ApplicationError(f"未知角色 {role}")
    if role == Role.OFFICER and jurisdiction is None:
        raise ApplicationError("板块专员必须指定所属板块", field="jurisdiction")
    if role == Role.ENTERPRISE and enterprise_id is None:
        raise ApplicationError("企业用户必须指定所属企业", field="enterprise")
    user = User(
        username=username,
        role=role,
        full_name=full_name,
        jurisdiction=jurisdiction,
        enterprise_id=enterprise_id,
        employer=employer,
        expertise=expertise,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


TOKEN_PREFIX = "xz_"  # noqa: S105 - a public marker, not a secret
TOKEN_DEFAULT_DAYS = 365  # a forgotten token must not stay valid for ever


def _token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, days: int = TOKEN_DEFAULT_DAYS
) -> tuple[ApiToken, str]:
    """Issue a token for `user`, valid for `days` (a year by default); the plain key is
    returned once and never stored."""
    if not user.is_active:
        raise ApplicationError("已停用的账户不能签发接口令牌。")
    if not name.strip():
        raise ApplicationError("请填写令牌用途，例如“市科技局数据交换”。", field="name")
    if days < 1:
        raise ApplicationError("令牌有效天数至少为 1 天。", field="days")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:80],
        prefix=key[:11],
        key_hash=_token_hash(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_user(key: str) -> User | None:
    """The active user a presented key belongs to, or None (unknown, revoked or expired)."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__jurisdiction")
        .filter(key_hash=_token_hash(key), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    # Writing on every call would serialise readers on SQLite; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
