"""Reads of the enterprise side (企业服务端), always through the acting user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from xinzhi.accounts.models import User
from xinzhi.attraction.models import AftercareRequest
from xinzhi.calls.choices import Stage as CallStage
from xinzhi.calls.models import Application, Call
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.enterprises.services import FIGURE_FIELDS
from xinzhi.portal.choices import DeclarationStatus
from xinzhi.portal.models import Contact, Declaration, Invitation


def own_enterprise(*, user: User) -> Enterprise:
    """The enterprise user's own enterprise; Enterprise.DoesNotExist (→ 404) otherwise."""
    return (
        Enterprise.objects.visible_to(user)
        .select_related("jurisdiction")
        .get(pk=user.enterprise_id)
    )


def contacts(*, user: User, enterprise: Enterprise) -> list[Contact]:
    return list(
        Contact.objects.visible_to(user).filter(enterprise=enterprise).select_related("user")
    )


def invitations(*, user: User, enterprise: Enterprise | None = None) -> QuerySet[Invitation]:
    queryset = Invitation.objects.visible_to(user).select_related("enterprise", "invited_by")
    return queryset.filter(enterprise=enterprise) if enterprise else queryset


def declarations_for_review(*, user: User, status: str = "") -> QuerySet[Declaration]:
    """Declarations in the user's scope, waiting ones first, then newest."""
    queryset = Declaration.objects.visible_to(user).select_related("enterprise", "submitted_by")
    if status:
        queryset = queryset.filter(status=status)
    waiting_first = Case(
        When(status=DeclarationStatus.SUBMITTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.order_by(waiting_first, "-created_at")


def declaration_get(*, user: User, pk: int) -> Declaration:
    return (
        Declaration.objects.visible_to(user)
        .select_related("enterprise", "submitted_by", "reviewed_by")
        .get(pk=pk)
    )


def enterprise_declarations(*, user: User, enterprise: Enterprise) -> list[Declaration]:
    return list(
        Declaration.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("reviewed_by")
    )


@dataclass(frozen=True)
class ComparisonRow:
    """One figure: the stored record, the declared value, and (once decided) the accepted one."""

    name: str
    label: str
    record: Any
    declared: Any
    accepted: Any
    differs: bool


def declaration_comparison(*, user: User, declaration: Declaration) -> list[ComparisonRow]:
    """Side by side: what the record holds for that year and what the enterprise declared."""
    record = (
        AnnualFigures.objects.visible_to(user)
        .filter(enterprise_id=declaration.enterprise_id, year=declaration.year)
        .first()
    )
    rows = []
    for name in FIGURE_FIELDS:
        stored = getattr(record, name) if record else None
        declared = getattr(declaration, name)
        rows.append(
            ComparisonRow(
                name=name,
                label=str(Declaration._meta.get_field(name).verbose_name),
                record=stored,
                declared=declared,
                accepted=declaration.accepted_values.get(name),
                differs=stored != declared,
            )
        )
    return rows


def open_calls(*, user: User, enterprise: Enterprise) -> list[dict[str, Any]]:
    """Calls taking applications now, with the enterprise's own application to each if any."""
    now = timezone.now()
    calls = list(
        Call.objects.filter(stage=CallStage.SUBMISSION, closes_at__gt=now).order_by("closes_at")
    )
    applied = {
        a.call_id: a
        for a in Application.objects.visible_to(user).filter(enterprise=enterprise, call__in=calls)
    }
    return [
        {"call": c, "application": applied.get(c.pk), "days_left": (c.closes_at - now).days}
        for c in calls
    ]


def my_applications(*, user: User, enterprise: Enterprise) -> list[Application]:
    return list(
        Application.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("call", "category")
        .order_by("-created_at")[:20]
    )


def years_due(*, user: User, enterprise: Enterprise, today: dt.date | None = None) -> list[int]:
    """Last fiscal year, when neither the record nor a waiting declaration holds it."""
    today = today or timezone.localdate()
    year = today.year - 1
    has_record = (
        AnnualFigures.objects.visible_to(user).filter(enterprise=enterprise, year=year).exists()
    )
    waiting = (
        Declaration.objects.visible_to(user)
        .filter(enterprise=enterprise, year=year, status=DeclarationStatus.SUBMITTED)
        .exists()
    )
    return [] if has_record or waiting else [year]


def service_requests(*, user: User, enterprise: Enterprise) -> list[AftercareRequest]:
    """The enterprise's own service requests with the officers' replies, newest first."""
    return list(
        AftercareRequest.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("owner")
        .order_by("-submitted_at", "-id")
    )
