"""Writes of the enterprise side (企业服务端): invitations, contacts, declarations.

Each checks the acting user's rule and scope, validates, audits, and runs in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.accounts.services import user_create
from xinzhi.attraction.choices import AftercareType
from xinzhi.attraction.models import AftercareRequest
from xinzhi.core.audit import audit_record, diff, plain_value, snapshot
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises import services as enterprise_services
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.services import FIGURE_FIELDS, figures_errors
from xinzhi.enterprises.validators import normalize_credit_code
from xinzhi.notifications.services import notify
from xinzhi.portal import reminders
from xinzhi.portal.choices import DeclarationStatus
from xinzhi.portal.models import Contact, Declaration, Invitation

INVITATION_DAYS = 7  # a link lying in a mailbox must not open an account for ever
FORBIDDEN = "forbidden"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _active_manager(enterprise_id: int) -> Contact | None:
    return (
        Contact.objects.unscoped()
        .filter(enterprise_id=enterprise_id, is_manager=True, removed_at__isnull=True)
        .select_related("user")
        .first()
    )


# --- invitations and contacts (企业账户) ------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    credit_code: str,
    contact_name: str,
    mobile: str = "",
    email: str = "",
    is_manager: bool = False,
    now: dt.datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite a contact of the enterprise with that credit code; returns the invitation and
    the one-time token (shown or mailed once, only its digest is stored).

    Officers invite for enterprises in their 板块; an enterprise's manager invites colleagues
    of their own enterprise (never another manager).
    """
    if not permissions.can_invite_contacts(actor):
        raise ApplicationError("当前角色不能邀请企业联系人。", code=FORBIDDEN)
    code = normalize_credit_code(credit_code or "")
    # Scope decides which enterprise: an officer's 板块, or a manager's own enterprise.
    enterprise = Enterprise.objects.visible_to(actor).filter(credit_code=code).first()
    if permissions.is_enterprise_manager(actor):
        is_manager = False
    if enterprise is None:
        raise ApplicationError(
            f"未找到统一社会信用代码为 {code or '（空）'} 的企业，或该企业不在您负责的范围内。",
            field="credit_code",
        )
    contact_name = (contact_name or "").strip()
    if not contact_name:
        raise ApplicationError("请填写联系人姓名。", field="contact_name")
    mobile, email = (mobile or "").strip(), (email or "").strip()
    if not mobile and not email:
        raise ApplicationError("手机号和电子邮箱至少填写一项。", field="mobile")
    if is_manager and _active_manager(enterprise.pk):
        raise ApplicationError(
            "该企业已有企业管理员，其他联系人请由企业管理员邀请。", field="is_manager"
        )
    token = secrets.token_urlsafe(32)
    now = now or timezone.now()
    invitation = Invitation(
        enterprise=enterprise,
        contact_name=contact_name,
        mobile=mobile,
        email=email,
        is_manager=is_manager,
        token_hash=token_hash(token),
        invited_by=actor,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=invitation,
        changes={
            "contact_name": {"label": "联系人姓名", "before": None, "after": contact_name},
            "is_manager": {"label": "企业管理员", "before": None, "after": is_manager},
        },
        note=f"邀请企业联系人，链接有效期 {INVITATION_DAYS} 天",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return invitation, token


def invitation_for_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open invitation behind a link, or an ApplicationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.unscoped()
        .select_related("enterprise")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    _check_open(invitation, now or timezone.now())
    return invitation


def _check_open(invitation: Invitation | None, now: dt.datetime) -> None:
    if invitation is None:
        raise ApplicationError("邀请链接无效，请核对链接或联系邀请人。")
    if invitation.accepted_at is not None:
        raise ApplicationError("该邀请链接已使用过，请直接登录。")
    if invitation.revoked_at is not None:
        raise ApplicationError("该邀请已撤销，请联系邀请人。")
    if invitation.expires_at <= now:
        raise ApplicationError("邀请链接已过期，请联系邀请人重新发送。")


@transaction.atomic
def invitation_accept(
    *, token: str, username: str, password: str, now: dt.datetime | None = None
) -> User:
    """Open the enterprise account: the contact chooses a user name and password (once)."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.unscoped()
        .select_for_update()
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    _check_open(invitation, now)
    enterprise = Enterprise.objects.unscoped().get(pk=invitation.enterprise_id)
    username = (username or "").strip()
    if not username:
        raise ApplicationError("请填写用户名。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError("该用户名已被使用，请换一个。", field="username")
    if invitation.is_manager and _active_manager(enterprise.pk):
        raise ApplicationError("该企业已有企业管理员，请联系区科技局。")
    probe = User(username=username, full_name=invitation.contact_name, role=Role.ENTERPRISE)
    try:
        validate_password(password, user=probe)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), field="password") from exc
    user = user_create(
        username=username,
        password=password,
        role=Role.ENTERPRISE,
        full_name=invitation.contact_name,
        enterprise_id=enterprise.pk,
    )
    user.phone, user.email = invitation.mobile, invitation.email
    user.save(update_fields=["phone", "email"])
    contact = Contact(
        user=user,
        enterprise=enterprise,
        name=invitation.contact_name,
        mobile=invitation.mobile,
        email=invitation.email,
        is_manager=invitation.is_manager,
    )
    contact.full_clean()
    contact.save()
    invitation.accepted_at = now
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user", "updated_at"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        instance=contact,
        changes={"user": {"label": "账户", "before": None, "after": username}},
        note="通过邀请链接开通企业账户",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    return user


def _contact_for_change(actor: User, contact_id: int) -> Contact:
    contact = (
        Contact.objects.visible_to(actor)
        .select_for_update()
        .select_related("user", "enterprise")
        .filter(pk=contact_id)
        .first()
    )
    if contact is None:
        raise Contact.DoesNotExist
    return contact


@transaction.atomic
def contact_remove(*, actor: User, contact_id: int) -> Contact:
    """Remove a contact: the account is deactivated at once (its sessions and tokens stop)."""
    if not (permissions.is_enterprise_manager(actor) or permissions.can_edit_enterprise(actor)):
        raise ApplicationError("只有企业管理员或板块专员可以移除联系人。", code=FORBIDDEN)
    contact = _contact_for_change(actor, contact_id)
    if contact.user_id == actor.pk:
        raise ApplicationError("不能移除自己的账户。")
    if contact.removed_at is not None:
        return contact
    now = timezone.now()
    contact.removed_at = now
    contact.save(update_fields=["removed_at", "updated_at"])
    user = contact.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=now)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.DELETE,
        instance=contact,
        changes={"removed_at": {"label": "移除时间", "before": None, "after": now.isoformat()}},
        note=f"移除企业联系人 {contact.name}，账户已停用",
        enterprise_id=contact.enterprise_id,
        jurisdiction_id=contact.enterprise.jurisdiction_id,
    )
    return contact


@transaction.atomic
def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    if not permissions.can_invite_contacts(actor):
        raise ApplicationError("当前角色不能撤销邀请。", code=FORBIDDEN)
    invitation = (
        Invitation.objects.visible_to(actor).select_for_update().filter(pk=invitation_id).first()
    )
    if invitation is None:
        raise Invitation.DoesNotExist
    if invitation.accepted_at is not None:
        raise ApplicationError("该邀请已被接受，如需停用请移除联系人。")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=invitation,
            note=f"撤销对 {invitation.contact_name} 的邀请",
            enterprise_id=invitation.enterprise_id,
            jurisdiction_id=invitation.enterprise.jurisdiction_id,
        )
    return invitation


# --- declarations (企业填报) ------------------------------------------------------------------


def _figure_values(source: Any) -> dict[str, Any]:
    if isinstance(source, Mapping):
        return {name: source.get(name) for name in FIGURE_FIELDS}
    return {name: getattr(source, name) for name in FIGURE_FIELDS}


def _labelled(values: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {
            "label": str(Declaration._meta.get_field(name).verbose_name),
            "before": None,
            "after": plain_value(values.get(name)),
        }
        for name in FIGURE_FIELDS
        if values.get(name) is not None
    }


@transaction.atomic
def declaration_submit(
    *, actor: User, year: int, data: Mapping[str, Any], is_demo: bool = False
) -> Declaration:
    """The enterprise declares one year's figures; an officer reviews them before they count."""
    if not permissions.can_declare_figures(actor):
        raise ApplicationError("只有企业用户可以提交本企业的填报。", code=FORBIDDEN)
    enterprise = Enterprise.objects.visible_to(actor).get(pk=actor.enterprise_id)
    unknown = set(data) - set(FIGURE_FIELDS)
    if unknown:
        raise ApplicationError(f"不支持的字段：{'、'.join(sorted(unknown))}")
    this_year = timezone.localdate().year
    if not 1990 <= int(year) <= this_year - 1:
        raise ApplicationError(f"填报年度应在1990至{this_year - 1}之间。", field="year")
    errors = figures_errors(data)
    if errors:
        raise ValidationError(errors)
    if (
        Declaration.objects.visible_to(actor)
        .select_for_update()
        .filter(enterprise=enterprise, year=year, status=DeclarationStatus.SUBMITTED)
        .exists()
    ):
        raise ApplicationError(
            f"{year}年度已有待审核的填报，请等待区科技局审核后再提交。", field="year"
        )
    values = _figure_values(data)
    declaration = Declaration(
        enterprise=enterprise, year=year, submitted_by=actor, is_demo=is_demo, **values
    )
    declaration.full_clean()
    declaration.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=declaration,
        changes=_labelled(data),
        note=f"企业提交{year}年度经营数据填报",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    notify(reminders.submitted_items([declaration]))
    return declaration


def _declaration_for_review(actor: User, declaration_id: int, version: int | None) -> Declaration:
    if not permissions.can_review_declarations(actor):
        raise ApplicationError("当前角色不能审核企业填报。", code=FORBIDDEN)
    declaration = (
        Declaration.objects.visible_to(actor)
        .select_for_update()
        .select_related("enterprise")
        .filter(pk=declaration_id)
        .first()
    )
    if declaration is None:
        raise Declaration.DoesNotExist
    if version is not None and declaration.version != version:
        raise ConcurrentEditError("该填报已被他人处理，请刷新后查看最新状态。")
    if declaration.status != DeclarationStatus.SUBMITTED:
        raise ApplicationError(f"该填报{declaration.get_status_display()}，不能再审核。")
    return declaration


@transaction.atomic
def declaration_accept(
    *,
    actor: User,
    declaration_id: int,
    values: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> Declaration:
    """Accept a declaration: the (possibly corrected) values become the year's record through
    `figures_save`, so re-evaluation and the figures' audit follow as for an officer's edit;
    the declaration's audit event keeps each declared value next to the accepted one."""
    declaration = _declaration_for_review(actor, declaration_id, version)
    declared = _figure_values(declaration)
    accepted = dict(declared) if values is None else _figure_values(values)
    enterprise_services.figures_save(
        actor=actor, enterprise=declaration.enterprise, year=declaration.year, data=accepted
    )
    declaration.status = DeclarationStatus.ACCEPTED
    declaration.reviewed_by = actor
    declaration.reviewed_at = timezone.now()
    declaration.accepted_values = {k: plain_value(v) for k, v in accepted.items()}
    declaration.version += 1
    declaration.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=declaration,
        changes={
            name: {
                "label": str(Declaration._meta.get_field(name).verbose_name),
                "before": plain_value(declared[name]),
                "after": plain_value(accepted[name]),
            }
            for name in FIGURE_FIELDS
            if declared[name] is not None or accepted[name] is not None
        },
        note=f"采纳{declaration.year}年度企业填报（前值为企业填报值，后值为采纳值）",
        enterprise_id=declaration.enterprise_id,
        jurisdiction_id=declaration.enterprise.jurisdiction_id,
    )
    notify(reminders.decided_items(declaration))
    return declaration


@transaction.atomic
def declaration_return(
    *, actor: User, declaration_id: int, reason: str, version: int | None = None
) -> Declaration:
    """Return a declaration to the enterprise with a reason; the record is unchanged."""
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写退回原因，企业将看到这段说明。", field="reason")
    declaration = _declaration_for_review(actor, declaration_id, version)
    declaration.status = DeclarationStatus.RETURNED
    declaration.reviewed_by = actor
    declaration.reviewed_at = timezone.now()
    declaration.return_reason = reason[:1000]
    declaration.version += 1
    declaration.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.UPDATE,
        instance=declaration,
        changes={"status": {"label": "状态", "before": "待审核", "after": "已退回"}},
        note=f"退回{declaration.year}年度企业填报：{reason[:200]}",
        enterprise_id=declaration.enterprise_id,
        jurisdiction_id=declaration.enterprise.jurisdiction_id,
    )
    notify(reminders.decided_items(declaration))
    return declaration


def invitation_mail(*, invitation: Invitation, link: str) -> bool:
    """Mail the one-time link to the invited contact, when an address was given."""
    if not invitation.email:
        return False
    send_mail(
        subject=f"【新质平台】{invitation.enterprise.name} 企业账户邀请",
        message=(
            f"{invitation.contact_name}，您好：\n\n"
            f"区科技局邀请您开通 {invitation.enterprise.name} 的企业账户。"
            f"请在 {timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M} 前打开以下链接"
            f"设置密码（链接仅可使用一次）：\n{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


# --- service requests (服务诉求) ------------------------------------------------------------


@transaction.atomic
def service_request_submit(
    *,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    submitted_at: dt.datetime | None = None,
    is_demo: bool = False,
) -> AftercareRequest:
    """The enterprise asks the bureau for a service (厂房, 融资, 供应链, 人才, 政策, 审批帮办).

    It becomes an aftercare request (全生命周期服务诉求) like one an officer registers, so the
    板块's officers answer it on the same list; the enterprise follows it on its own page.
    """
    if not permissions.can_declare_figures(actor):
        raise ApplicationError("只有企业用户可以提出本企业的服务诉求。", code=FORBIDDEN)
    enterprise = Enterprise.objects.visible_to(actor).get(pk=actor.enterprise_id)
    if kind not in AftercareType.values:
        raise ApplicationError("请选择诉求类型。", field="kind")
    title = (title or "").strip()
    if not title:
        raise ApplicationError("请填写诉求事项。", field="title")
    request = AftercareRequest(
        enterprise=enterprise,
        kind=kind,
        title=title,
        description=(description or "").strip(),
        submitted_at=submitted_at or timezone.now(),
        is_demo=is_demo,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=request,
        changes=diff(AftercareRequest, {}, snapshot(request, ["kind", "title", "description"])),
        note="企业在企业服务端提出服务诉求",
        enterprise_id=enterprise.pk,
        jurisdiction_id=enterprise.jurisdiction_id,
    )
    officers = reminders.officers_for([enterprise.jurisdiction_id])[enterprise.jurisdiction_id]
    notify(reminders.new_request_item(request, officer) for officer in officers)
    return request
