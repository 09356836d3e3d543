"""Demo data of the enterprise side (企业服务端示例数据).

* `qiye`: manager contact of 领先光学技术（江苏）有限公司 (武进国家高新区), invited by `gxq`; a
  declaration of last year's figures waits for `gxq` (revenue and R&D a little above the
  record, so the review shows differences), and a 厂房 request the 板块 has answered.
* `qiye2`: manager contact of 常州优磁科技有限公司 (湖塘科技产业园), invited by `admin`, with a
  financing request in progress, an approval request the admin has left unanswered 5 days,
  and a declaration the admin returned with a reason.
* Then the reminders are sent once, as the daily `xinzhi send_reminders` would.

Both through the services (audited), with the demo password. Idempotent: an existing account
is kept with whatever it has done since.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction import services as attraction
from xinzhi.attraction.choices import AftercareStatus
from xinzhi.attraction.models import AftercareRequest
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.enterprises.services import FIGURE_FIELDS
from xinzhi.notifications import services as notifications
from xinzhi.notifications.models import Notification
from xinzhi.portal import services
from xinzhi.portal.models import Contact, Declaration, Invitation

# The demo accounts' documented password (README; xinzhi.demo.story.DEMO_PASSWORD, which this
# app may not import: nothing but the demo imports the demo).
DEMO_PASSWORD = "xinzhi-demo"  # noqa: S105 - documented demo password, never in production
ACCOUNTS = (
    # username, enterprise, contact name, inviter
    ("qiye", "领先光学技术（江苏）有限公司", "耿婷", "gxq"),
    ("qiye2", "常州优磁科技有限公司", "沈优", "admin"),
)


def _at(today: dt.date, days: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _account(username: str, enterprise: Enterprise, name: str, inviter: User) -> User:
    _, token = services.invitation_create(
        actor=inviter,
        credit_code=enterprise.credit_code,
        contact_name=name,
        mobile="139" + str(enterprise.pk).zfill(8)[-8:],
        is_manager=True,
    )
    return services.invitation_accept(token=token, username=username, password=DEMO_PASSWORD)


def _pending_declaration(user: User, enterprise: Enterprise, today: dt.date) -> Declaration:
    year = today.year - 1
    record = AnnualFigures.objects.unscoped().filter(enterprise=enterprise, year=year).first()
    values = {name: getattr(record, name) for name in FIGURE_FIELDS} if record else {}
    revenue = values.get("revenue") or Decimal("480")
    rd = values.get("rd_expense") or Decimal("60")
    values.update(
        revenue=(revenue * Decimal("1.06")).quantize(Decimal("0.01")),
        rd_expense=(rd * Decimal("1.10")).quantize(Decimal("0.01")),
    )
    if values.get("main_revenue") is not None and values["main_revenue"] > values["revenue"]:
        values["main_revenue"] = values["revenue"]
    if values.get("rd_expense_domestic") is not None:
        values["rd_expense_domestic"] = values["rd_expense"]
    return services.declaration_submit(actor=user, year=year, data=values, is_demo=True)


@transaction.atomic
def load_demo(
    *,
    admin: User,
    seed: int,
    today: dt.date | None = None,
    real_names: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Create the demo enterprise accounts and what they have under way (once)."""
    today = today or timezone.localdate()
    for username, name, contact, inviter_name in ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        enterprise = Enterprise.objects.unscoped().filter(name=name).first()
        inviter = User.objects.filter(username=inviter_name).first() or admin
        if enterprise is None:
            continue
        user = _account(username, enterprise, contact, inviter)
        if username == "qiye":
            _pending_declaration(user, enterprise, today)
            done = services.service_request_submit(
                actor=user,
                kind="premises",
                title="二期光刻设备产线需扩租标准厂房约2000平方米",
                description="层高不低于8米，需双回路供电。",
                submitted_at=_at(today, -20),
                is_demo=True,
            )
            attraction.aftercare_advance(
                actor=inviter,
                request=done,
                status=AftercareStatus.CLOSED,
                resolution="已对接高新区标准厂房三期2号楼，企业已实地查看并签订意向协议。",
                at=_at(today, -6, 15),
            )
        else:
            late = attraction.aftercare_create(
                actor=admin,
                enterprise=enterprise,
                data={
                    "kind": "approval",
                    "title": "二期厂房施工许可审批帮办",
                    "description": "企业希望在下月开工。",
                    "owner": admin,
                },
                submitted_at=_at(today, -5),
                is_demo=True,
            )
            del late  # unanswered for five days: 超时未响应 for its owner, the admin
            returned = _pending_declaration(user, enterprise, today)
            services.declaration_return(
                actor=admin,
                declaration_id=returned.pk,
                reason="研发费用较上年增幅较大，请按审计报告口径核对后重新填报。",
            )
            going = services.service_request_submit(
                actor=user,
                kind="financing",
                title="申请“武科贷”科技贷款500万元",
                description="用于磁悬浮动力系统量产备货。",
                submitted_at=_at(today, -9),
                is_demo=True,
            )
            attraction.aftercare_advance(
                actor=admin, request=going, status=AftercareStatus.IN_PROGRESS, at=_at(today, -7)
            )
    # Time-based reminders as the daily command would send them (idempotent): every demo role
    # but the leader finds unread notifications (评审任务, 待审核填报, 停滞项目, 资质到期 …).
    notifications.send_reminders(today=today)
    return demo_counts()


def demo_counts() -> dict[str, int]:
    """What the enterprise side's demo holds (for the seed command's summary)."""
    return {
        "企业账户": Contact.objects.unscoped().filter(removed_at__isnull=True).count(),
        "待审核企业填报": Declaration.objects.unscoped().filter(status="submitted").count(),
        "企业账户邀请": Invitation.objects.unscoped().count(),
        "未读消息": Notification.objects.filter(read_at__isnull=True).count(),
        "企业服务诉求": AftercareRequest.objects.unscoped()
        .filter(enterprise__contacts__isnull=False)
        .distinct()
        .count(),
    }
