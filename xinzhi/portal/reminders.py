"""What needs whom (待办): the items behind reminders, notifications and the 工作台.

Each source reads the domain apps' records and names the person who must act. Without a user
(`xinzhi send_reminders`) a source reads every row; with one (the 工作台) it reads through that
user's scope and keeps that user's items, so a line never links to what they cannot see. The
event-based notifications (a declaration submitted, a request made) use the same keys, so the
command never sends them a second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xinzhi.accounts.choices import Role
from xinzhi.accounts.models import User
from xinzhi.attraction.choices import AftercareStatus, LeadStatus
from xinzhi.attraction.filters import stale_q
from xinzhi.attraction.models import AftercareRequest, Lead
from xinzhi.calls.choices import ApplicationStatus
from xinzhi.calls.choices import Stage as CallStage
from xinzhi.calls.models import Application, Assignment, Call
from xinzhi.enterprises.models import TitleHeld
from xinzhi.notifications.choices import Kind
from xinzhi.notifications.services import Item
from xinzhi.portal.choices import DeclarationStatus
from xinzhi.portal.models import Declaration

CALL_DEADLINE_DAYS = 7
TITLE_EXPIRY_DAYS = 90
REQUEST_RESPONSE_DAYS = 3  # an open request unanswered for longer is overdue
ANSWERED_RECENT_DAYS = 30


def _rows(model: Any, user: User | None) -> QuerySet:
    return model.objects.unscoped() if user is None else model.objects.visible_to(user)


def officers_for(jurisdiction_ids: Iterable[int]) -> dict[int, list[int]]:
    """{jurisdiction id: ids of the active officers covering it (its own or an ancestor's)}."""
    from xinzhi.accounts.models import Jurisdiction

    units = {j.pk: j for j in Jurisdiction.objects.filter(pk__in=set(jurisdiction_ids))}
    officers = list(
        User.objects.filter(
            role=Role.OFFICER, is_active=True, jurisdiction__isnull=False
        ).values_list("pk", "jurisdiction_id")
    )
    covering: dict[int, list[int]] = {}
    for pk, unit in units.items():
        ancestors = {int(part) for part in unit.path.strip("/").split("/") if part}
        covering[pk] = [officer for officer, home in officers if home in ancestors]
    return covering


def contacts_for(enterprise_ids: Iterable[int]) -> dict[int, list[int]]:
    """{enterprise id: ids of its active enterprise users}."""
    result: dict[int, list[int]] = {}
    rows = User.objects.filter(
        role=Role.ENTERPRISE, is_active=True, enterprise_id__in=set(enterprise_ids)
    ).values_list("pk", "enterprise_id")
    for pk, enterprise_id in rows:
        result.setdefault(enterprise_id, []).append(pk)
    return result


def _mine(items: list[Item], user: User | None) -> list[Item]:
    return items if user is None else [i for i in items if i.recipient_id == user.pk]


# --- sources -----------------------------------------------------------------------------


def review_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """评审任务: assignments not yet scored while their call is in 专家评审."""
    if user is not None and user.role != Role.REVIEWER:
        return []
    rows = (
        _rows(Assignment, user)
        .filter(
            withdrawn_at__isnull=True,
            current_score__isnull=True,
            application__call__stage=CallStage.EXPERT_REVIEW,
        )
        .select_related("application__call")
    )
    return [
        Item(
            recipient_id=a.reviewer_id,
            kind=Kind.REVIEW_ASSIGNED,
            title=f"评审任务：{a.application.call.name} · {a.application.title}",
            url=reverse("calls:review", args=[a.pk]),
            key=f"assignment:{a.pk}",
            due=timezone.localdate(a.assigned_at),
        )
        for a in rows
    ]


def declaration_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """企业填报待审核: waiting declarations, for the officers of the enterprise's 板块."""
    rows = list(
        _rows(Declaration, user)
        .filter(status=DeclarationStatus.SUBMITTED)
        .select_related("enterprise")
    )
    return _mine(submitted_items(rows), user)


def submitted_items(declarations: list[Declaration]) -> list[Item]:
    covering = officers_for(d.enterprise.jurisdiction_id for d in declarations)
    return [
        Item(
            recipient_id=officer,
            kind=Kind.DECLARATION_SUBMITTED,
            title=f"企业填报待审核：{d.enterprise.name} {d.year}年度",
            url=reverse("portal:declaration", args=[d.pk]),
            key=f"declaration:{d.pk}:submitted",
            due=timezone.localdate(d.created_at),
        )
        for d in declarations
        for officer in covering.get(d.enterprise.jurisdiction_id, [])
    ]


def decided_items(declaration: Declaration) -> list[Item]:
    """填报已采纳 / 被退回, for the enterprise's users."""
    returned = declaration.status == DeclarationStatus.RETURNED
    kind = Kind.DECLARATION_RETURNED if returned else Kind.DECLARATION_ACCEPTED
    title = f"{declaration.year}年度填报{'被退回' if returned else '已采纳'}"
    return [
        Item(
            recipient_id=contact,
            kind=kind,
            title=title,
            body=f"退回原因：{declaration.return_reason}" if returned else "",
            url=reverse("portal:declaration", args=[declaration.pk]),
            key=f"declaration:{declaration.pk}:{declaration.status}:{declaration.version}",
            urgent=returned,
        )
        for contact in contacts_for([declaration.enterprise_id]).get(declaration.enterprise_id, [])
    ]


def request_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """服务诉求: new and overdue ones for the 板块's officers (or the owner), answered ones for
    the enterprise."""
    items: list[Item] = []
    open_rows = list(
        _rows(AftercareRequest, user)
        .filter(status=AftercareStatus.OPEN)
        .select_related("enterprise")
    )
    covering = officers_for(r.enterprise.jurisdiction_id for r in open_rows)
    for r in open_rows:
        late = timezone.localdate(r.submitted_at) < today - dt.timedelta(days=REQUEST_RESPONSE_DAYS)
        for officer in (
            [r.owner_id] if r.owner_id else covering.get(r.enterprise.jurisdiction_id, [])
        ):
            items.append(new_request_item(r, officer))
            if late:
                items.append(
                    Item(
                        recipient_id=officer,
                        kind=Kind.REQUEST_OVERDUE,
                        title=f"服务诉求超过{REQUEST_RESPONSE_DAYS}天未响应："
                        f"{r.enterprise.name} {r.title}",
                        url=reverse("attraction:aftercare_list") + "?status=open",
                        key=f"request:{r.pk}:overdue",
                        due=timezone.localdate(r.submitted_at),
                        urgent=True,
                    )
                )
    answered = list(
        _rows(AftercareRequest, user).filter(
            status=AftercareStatus.CLOSED,
            closed_at__date__gte=today - dt.timedelta(days=ANSWERED_RECENT_DAYS),
        )
    )
    contacts = contacts_for(r.enterprise_id for r in answered)
    for r in answered:
        for contact in contacts.get(r.enterprise_id, []):
            items.append(
                Item(
                    recipient_id=contact,
                    kind=Kind.REQUEST_ANSWERED,
                    title=f"服务诉求已办结：{r.title}",
                    body=r.resolution,
                    url=reverse("portal:requests"),
                    key=f"request:{r.pk}:answered",
                    due=timezone.localdate(r.closed_at),
                )
            )
    return _mine(items, user)


def new_request_item(request: AftercareRequest, officer_id: int) -> Item:
    return Item(
        recipient_id=officer_id,
        kind=Kind.REQUEST_NEW,
        title=f"新服务诉求：{request.enterprise.name} "
        f"[{request.get_kind_display()}] {request.title}",
        url=reverse("attraction:aftercare_list") + "?status=open",
        key=f"request:{request.pk}:new",
        due=timezone.localdate(request.submitted_at),
    )


def lead_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """停滞预警 and 今日跟进 for the lead's responsible officer."""
    if user is not None and user.role not in (Role.OFFICER, Role.ADMIN):
        return []
    leads = _rows(Lead, user).filter(officer__isnull=False, status=LeadStatus.ACTIVE)
    if user is not None:
        leads = leads.filter(officer=user)
    items = [
        Item(
            recipient_id=lead.officer_id,
            kind=Kind.LEAD_STALE,
            title=f"招商项目久未推进：{lead.name}（最近动态 {lead.last_activity_on:%Y-%m-%d}）",
            url=reverse("attraction:lead_detail", args=[lead.pk]),
            key=f"lead:{lead.pk}:stale:{lead.last_activity_on:%Y%m%d}",
            due=lead.last_activity_on,
            urgent=True,
        )
        for lead in leads.filter(stale_q(today))
    ]
    items += [
        Item(
            recipient_id=lead.officer_id,
            kind=Kind.FOLLOW_UP_DUE,
            title=f"{'逾期' if lead.next_follow_up_on < today else '今日'}待跟进：{lead.name}",
            url=reverse("attraction:lead_detail", args=[lead.pk]),
            key=f"lead:{lead.pk}:follow:{lead.next_follow_up_on:%Y%m%d}",
            due=lead.next_follow_up_on,
            urgent=lead.next_follow_up_on < today,
        )
        for lead in leads.filter(next_follow_up_on__lte=today)
    ]
    return items


def title_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """资质即将到期 (90 天内): the 板块's officers and the enterprise's users."""
    if user is not None and user.role not in (Role.OFFICER, Role.ENTERPRISE):
        return []
    rows = list(
        _rows(TitleHeld, user)
        .filter(
            valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=TITLE_EXPIRY_DAYS)
        )
        .select_related("enterprise")
    )
    covering = officers_for(t.enterprise.jurisdiction_id for t in rows)
    contacts = contacts_for(t.enterprise_id for t in rows)
    items = []
    for t in rows:
        for officer in covering.get(t.enterprise.jurisdiction_id, []):
            items.append(
                _title_item(t, officer, reverse("enterprises:detail", args=[t.enterprise_id]))
            )
        for contact in contacts.get(t.enterprise_id, []):
            items.append(_title_item(t, contact, reverse("portal:home")))
    return _mine(items, user)


def _title_item(title: TitleHeld, recipient: int, url: str) -> Item:
    return Item(
        recipient_id=recipient,
        kind=Kind.TITLE_EXPIRING,
        title=f"资质即将到期：{title.enterprise.name} {title.display_name}"
        f"（{title.valid_until:%Y-%m-%d}）",
        url=url,
        key=f"title:{title.pk}:{title.valid_until:%Y%m%d}",
        due=title.valid_until,
    )


def call_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """申报即将截止 (7 天内): enterprise users whose enterprise has not submitted to the call."""
    if user is not None and user.role != Role.ENTERPRISE:
        return []
    calls = list(
        Call.objects.filter(
            stage=CallStage.SUBMISSION,
            closes_at__date__gte=today,
            closes_at__date__lte=today + dt.timedelta(days=CALL_DEADLINE_DAYS),
        )
    )
    if not calls:
        return []
    users = User.objects.filter(role=Role.ENTERPRISE, is_active=True, enterprise__isnull=False)
    if user is not None:
        users = users.filter(pk=user.pk)
    people = list(users.values_list("pk", "enterprise_id"))
    submitted = set(
        Application.objects.unscoped()
        .filter(call__in=calls, enterprise_id__in={e for _, e in people})
        .exclude(status=ApplicationStatus.DRAFT)
        .values_list("call_id", "enterprise_id")
    )
    return [
        Item(
            recipient_id=pk,
            kind=Kind.CALL_DEADLINE,
            title=f"申报即将截止：{call.name}"
            f"（{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M}）",
            url=reverse("calls:detail", args=[call.pk]),
            key=f"call:{call.pk}:{timezone.localdate(call.closes_at):%Y%m%d}",
            due=timezone.localdate(call.closes_at),
            urgent=True,
        )
        for call in calls
        for pk, enterprise_id in people
        if (call.pk, enterprise_id) not in submitted
    ]


def admin_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """For the bureau admin: re-score requests to approve, calls whose submission closes soon."""
    if user is not None and user.role != Role.ADMIN:
        return []
    admins = User.objects.filter(role=Role.ADMIN, is_active=True)
    if user is not None:
        admins = admins.filter(pk=user.pk)
    admin_ids = list(admins.values_list("pk", flat=True))
    if not admin_ids:
        return []
    rescores = (
        _rows(Assignment, user)
        .filter(
            rescore_requested_at__isnull=False,
            rescore_approved_at__isnull=True,
            withdrawn_at__isnull=True,
        )
        .select_related("application__call")
    )
    closing = Call.objects.filter(
        stage=CallStage.SUBMISSION,
        closes_at__date__gte=today,
        closes_at__date__lte=today + dt.timedelta(days=CALL_DEADLINE_DAYS),
    )
    items = [
        Item(
            recipient_id=admin,
            kind=Kind.RESCORE_REQUESTED,
            title=f"重新评分申请待批准：{a.application.call.name} · {a.application.title}",
            url=reverse("calls:application", args=[a.application_id]),
            key=f"assignment:{a.pk}:rescore:{timezone.localdate(a.rescore_requested_at):%Y%m%d}",
            due=timezone.localdate(a.rescore_requested_at),
            urgent=True,
        )
        for a in rescores
        for admin in admin_ids
    ]
    items += [
        Item(
            recipient_id=admin,
            kind=Kind.CALL_DEADLINE,
            title=f"申报即将截止：{call.name}"
            f"（{timezone.localtime(call.closes_at):%Y-%m-%d %H:%M}）",
            url=reverse("calls:detail", args=[call.pk]),
            key=f"call:{call.pk}:{timezone.localdate(call.closes_at):%Y%m%d}",
            due=timezone.localdate(call.closes_at),
        )
        for call in closing
        for admin in admin_ids
    ]
    return items


def report_items(*, today: dt.date, user: User | None = None) -> list[Item]:
    """月报待提交: each key project's missing monthly report, for its 板块's officers (the
    responsible officer only, when the project names one)."""
    from xinzhi.projects.selectors import reports_due

    if user is not None and user.role != Role.OFFICER:
        return []
    officers = (
        [user]
        if user is not None
        else User.objects.filter(role=Role.OFFICER, is_active=True, jurisdiction__isnull=False)
    )
    items = []
    for officer in officers:
        for due in reports_due(user=officer, today=today):
            if due.project.officer_id not in (None, officer.pk):
                continue
            items.append(
                Item(
                    recipient_id=officer.pk,
                    kind=Kind.REPORT_DUE,
                    title=(
                        f"{'逾期未报' if due.overdue else '待报'}月报：{due.project.name}"
                        f"（{due.month:%Y年%m月}，{due.due_on:%m月%d日}前报送）"
                    ),
                    url=reverse("projects:report_create", args=[due.project.pk])
                    + f"?month={due.month:%Y-%m-%d}",
                    key=f"project:{due.project.pk}:report:{due.month:%Y%m}",
                    due=due.due_on,
                    urgent=due.overdue,
                )
            )
    return items


SOURCES = (
    review_items,
    declaration_items,
    request_items,
    lead_items,
    title_items,
    call_items,
    admin_items,
    report_items,
)
